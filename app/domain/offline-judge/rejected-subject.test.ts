import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { readPrompt } from "./reading";

const negated = (text: string, word: string) =>
  readPrompt(text).tokens.find((t) => t.lower === word.toLowerCase())?.negated;

describe("rejected subject: a subject judged wrong is forbidden (rejected-subject.ts)", () => {
  it("forbids the subject of 'is wrong', 'is an error', 'is a mistake'", () => {
    expect(negated("A plausible value is wrong.", "plausible")).toBe(true);
    expect(negated('A made-up, default or "standard" value is an error.', "default")).toBe(true);
    expect(negated('A made-up, default or "standard" value is an error.', "standard")).toBe(true);
    expect(negated("Guessing is a mistake.", "guessing")).toBe(true);
    expect(negated("Anything outside the excerpts is off-limits.", "excerpts")).toBe(true);
  });

  it("forbids only the judged half of a contrast in one clause", () => {
    const text = "Use null wherever the document is silent: an empty value is right, a plausible one is wrong.";
    expect(negated(text, "plausible")).toBe(true);
    expect(negated(text, "empty")).toBe(false);
    expect(negated("A null is right; a guess is wrong.", "null")).toBe(false);
  });

  it("leaves a condition, a clause with its own verb and a pronoun subject alone", () => {
    expect(negated("If the date is wrong, write none.", "date")).toBe(false);
    expect(negated("It is wrong to guess.", "it")).toBe(false);
    expect(negated("Correct whatever is wrong in the date.", "correct")).toBe(false);
    expect(negated("The date is right.", "date")).toBe(false);
  });
});

describe("rejected subject (judge)", () => {
  const nulls = (line: string) =>
    mustFailures("contract-fields-null", referenceReplacing("contract-fields-null", "Use null", line));

  it("reads a guessed value judged wrong as 'never guess'", () => {
    for (const line of [
      "Use null wherever the contract is silent: an empty value is right, a plausible one is wrong.",
      'Absent information → null; a made-up, default or "typical" value is an error.',
    ])
      expect(nulls(line), line).toBe("");
  });

  it("still fails the rule reversed: null judged wrong and a typical value asked for", () => {
    expect(nulls("For anything the contract does not state, null is a mistake; give the typical value.")).not.toBe("");
  });
});
