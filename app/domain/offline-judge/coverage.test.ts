import { describe, expect, it } from "vitest";
import { requirementSchema } from "../exercise";
import { judgeOffline } from "../offline-judge";

/** A made-up SAFETY/OK exercise: hazards are SAFETY, and a hazard sent to OK breaks the definition. */
const hazards = {
  requirements: [
    requirementSchema.parse({
      id: "hazard",
      description: "SAFETY for an injury or a hazard such as fire, shock or choking.",
      all_of: [["SAFETY"], ["hazard", "injury"], ["fire", "shock", "choking"]],
      broken_by: [{ all_of: [["fire", "shock", "choking", "allergic"], ["OK"]] }],
    }),
  ],
  format_instruction: false,
  unused_context: [],
};
const status = (prompt: string) => judgeOffline(`${prompt}\n{{input}}`, hazards).requirements[0].status;

describe("assessRequirement: an arrow leads its case to the outcome after it, however long the case", () => {
  it.each([
    "- SAFETY: injury or hazard from fire or shock\n- choking risks and allergic reactions are usage issues, not product hazards → OK",
    "SAFETY: injury, fire or shock hazards.\nA child choking on a loose part or an allergic reaction to the fabric -> OK",
  ])("a hazard sent to OK past a long case: %s", (prompt) => {
    expect(status(prompt)).toBe("contradicted");
  });

  it.each([
    "- SAFETY: any injury or hazard: fire, shock, choking, allergic reactions\n- quality, delivery or price complaints with nothing dangerous in them → OK",
    "- SAFETY: injury or hazard (fire, shock, choking)\n- complaints with no fire, shock, choking or injury in them, such as a late parcel → OK",
    "SAFETY for injury or a hazard like fire, shock or choking → SAFETY even if nobody was hurt. Everything else → OK",
  ])("a hazard kept on SAFETY, the rest sent to OK: %s", (prompt) => {
    expect(status(prompt)).not.toBe("contradicted");
  });
});
