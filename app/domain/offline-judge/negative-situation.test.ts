import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { readPrompt } from "./reading";

const negated = (text: string, word: string, nth = 0) =>
  readPrompt(text).tokens.filter((t) => t.lower === word.toLowerCase())[nth]?.negated;

describe("negative situation: a case fronted with 'with no' or 'without', then its outcome (negative-situation.ts)", () => {
  it("keeps the case negated and affirms the outcome, with or without a comma", () => {
    expect(negated("With no action items, the reply is [].", "reply")).toBe(false);
    expect(negated("With no action items, the reply is [].", "items")).toBe(true);
    expect(negated("With no to-dos the reply is [].", "reply")).toBe(false);
    expect(negated("Return the array; with no action items it is [].", "it")).toBe(false);
    expect(negated("Without a deadline, write null.", "null")).toBe(false);
  });

  it("leaves a list of refused things and an outcome's own negation alone", () => {
    expect(negated("It is one paragraph with no headings, lists or FAQ.", "lists")).toBe(true);
    expect(negated("With no headings, lists or FAQ.", "lists")).toBe(true);
    expect(negated("With no action items, never return [].", "return")).toBe(true);
  });
});

describe("negative situation, fronted (judge)", () => {
  const empty = (line: string) =>
    mustFailures("meeting-action-items", referenceReplacing("meeting-action-items", "No action items", line));

  it("reads five wordings of the empty case as the rule", () => {
    for (const line of [
      "With no action items, the reply is [].",
      "With no to-dos the reply is [].",
      "With no action items it is [].",
      "With no action items, reply [].",
      "Without any action items, the whole reply is [].",
    ])
      expect(empty(line), line).toBe("");
  });

  it("still fails three look-alikes that give the empty case another reply", () => {
    for (const line of [
      "With no action items, never reply [].",
      "With no action items, reply null.",
      "With no action items, the reply is a sentence saying so.",
    ])
      expect(empty(line), line).not.toBe("");
  });
});
