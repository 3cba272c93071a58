import { describe, expect, it } from "vitest";
import { requirementSchema } from "../exercise";
import { findRequirement } from "./coverage";
import { indexReading } from "./phrases";
import { readPrompt } from "./reading";

/** "only" at the end of a phrase, read for what it restricts. Wordings of our own. */

const linesOnly = requirementSchema.parse({
  id: "nothing-else",
  description: "Nothing but the lines.",
  all_of: [["lines only", "labels only", "json only"]],
});
const found = (prompt: string) =>
  findRequirement(indexReading(readPrompt(prompt)), linesOnly).groups[0].filter((h) => h.asWritten).length > 0;

describe("only: what it restricts", () => {
  it("does not read 'only' before a preposition as 'the lines only'", () => {
    const defects = [
      "Write three lines, basing every line only on facts in the brief.",
      "Keep each line only to what the brief says.",
      "Use the labels only for spam.",
      "Produce JSON only when the ticket is in English.",
      "Each line only from the offers listed.",
    ];
    for (const prompt of defects) expect(found(prompt), prompt).toBe(false);
  });

  it("still reads the reply restricted", () => {
    const goods = ["Output: three lines only.", "Reply with the lines only, nothing else.", "JSON only; no prose."];
    for (const prompt of goods) expect(found(prompt), prompt).toBe(true);
  });
});
