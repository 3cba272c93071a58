import { describe, expect, it } from "vitest";
import { referenceWith, requirementStatus } from "../../../test/support/judge-exercise";
import { requirementSchema } from "../exercise";
import { findDoubtKept, selectionRequirements } from "./doubt-keeping";
import { readRules } from "./instruction";
import { readPrompt } from "./reading";

/** A doubt settled by keeping, against a selection by a test. Wordings of our own, written before the rule. */

const relevantOnly = requirementSchema.parse({
  id: "relevant-only",
  description: "Passes on only the sentences that help answer the question.",
  all_of: [["relevant"]],
});
const selections = selectionRequirements([relevantOnly]);
const find = (prompt: string) => {
  const reading = readPrompt(`${prompt}\n{{input}}`);
  const rules = readRules(reading);
  return findDoubtKept(reading, (i) => rules[i]?.instructs === true, selections);
};

describe("a doubt settled by keeping what a selection leaves out", () => {
  it("reads a selection from 'only the <things> that ...', and none from other 'only' descriptions", () => {
    expect(selections).toEqual(["relevant-only"]);
    const plain = [
      "Output only the label, with no reasoning.",
      "Answer only from these facts.",
      "Invoices in EUR only.",
    ];
    for (const description of plain)
      expect(selectionRequirements([requirementSchema.parse({ id: "x", description, all_of: [["x"]] })])).toEqual([]);
  });

  it.each([
    "Copy the helpful sentences. When unsure, keep the sentence: too much is better than too little.",
    "Copy the passages that relate to the question, keeping the whole passage and, when in doubt, including it.",
    "If you are not sure whether a sentence helps, copy it anyway.",
    "Where a sentence is borderline, include it.",
  ])("keeping in doubt widens the selection: %s", (prompt) => {
    expect(find(prompt)?.ids).toEqual(["relevant-only"]);
  });

  it.each([
    "Copy only the sentences that help. If in doubt, leave it out.",
    "When unsure, drop the sentence.",
    "When unsure, don't keep it.",
    "If you are unsure whether a sentence helps, keep it out.",
    "When unsure, keep only the sentences that clearly help.",
    "If no passage helps, reply NONE.",
    "When a sentence helps answer the question, keep it word for word.",
  ])("a doubt settled the selection's way, or no doubt at all: %s", (prompt) => {
    expect(find(prompt)).toBe(null);
  });

  it("fails prune-retrieved-passages' reference with a keep-when-unsure line, and passes it with a drop-when-unsure one", () => {
    const slug = "prune-retrieved-passages";
    expect(requirementStatus(slug, "relevant-only", referenceWith(slug, "When unsure, keep the sentence."))).toBe(
      "contradicted",
    );
    expect(requirementStatus(slug, "relevant-only", referenceWith(slug, "When unsure, leave the sentence out."))).toBe(
      "covered",
    );
  });
});
