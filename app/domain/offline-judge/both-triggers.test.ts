import { describe, expect, it } from "vitest";
import { referenceWith, requirementStatus } from "../../../test/support/judge-exercise";
import { requirementSchema } from "../exercise";
import { disjunctiveRequirements, findBothRequired } from "./both-triggers";
import { readRules } from "./instruction";
import { readPrompt } from "./reading";

/** Triggers that each suffice, required together. Wordings of our own, written before the rule. */

const requirement = (id: string, description: string) => requirementSchema.parse({ id, description, all_of: [["x"]] });
const receipt = requirement("receipt", "Needs review when the amount is over £75 without a receipt.");
const alcohol = requirement("alcohol", "Needs review whenever the line includes alcohol.");
const churn = requirement("churn", "churn_risk is true only when the customer says they will cancel, leave or switch.");
const find = (prompt: string) => {
  const reading = readPrompt(`${prompt}\n{{input}}`);
  const rules = readRules(reading);
  return findBothRequired(
    reading,
    (i) => rules[i]?.instructs === true,
    new Set(["receipt", "alcohol"]),
    () => true,
  );
};

describe("triggers that each suffice, required together", () => {
  it("reads triggers listed with 'or', and an outcome two descriptions share", () => {
    expect([...disjunctiveRequirements([receipt, alcohol, churn])].sort()).toEqual(["alcohol", "churn", "receipt"]);
    const single = requirement("s", "Mention the promotion only when the last purchase was bedding.");
    const plain = requirement("p", "Output only the label.");
    expect(disjunctiveRequirements([single, plain, receipt]).size).toBe(0);
  });

  it.each([
    "needs_review is true only when both apply: the amount is over £75 without a receipt, and the line includes alcohol.",
    "Flag a line only if both hold: over £75 with no receipt and alcohol on it.",
    "needs_review requires both: no receipt over £75 and alcohol.",
    "Both must apply for needs_review to be true: over £75 without a receipt, and alcohol.",
  ])("every trigger asked for at once: %s", (prompt) => {
    expect(find(prompt)?.ids).toEqual(["receipt", "alcohol"]);
  });

  it.each([
    "needs_review is true if the amount is over £75 with no receipt, or if it includes alcohol, or both.",
    "needs_review is true when either or both apply: over £75 without a receipt, alcohol.",
    "Flag both kinds of line: over £75 without a receipt, and any line with alcohol.",
    "If both apply, needs_review is still simply true.",
    "Either condition alone is enough; you don't need both.",
  ])("each trigger still enough on its own: %s", (prompt) => {
    expect(find(prompt)).toBe(null);
  });

  it("fails cut-unused-context's reference with a both-apply rule, on both review requirements", () => {
    const slug = "cut-unused-context";
    const prompt = referenceWith(
      slug,
      "needs_review is true only when both apply: the amount is over £75 without a receipt, and the line includes alcohol.",
    );
    expect(requirementStatus(slug, "review-alcohol", prompt)).toBe("contradicted");
    expect(requirementStatus(slug, "review-alcohol", referenceWith(slug, "If both apply, it is still true."))).toBe(
      "covered",
    );
  });
});
