import { describe, expect, it } from "vitest";
import { referenceWith, requirementStatus } from "../../../test/support/judge-exercise";
import { type ExerciseTask, requirementSchema } from "../exercise";
import { findForbiddenKey, forbiddenKeys } from "./forbidden-key";
import { readRules } from "./instruction";
import { readPrompt } from "./reading";

/** A key of the reply named for what a description forbids. Wordings of our own, written before the rule. */

const task: ExerciseTask = { action: "classify", output: "json-object", keys: ["cause", "evidence"] };
const noReasoning = requirementSchema.parse({
  id: "no-reasoning",
  description: "No reasoning written out in the answer.",
  all_of: [["no reasoning"]],
});
const forbidden = forbiddenKeys([noReasoning], task);
const find = (prompt: string) => {
  const reading = readPrompt(`${prompt}\n{{input}}`);
  const rules = readRules(reading);
  return findForbiddenKey(reading, (i) => rules[i]?.instructs === true, forbidden, task);
};

describe("a key named for what a description forbids", () => {
  it("reads the thing from 'No <thing>', only where the reply has declared keys", () => {
    expect(forbidden.get("no-reasoning")).toBe("reasoning");
    expect(forbiddenKeys([noReasoning], { action: "classify", output: "label", labels: ["A"] }).size).toBe(0);
  });

  it.each([
    'Reply with JSON only: "cause", "evidence" (ids, max 25 words), and "reasoning", a step-by-step account.',
    'Reply with a JSON object only, with keys "reasoning" (go through each hypothesis), "cause", and "evidence".',
  ])("the forbidden thing listed as a key: %s", (prompt) => {
    expect(find(prompt)?.id).toBe("no-reasoning");
  });

  it.each([
    'Reply with JSON only: "cause" and "evidence"; no "reasoning" key.',
    'Keys "cause" and "evidence". Never add "reasoning".',
    "Reply with JSON only, cause and evidence, no reasoning written out.",
    'Do not write out your reasoning; the keys are "cause" and "evidence".',
    'Return {"cause": ..., "evidence": ...}. Think it through, but "reasoning" stays out of the reply.',
  ])("the thing forbidden, or not a key: %s", (prompt) => {
    expect(find(prompt)).toBe(null);
  });

  it("fails frontier-worth-it's reference with a reasoning key", () => {
    const slug = "frontier-worth-it";
    const prompt = referenceWith(slug, 'Add a "reasoning" key beside "cause" and "evidence".');
    expect(requirementStatus(slug, "no-reasoning-out", prompt)).toBe("contradicted");
    expect(requirementStatus(slug, "no-reasoning-out", referenceWith(slug, 'Keys "cause" and "evidence" only.'))).toBe(
      "covered",
    );
  });
});
