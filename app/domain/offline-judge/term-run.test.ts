import { describe, expect, it } from "vitest";
import { readRules } from "./instruction";
import { readPrompt } from "./reading";
import { isTermRun } from "./term-run";

const runs = (prompt: string) => {
  const reading = readPrompt(prompt);
  return reading.rules.map((r) => isTermRun(reading.tokens, r));
};

describe("a long run of terms with no punctuation and no verb is a bag of words (term-run.ts)", () => {
  it("reads such a run as terms, and the rule as instructing nothing", () => {
    const bag =
      "sentences relevant question word for word verbatim own line label [P3] NONE no answer no heading no comment {{input}}";
    expect(runs(bag)).toEqual([true]);
    const reading = readPrompt(bag);
    expect(readRules(reading)[0]).toEqual({ instructs: false, kind: "term-list" });
    expect(
      runs("three subject lines one per line at most 8 words word limit no preamble no numbering no tips"),
    ).toEqual([true]);
  });

  it("leaves sloppy but real instructions, notation and short fragments alone", () => {
    for (const prompt of [
      "classify the ticket as billing bug feature account or other and reply with the label only nothing else",
      "Copy each relevant sentence word for word on its own line with its label, or reply NONE.",
      "OWNER | TASK | DUE on one line with none for a missing part and dates as YYYY-MM-DD always",
      "no preamble no numbering no tips",
    ])
      expect(runs(prompt), prompt).not.toContain(true);
  });
});
