import { describe, expect, it } from "vitest";
import { requirementStatus } from "../../../test/support/judge-exercise";
import { statusReplacing } from "../../../test/support/reference-replacing";
import { findPhrase, indexReading } from "./phrases";
import { readPrompt } from "./reading";

/**
 * Two negated orders joined by "and", the second with a courtesy, a sequence word or its subject first ("and please do
 * not add tips", "and you must not", "and in no case"): each negation governs its own clause (reading.ts), so the
 * second does not cancel the first's reach into its words.
 */
describe("a second negation after 'and please' opens its own clause (reading.ts)", () => {
  const nothingElse = (line: string) =>
    statusReplacing(
      "subject-lines-no-preamble",
      "nothing-else",
      "Use only",
      `Use only offers and facts stated in the brief. ${line}`,
    );

  it.each([
    "Output only the lines. Please do not explain the psychology behind them and please do not add any tips at the end.",
    "Output only the lines. Don't explain them and kindly don't add tips.",
    "Output only the lines. Do not explain them and then do not add tips.",
    "Output only the lines. Don't explain them and you must not add tips.",
    "Output only the lines. Do not explain them and in no case add tips.",
  ])("keeps both orders negated: %s", (line) => {
    expect(nothingElse(line)).toBe("covered");
  });

  it.each([
    "Output only the lines. Do not explain them and please add tips at the end.",
    "Output only the lines. Do not number them and also add a tip.",
    "Output only the lines. Do not number them and you must add a tip at the end.",
  ])("still reads a second, affirmed order as asking for it: %s", (line) => {
    expect(nothingElse(line)).toBe("contradicted");
  });
});

describe("a participle breaker does not meet the noun ('numbered' in 'Number of lines:', phrases.ts)", () => {
  const nothingElse = (prompt: string) => requirementStatus("subject-lines-no-preamble", "nothing-else", prompt);
  const rest =
    "Length: max 8 words each.\nFacts: only offers and facts from the brief.\nOutput: the three lines only, nothing else.\n{{input}}";

  it("reads a 'Number of lines:' key as naming a quantity", () => {
    expect(
      nothingElse(`Task: subject lines for the campaign brief below.\nNumber of lines: 3, one per line.\n${rest}`),
    ).toBe("covered");
  });

  it("still reads numbered lines asked for", () => {
    expect(nothingElse(`Task: subject lines for the campaign brief below.\nLines: 3, numbered.\n${rest}`)).toBe(
      "contradicted",
    );
  });
});

describe("a participle meets its bare noun nowhere in a strict phrase, first word or later (phrases.ts matchesAt)", () => {
  const strictHits = (prompt: string, phrase: string) =>
    findPhrase(indexReading(readPrompt(prompt)), phrase, 50, true).length;

  it.each([
    ["Give the lines. Number of lines: 3.", "numbered"],
    ["Give the lines with a number of emojis.", "with numbered"],
    ["Return them in the order of importance.", "in ordered"],
  ])("'%s' does not say '%s'", (prompt, phrase) => {
    expect(strictHits(prompt, phrase)).toBe(0);
  });

  it.each([
    ["Give three numbered lines.", "numbered"],
    ["Give the lines with numbered bullets.", "with numbered"],
    ["Return them in ordered form.", "in ordered"],
  ])("'%s' says '%s'", (prompt, phrase) => {
    expect(strictHits(prompt, phrase)).toBe(1);
  });
});
