import { describe, expect, it } from "vitest";
import { ruleTexts } from "../../../test/support/judge-rules";
import { selfCheckRules } from "./self-check";

const checks = (prompt: string) => ruleTexts(prompt, selfCheckRules);

describe("self-check questions restate a rule and order nothing (self-check.ts)", () => {
  it("knows a yes/no question that checks the reply, in a checklist or a numbered list", () => {
    expect(checks("CHECKLIST: Did I avoid asking for or repeating secrets? Did I mask numbers?")).toHaveLength(2);
    expect(checks("6. Did I leave out any explanations or extra text?")).toHaveLength(1);
    expect(checks("Is every value that the contract does not state set to null, and not guessed?")).toHaveLength(1);
    expect(checks("Before you send it: is it under 80 words?")).toHaveLength(1);
  });

  it("leaves requests, short topic questions and statements alone", () => {
    expect(checks("Could you add a one-line reason after the label?")).toEqual([]);
    expect(checks("Why not explain the label in a sentence?")).toEqual([]);
    expect(checks("Not sure? SAFETY.")).toEqual([]);
    expect(checks("Is the review about safety, answer SAFETY.")).toEqual([]);
  });
});
