import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { negatedPurposeTokens } from "./negated-purpose";
import { readPrompt } from "./reading";

const purpose = (prompt: string) => {
  const reading = readPrompt(prompt);
  const tokens = negatedPurposeTokens(reading);
  return reading.tokens
    .filter((t) => tokens.has(t.index))
    .map((t) => t.text)
    .join(" ");
};

describe("negated purpose: the goal a forbidden act would serve (negated-purpose.ts)", () => {
  it("sets aside 'to reach N', 'to fill', 'to make up' after a negation", () => {
    expect(purpose("Do not add weak matches to reach three, because they distract.")).toBe("to reach three");
    expect(purpose("Never invent facts just to fill the word count.")).toBe("just to fill the word count");
    expect(purpose("Don't pad the list in order to hit five items.")).toBe("in order to hit five items");
  });

  it("leaves other purposes, and purposes of orders, alone", () => {
    expect(purpose("Do not add ESCALATE to the reply.")).toBe("");
    expect(purpose("Add weak matches to reach three.")).toBe("");
  });
});

describe("negated purpose: wordy good prompts keep their rules, reversals still fail (judge)", () => {
  it("reads three other wordings as breaking nothing", () => {
    for (const line of [
      "Never pad the list with weak clauses just to reach three.",
      "Do not add filler ids in order to hit three.",
      "Don't include a weak match to make up three.",
    ])
      expect(mustFailures("rerank-top-three", referenceWith("rerank-top-three", line)), line).toBe("");
  });

  it("still fails three flawed prompts that pad to three", () => {
    for (const line of [
      "Always give three ids, adding weak matches to reach three if needed.",
      "Return at least three ids, padding with weak matches to reach three.",
      "Never return fewer than three ids, even if that means adding weak matches to reach three.",
    ])
      expect(mustFailures("rerank-top-three", referenceWith("rerank-top-three", line)), line).toContain(
        "(contradicted)",
      );
  });
});
