import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { noNeedTokens } from "./no-need";
import { readPrompt } from "./reading";

const unasked = (prompt: string) => {
  const reading = readPrompt(prompt);
  const tokens = noNeedTokens(reading);
  return reading.tokens
    .filter((t) => tokens.has(t.index))
    .map((t) => t.text)
    .join(" ");
};

describe("no need: what the prompt says there is no need to do (no-need.ts)", () => {
  it("puts aside the clause after 'no need to', up to the next clause", () => {
    expect(unasked("There is no need to quote the excerpts, and in fact please do not.")).toBe(
      "There is no need to quote the excerpts",
    );
    expect(unasked("You don't need to explain your choice.")).toBe("You do n't need to explain your choice");
    expect(unasked("It is not necessary to restate the question.")).toBe("It is not necessary to restate the question");
  });

  it("leaves needs and orders alone", () => {
    expect(unasked("You need to quote the clause id.")).toBe("");
    expect(unasked("Explain nothing; there is a need for brevity.")).toBe("");
  });
});

describe("no need: wordy good prompts keep their rules, reversals still fail (judge)", () => {
  it("reads three other wordings as breaking nothing", () => {
    for (const line of [
      "There's no need to reproduce the excerpts' wording.",
      "You don't need to repeat the excerpts; the labels are enough.",
      "It is not necessary to quote the excerpts at all.",
    ])
      expect(mustFailures("cite-dont-quote", referenceWith("cite-dont-quote", line)), line).toBe("");
  });

  it("still fails three flawed prompts that ask for what the good ones said there is no need for", () => {
    for (const line of [
      "Quote the excerpts word for word.",
      "There is no need to cite labels; just quote the relevant excerpt in full.",
      "No need to keep it short: reproduce the excerpts you used word for word.",
    ])
      expect(mustFailures("cite-dont-quote", referenceWith("cite-dont-quote", line)), line).toContain("(contradicted)");
  });
});
