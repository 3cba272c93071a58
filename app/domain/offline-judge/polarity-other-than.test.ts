import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { readPrompt } from "./reading";

const negated = (prompt: string) =>
  readPrompt(prompt)
    .tokens.filter((t) => t.negated)
    .map((t) => t.text);

describe("polarity: 'anything other than X' and 'anything apart from X' under a negation (polarity.ts)", () => {
  it("ends the negation at 'other than' and 'apart from', as at 'but' and 'except'", () => {
    expect(negated("Do not output anything other than this one line.")).not.toContain("line");
    expect(negated("Please remember not to write anything apart from the JSON lines and END.")).not.toContain("JSON");
    expect(negated("Do not output anything but this one line.")).not.toContain("line");
  });

  it("keeps the negation where no 'anything' comes before", () => {
    expect(negated("Do not output lines other than the header.")).toContain("lines");
  });
});

describe("polarity: wordy good prompts keep their rules, reversals still fail (judge)", () => {
  it("reads three other wordings as asking for the one line", () => {
    for (const line of [
      "Do not write anything other than that one line.",
      "Never output anything apart from the one line.",
      "Don't add anything other than the single line.",
    ])
      expect(mustFailures("few-shot-diet", referenceWith("few-shot-diet", line)), line).toBe("");
  });

  it("still fails three flawed prompts that add to the line in the same frame", () => {
    for (const line of [
      "Do not output anything other than the line and an explanation of it.",
      "Never write anything apart from the line, then explain your reasoning.",
      "Don't output anything other than a bulleted list of all action items.",
    ])
      expect(mustFailures("few-shot-diet", referenceWith("few-shot-diet", line)), line).toContain("(contradicted)");
  });
});
