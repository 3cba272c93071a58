import { describe, expect, it } from "vitest";
import { loadContent } from "~/exercises/load.server";
import type { ExerciseFile } from "./exercise";
import { judgeOffline } from "./offline-judge";
import { readRules } from "./offline-judge/instruction";
import { readPrompt } from "./offline-judge/reading";

/**
 * Readings the new courses' evaluation sets (writers N1, N2) turned up: recap lines that list rules with commas,
 * caps written with "≤", and verdicts written as data. General cases, checked on the real exercises.
 */

const exercises = new Map(loadContent().exercises.map((e) => [e.exercise.slug, e.exercise]));
const ex = (slug: string): ExerciseFile => {
  const found = exercises.get(slug);
  if (!found) throw new Error(`no exercise ${slug}`);
  return found;
};
const status = (slug: string, prompt: string, id: string) =>
  judgeOffline(prompt, ex(slug)).requirements.find((r) => r.id === id)?.status;
const negated = (text: string, word: string) => readPrompt(text).tokens.find((t) => t.text === word)?.negated;

describe("negation along a comma list", () => {
  it("ends a negated participle that is a list item of its own at its comma", () => {
    expect(negated("Once again: ids only, at most three, never padded, NONE if nothing is relevant.", "padded")).toBe(
      true,
    );
    expect(negated("Once again: ids only, at most three, never padded, NONE if nothing is relevant.", "NONE")).toBe(
      false,
    );
    expect(negated('Recap: exact figures, nothing assumed, "medical reason" for health details.', "medical")).toBe(
      false,
    );
  });

  it("ends a 'no' list at an item with a limit of its own", () => {
    const recap = "Recap: no personal details, facts only, 60 words at most.";
    expect(negated(recap, "details")).toBe(true);
    expect(negated(recap, "facts")).toBe(false);
    expect(negated(recap, "words")).toBe(false);
    expect(negated("No names, only the question.", "question")).toBe(false);
  });

  it("still carries a negation over the objects and verbs it governs", () => {
    expect(negated("Do not include the greeting, the signature or the disclaimer.", "signature")).toBe(true);
    expect(negated("Never ask for, repeat or store the card number.", "store")).toBe(true);
    expect(negated("No greetings, sign-offs or explanations.", "explanations")).toBe(true);
  });

  it("keeps a rule stated in a recap line and still catches it reversed", () => {
    const recap =
      "Once again: ids only, most relevant first, at most three, never padded, NONE if nothing is relevant.";
    expect(status("rerank-top-three", recap, "none")).toBe("covered");
    const reversed = "Up to three clause ids, best first. If no clause fits, never reply NONE: give the closest one.";
    expect(status("rerank-top-three", reversed, "none")).toBe("contradicted");
  });
});

describe("caps written with ≤", () => {
  it("reads '≤12 words' and '≤5 items' as limits", () => {
    const prompt = 'Raw JSON array only, ≤5 items. Each: {"owner", "task": imperative ≤12 words, "due", "priority"}';
    expect(status("meeting-action-items", prompt, "task-length")).toBe("covered");
    expect(status("meeting-action-items", prompt, "at-most-five")).toBe("covered");
  });
});

describe("tool descriptions", () => {
  it("reads 'The scale_service tool changes the number of replicas' as a rule with a verb", () => {
    const reading = readPrompt("The scale_service tool changes the number of replicas of a service.");
    expect(readRules(reading)[0].instructs).toBe(true);
  });
});

describe("cut-unused-context: a reply as a list of categories, not the list of them offered", () => {
  const rules =
    "Code the expense line: one category{X}. needs_review is true if over £75 without a receipt or if it includes alcohol. Reply with JSON only: category, needs_review.\n{{input}}";
  it("reads 'The list of categories is: travel, ...' as the options, not the reply", () => {
    const prompt = rules.replace(
      "{X}",
      ", only one. The list of categories is: travel, meals, software, office supplies, training, other",
    );
    expect(status("cut-unused-context", prompt, "one-category")).toBe("covered");
  });
  it("still reads returning a list of categories as breaking exactly one", () => {
    const prompt = rules.replace(
      "{X}",
      " from travel, meals, software, office supplies, training, other; if two fit, return a list of categories",
    );
    expect(status("cut-unused-context", prompt, "one-category")).toBe("contradicted");
  });
});
