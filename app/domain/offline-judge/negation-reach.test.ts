import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { readPrompt } from "./reading";

const negated = (text: string, word: string) =>
  readPrompt(text).tokens.find((t) => t.lower === word.toLowerCase())?.negated;
const judged = (slug: string, start: string, line: string) => mustFailures(slug, referenceReplacing(slug, start, line));

describe("where a negation reaches (polarity.ts)", () => {
  it("reads 'outside' before a bare noun as an adjective, not a reference point", () => {
    const text = "The answer is based solely on the excerpts, never on outside knowledge or guesses.";
    expect(negated(text, "knowledge")).toBe(true);
    expect(negated(text, "guesses")).toBe(true);
    // ("nothing outside the JSON": the JSON is where, not what, it forbids.)
    expect(negated("Write nothing outside the JSON.", "json")).toBe(false);
    expect(negated("Use no facts outside the excerpts.", "excerpts")).toBe(false);
  });

  it("ends a negation opened inside a template slot at the slot's close", () => {
    const text = "<IT question, at most 12 words, no answer> or NONE (if no IT question)";
    expect(negated(text, "answer")).toBe(true);
    expect(negated(text, "none")).toBe(false);
    expect(negated("No answer, no NONE.", "none")).toBe(true);
  });

  it("reads 'no X without Y' as asking for Y: the two negations cancel", () => {
    expect(negated("No claim without a citation.", "citation")).toBe(false);
    expect(negated("Nothing without its source label.", "label")).toBe(false);
    // ...but each alone still forbids, and a "no" before it stays on its own noun.
    expect(negated("Answer without citations.", "citations")).toBe(true);
    expect(negated("No citations, no labels.", "labels")).toBe(true);
    expect(negated("Write no citation without being asked.", "citation")).toBe(true);
  });

  it("reads what a winner beats or wins over as the side refused", () => {
    expect(negated("The newer date wins over the older date.", "older")).toBe(true);
    expect(negated("A 2025 page beats a 2023 page.", "2023")).toBe(true);
    expect(negated("The newer date wins over the older date.", "newer")).toBe(false);
    // ("over" as a figure's side stays one: "invoices over 25,000 need the CFO".)
    expect(negated("Invoices over 25,000 need the CFO.", "25,000")).toBe(false);
  });

  it("reads 'none' before an irregular participle as its subject: 'none left out'", () => {
    expect(negated("Every id exactly once, none left out, none combined.", "left")).toBe(true);
    expect(negated("Never leave out a review.", "leave")).toBe(true);
  });
});

describe("where a negation reaches (judge)", () => {
  it("reads 'never on outside knowledge or guesses' as excerpts only; using outside knowledge still breaks it", () => {
    const cite = (line: string) => judged("cite-dont-quote", "Answer the question", line);
    expect(
      cite(
        "Answer the question in at most two sentences, based solely on the excerpts, never on outside knowledge or guesses.",
      ),
    ).toBe("");
    expect(cite("Answer the question in at most two sentences, using the excerpts and outside knowledge.")).not.toBe(
      "",
    );
  });

  it("reads a slot '<..., no answer> or NONE' as the fallback kept; 'never NONE' still breaks it", () => {
    const cache = (line: string) => judged("normalise-for-semantic-cache", "Output only", line);
    expect(cache("Output: <the IT question, at most 12 words, no answer> or NONE (if there is no IT question).")).toBe(
      "",
    );
    expect(
      cache(
        "Output: <the IT question, at most 12 words, no answer>, never NONE (answer even if there is no IT question).",
      ),
    ).not.toBe("");
  });

  it("reads 'none left out, none combined' as no skipping; 'spam left out' still breaks it", () => {
    const batch = (line: string) => judged("batch-the-reviews", "Output one line", line);
    expect(
      batch(
        "Output one line per review, in the input order, every id exactly once, none left out, none combined: <id>;<label>;<topic>",
      ),
    ).toBe("");
    expect(
      batch(
        "Output one line per review, in the input order; duplicates left out and spam left out: <id>;<label>;<topic>",
      ),
    ).not.toBe("");
  });
});

describe("a stated winner keeps the rule; the winner swapped reverses it (judge)", () => {
  const slug = "grounded-docs-assistant";
  const line = (text: string) => mustFailures(slug, referenceWith(slug, text));

  it("passes 'the newer date wins over the older date' and fails it turned round", () => {
    expect(line("Look at the dates; the newer date wins over the older date.")).toBe("");
    expect(line("A 2025 page beats a 2023 page.")).toBe("");
    expect(line("When chunks conflict, the older date wins over the newer date.")).toContain("(contradicted)");
    expect(line("When chunks conflict, the older page beats the newer one.")).toContain("(contradicted)");
  });
});
