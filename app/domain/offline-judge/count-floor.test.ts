import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { TASK_CHANGED_FAILURE } from "../offline-judge";
import { countBound } from "./count-floor";
import { readPrompt } from "./reading";

/**
 * A limit made a minimum: the exercise caps the reply (`count.max`), the prompt sets a floor at or past the cap. Our
 * own wordings of the defect on five exercises with a cap, none of them X1–X6's sentence ("at least 60 words" on
 * reusable-answers), and good lines that look alike.
 */

const boundOf = (text: string) => {
  const { tokens } = readPrompt(text);
  const n = tokens.findIndex((t) => /^\d/.test(t.text));
  const unit = tokens.findIndex((t, k) => k > n && /^(?:words?|sentences?)$/.test(t.lower));
  return countBound(tokens, n, unit);
};

describe("countBound: the side of a count the words put the reply on", () => {
  it("reads floors said before or after the count", () => {
    for (const text of [
      "at least 60 words",
      "a minimum of 60 words",
      "no fewer than 60 words",
      "more than 60 words",
      "60+ words",
      "60 words or more",
      "60 words minimum",
    ])
      expect(boundOf(text), text).toBe("floor");
  });

  it("reads ceilings, and a bare count as neither", () => {
    for (const text of [
      "at most 60 words",
      "up to 60 words",
      "no more than 60 words",
      "60 words max",
      "under 60 words",
    ])
      expect(boundOf(text), text).toBe("ceiling");
    expect(boundOf("in 3 sentences")).toBeNull();
  });
});

describe("a cap made a minimum fails as a changed reply", () => {
  it("fails a floor at or past the cap, in other words, on several exercises", () => {
    const defects: [string, string][] = [
      ["bounded-output", "Write 60 words or more so the answer feels complete."],
      ["profile-last", "Write a minimum of 3 sentences."],
      ["profile-last", "Answer in 4+ sentences."],
      ["summarise-chat-history", "The summary must be more than 80 words long."],
      ["summarise-chat-history", "Summary: 80 words minimum."],
      ["meeting-action-items", "Always return at least 5 action items."],
      ["cite-dont-quote", "Reply in two sentences or more."],
    ];
    for (const [slug, line] of defects)
      expect(mustFailures(slug, referenceWith(slug, line)), line).toContain(TASK_CHANGED_FAILURE);
  });

  it("keeps a ceiling, and a floor under the cap", () => {
    const good: [string, string][] = [
      ["bounded-output", "Never more than 60 words."],
      ["profile-last", "Answer in at least one sentence."],
      ["meeting-action-items", "Return up to 5 items."],
      ["cite-dont-quote", "Reply in no more than two sentences."],
    ];
    for (const [slug, line] of good) expect(mustFailures(slug, referenceWith(slug, line)), line).toBe("");
  });

  it("reads a row headed by a part of the reply as its spec, whatever verbs it holds", () => {
    const defects: [string, string][] = [
      ["bounded-output", "LENGTH: at least 60 words, fully explained"],
      ["summarise-chat-history", "OUTPUT: 80 words or more, written out in full"],
      ["profile-last", "REPLY: a minimum of 3 sentences that are clearly worded"],
    ];
    for (const [slug, line] of defects)
      expect(mustFailures(slug, referenceWith(slug, line)), line).toContain(TASK_CHANGED_FAILURE);
    const good: [string, string][] = [
      ["bounded-output", "LENGTH: at most 60 words, fully explained"],
      ["summarise-chat-history", "OUTPUT: up to 80 words, written out in full"],
      // another heading: a statement of the input, not the reply
      ["profile-last", "CONTEXT: the customer has at least 3 sentences of history, all stored"],
    ];
    for (const [slug, line] of good) expect(mustFailures(slug, referenceWith(slug, line)), line).toBe("");
  });
});
