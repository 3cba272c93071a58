import { describe, expect, it } from "vitest";
import { bannedSource, orderedSource } from "./banned-source";
import { readPrompt } from "./reading";

const CHUNKS = "Uses only the chunks, never general knowledge.";
const EXCERPTS = "Uses only the excerpts, never outside knowledge or estimates.";

function ordered(description: string, prompt: string): boolean {
  const banned = bannedSource(description);
  if (!banned) throw new Error(`no banned source in ${description}`);
  return orderedSource(readPrompt(prompt), banned, () => true) !== null;
}

describe("bannedSource: the source a description rules out", () => {
  it("reads the kind of knowledge by its modifier, a thing by its word", () => {
    expect(bannedSource(CHUNKS)).toEqual({ kinds: ["general"] });
    expect(bannedSource(EXCERPTS)).toEqual({ kinds: ["outside", "estimate"] });
  });

  it("reads none where nothing limits the source", () => {
    expect(bannedSource("Only the listed values, spelled exactly, never a new value.")).toBeNull();
    expect(
      bannedSource("Only offers and facts from the campaign brief, never an invented discount or deadline."),
    ).toBeNull();
    expect(bannedSource("Answer only from these facts.")).toBeNull();
  });
});

describe("orderedSource: the ruled-out source ordered back in", () => {
  it.each([
    [CHUNKS, "If no chunk covers the question, give your best answer from general data-warehouse practice."],
    [CHUNKS, "NO ANSWER: give your best general guidance, then add the fixed sentence."],
    [CHUNKS, "Where the chunks are thin, fill in with general SQL know-how."],
    [EXCERPTS, "If the excerpts cover only part of the question, complete the answer with a brief estimate."],
    [EXCERPTS, "Add outside market context where it helps."],
    [EXCERPTS, "When a figure is missing, give an estimate and mark it (est.)."],
  ])("ordered in (%s): %s", (description, prompt) => {
    expect(ordered(description, prompt)).toBe(true);
  });

  it.each([
    [CHUNKS, "Answer only from the chunks, never from general knowledge."],
    [CHUNKS, "If no chunk answers, reply the fixed sentence rather than general advice."],
    [CHUNKS, "In general, cite the chunk behind each claim."],
    [EXCERPTS, "No outside knowledge or estimates."],
    [EXCERPTS, "If an answer would need an estimate, reply: Not in the excerpts."],
    [EXCERPTS, "Don't estimate; copy figures exactly."],
  ])("kept out (%s): %s", (description, prompt) => {
    expect(ordered(description, prompt)).toBe(false);
  });
});
