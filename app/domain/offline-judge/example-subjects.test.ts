import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { exampleSubjectTokens } from "./example-subjects";
import { readPrompt } from "./reading";

const examples = (prompt: string) => {
  const reading = readPrompt(prompt);
  const tokens = exampleSubjectTokens(reading);
  return reading.tokens.filter((t) => tokens.has(t.index)).map((t) => t.text);
};

describe("example subjects: quoted examples of what a clause rules out (example-subjects.ts)", () => {
  it("finds quoted examples before a verb that rules them out", () => {
    expect(examples('Words such as "best", "premium" or "amazing" do not fit our brand.')).toEqual([
      "best",
      "premium",
      "amazing",
    ]);
    expect(examples('Phrases like "Here you go" are never part of the reply.')).toEqual(["Here", "you", "go"]);
  });

  it("leaves examples that are asked for, or not ruled out, alone", () => {
    expect(examples('Words like "premium" sell well.')).toEqual([]);
    expect(examples('Use words such as "premium" and "must-have".')).toEqual([]);
    expect(examples("Words such as best or premium do not fit.")).toEqual([]);
  });
});

describe("example subjects: wordy good prompts keep their rules, reversals still fail (judge)", () => {
  it("reads three other wordings as breaking nothing", () => {
    for (const line of [
      'Words like "premium" or "must-have" are not part of our voice.',
      'Terms such as "best-in-class" and "exciting" are never used here.',
      'Adjectives such as "premium" do not belong in our copy.',
    ])
      expect(mustFailures("bounded-output", referenceWith("bounded-output", line)), line).toBe("");
  });

  it("still fails three flawed prompts that ask for the examples", () => {
    for (const line of [
      'Words like "premium" and "must-have" work well; use them.',
      'Use words such as "premium" and "must-have".',
      'Phrases like "exciting" are not banned, so be enthusiastic.',
    ])
      expect(mustFailures("bounded-output", referenceWith("bounded-output", line)), line).toContain("(contradicted)");
  });
});
