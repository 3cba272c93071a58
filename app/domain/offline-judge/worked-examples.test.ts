import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { ruleTexts } from "../../../test/support/judge-rules";
import { workedExampleRules } from "./worked-examples";

const examples = (prompt: string) => ruleTexts(prompt, workedExampleRules);

describe("worked examples: a case told to illustrate a rule (worked-examples.ts)", () => {
  it("knows an example sentence by its opening", () => {
    expect(examples("For example, a kettle that is ugly is not a safety issue.")).toHaveLength(1);
    expect(examples("For instance, a burned hand is definitely a safety issue.")).toHaveLength(1);
    expect(examples("As an example: a late parcel is OK.")).toHaveLength(1);
  });

  it("reads an example that orders or sets a condition as an order", () => {
    expect(examples("For example, if you are unsure, answer OK.")).toEqual([]);
    expect(examples("For instance, add a one-line reason.")).toEqual([]);
    expect(examples("For example, you must explain the label.")).toEqual([]);
    expect(examples("A kettle that is ugly is not a safety issue.")).toEqual([]);
  });
});

describe("worked examples: wordy good prompts keep their rules, reversals still fail (judge)", () => {
  it("reads three other wordings as breaking nothing", () => {
    for (const line of [
      "For example, a kettle whose lid melted is definitely a safety issue.",
      "For instance, a charger that sparked is definitely SAFETY, while a late parcel is OK.",
      "For example, a toy with a loose small part is certainly a safety issue.",
    ])
      expect(mustFailures("drop-the-reasoning", referenceWith("drop-the-reasoning", line)), line).toBe("");
  });

  it("still fails three flawed prompts whose example gives a reversed order", () => {
    for (const line of [
      "For example, if you are unsure, answer OK.",
      "For instance, add a one-line reason after the label.",
      "For example, answer OK unless you are definitely sure it is a safety issue.",
    ])
      expect(mustFailures("drop-the-reasoning", referenceWith("drop-the-reasoning", line)), line).toContain(
        "(contradicted)",
      );
  });
});
