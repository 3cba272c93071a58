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

/** "alone" after what it restricts, and an author's "only the rows" said "rows only". Wordings of our own. */
const onlyTheRows = requirementSchema.parse({
  id: "rows-only",
  description: "Only the rows; only from these facts.",
  all_of: [["only the rows", "only these facts"]],
});
const saysOnly = (prompt: string) =>
  findRequirement(indexReading(readPrompt(prompt)), onlyTheRows).groups[0].filter((h) => h.asWritten).length > 0;

describe("alone: a restrictor after the noun", () => {
  it("reads a post-positive 'alone' or 'only' as 'only' before the noun phrase", () => {
    const goods = [
      "Print the rows alone.",
      "Return those rows alone: no heading.",
      "Answer the question from these facts alone, in 60 words or fewer.",
      "Reply with the rows only.",
      "Use the facts alone.",
    ];
    for (const prompt of goods) expect(saysOnly(prompt), prompt).toBe(true);
  });

  it("does not read 'alone' of leaving, of a subject judged by itself, after a verb, or before a preposition", () => {
    const lookalikes = [
      "Leave the rows alone and rewrite the heading.",
      "Let those facts alone.",
      "The rows alone are not enough; add a summary.",
      "A fact alone does not settle it.",
      "The analyst works alone on the rows.",
      "Use the rows alone for spam.",
      "Print rows, then stand alone.",
    ];
    for (const prompt of lookalikes) expect(saysOnly(prompt), prompt).toBe(false);
  });

  it("keeps the polarity: 'don't print the rows alone' does not say it", () => {
    const hits = findRequirement(indexReading(readPrompt("Don't print the rows alone.")), onlyTheRows).groups[0];
    expect(hits.some((h) => h.asWritten)).toBe(false);
  });

  it("leaves 'only' phrases of a preposition or a verb in their order", () => {
    const fromOnly = requirementSchema.parse({
      id: "from-only",
      description: "Only from the brief.",
      all_of: [["only from the brief", "only when asked"]],
    });
    const hit = (p: string) =>
      findRequirement(indexReading(readPrompt(p)), fromOnly).groups[0].filter((h) => h.asWritten).length > 0;
    expect(hit("Take the prices from the brief only.")).toBe(false);
    expect(hit("When asked only, reply.")).toBe(false);
  });
});

describe("a moved 'only' closes what it restricts", () => {
  const onlyTheCopied = requirementSchema.parse({
    id: "copied-only",
    description: "Only the copied lines.",
    all_of: [["only the copied"]],
  });
  const hit = (p: string) =>
    findRequirement(indexReading(readPrompt(p)), onlyTheCopied).groups[0].filter((h) => h.asWritten).length > 0;

  it("does not read 'copy only sentences that help' as 'the copied only'", () => {
    expect(hit("COPY only sentences that help answer the question.")).toBe(false);
    expect(hit("Copy only the useful ones.")).toBe(false);
  });
});
