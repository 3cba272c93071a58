import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { canonicalLimits, limitWindows } from "./limit-idioms";

describe("limit idioms: a limit written as a compound of its number and unit (limit-idioms.ts)", () => {
  it("rewrites 'a three-sentence cap' and 'an 80-word limit' as 'max N units', offsets kept", () => {
    for (const [text, canonical] of [
      ["reply within a three-sentence cap.", "reply within max three sentences ."],
      ["an 80-word limit applies", "max 80 words     applies"],
      ["a 60-word maximum", "max 60 words     "],
    ]) {
      expect(canonicalLimits(text)).toBe(canonical);
      expect(canonicalLimits(text)).toHaveLength(text.length);
    }
  });

  it("leaves a compound that is no limit, or too short to rewrite in place, as it is", () => {
    expect(canonicalLimits("a two-sentence answer")).toBe("a two-sentence answer");
    expect(canonicalLimits("12-line max")).toBe("12-line max");
    expect(canonicalLimits("a 200-word minimum")).toBe("a 200-word minimum");
  });
});

describe("limit idioms, compound (judge)", () => {
  it("reads three compounds as the limit and fails a wider cap or none", () => {
    const profile = (words: string) =>
      mustFailures(
        "profile-last",
        referenceReplacing(
          "profile-last",
          "You are Brightwave",
          `You are Brightwave Mobile's chat assistant. Greet the customer by first name (from the customer block at the end), then answer their message ${words}, using only these facts; never invent offers or discounts.`,
        ),
      );
    for (const words of ["within a three-sentence cap", "under a 3-sentence limit", "with a three-sentence maximum"])
      expect(profile(words), words).toBe("");
    expect(profile("with a five-sentence cap"), "five").not.toBe("");
    expect(profile("in full detail"), "no limit").not.toBe("");
  });
});

describe("limit idioms: a ceiling said any way English says one (limit-idioms.ts)", () => {
  it("rewrites a ceiling's noun, participle or trailing word, and counts said with a collective noun, offsets kept", () => {
    for (const [text, canonical] of [
      ["capped at 8 words.", "at most   8 words."],
      ["a cap of 80 words", "at most  80 words"],
      ["a ceiling of five entries", "at most      five entries"],
      ["no longer than eighty words", "at most        eighty words"],
      ["shorter than nine words", "fewer than   nine words"],
      ["Five entries tops, urgent first.", "Five entries max , urgent first."],
      ["three being the ceiling", "three max              "],
      ["8 words is the max", "8 words max       "],
      ["a trio of sentences", "three     sentences"],
      ["a pair of sentences or fewer", "two       sentences or fewer"],
      ["up to a dozen words", "up to twelve  words"],
      ["a 12-word-max instruction", "max 12 words  instruction"],
      ["five entries-max", "five entries-max"],
    ]) {
      expect(canonicalLimits(text), text).toBe(canonical);
      expect(canonicalLimits(text)).toHaveLength(text.length);
    }
  });

  it("leaves the same words alone where they set no ceiling", () => {
    for (const text of [
      "the tops of the pages",
      "at least a cap",
      "the ceiling of the room",
      "capped at the top",
      "a limit of the tool",
    ])
      expect(canonicalLimits(text), text).toBe(text);
  });
});

describe("limit idioms, ceilings said any way (judge)", () => {
  const subjects = (limit: string) =>
    mustFailures(
      "subject-lines-no-preamble",
      referenceReplacing(
        "subject-lines-no-preamble",
        "Write exactly 3",
        `Write exactly 3 email subject lines for the campaign below, one per line, ${limit}.`,
      ),
    );
  const actions = (limit: string) =>
    mustFailures(
      "meeting-action-items",
      referenceReplacing(
        "meeting-action-items",
        "Extract the action items",
        `Extract the action items from the meeting notes. Reply with a JSON array only, no code fence. ${limit}`,
      ),
    );

  it("reads a ceiling as a noun, a participle or a trailing word as the word limit", () => {
    for (const limit of [
      "each capped at 8 words",
      "each under a cap of eight words",
      "each no longer than eight words",
      "each shorter than nine words",
      "eight words tops each",
      "none longer than eight words",
      "none over eight words",
    ])
      expect(subjects(limit), limit).toBe("");
  });

  it("fails the same words turned into a minimum, set on a larger figure, or negated", () => {
    for (const limit of [
      "each at least eight words",
      "each capped at 15 words",
      "each no shorter than eight words",
      "each fifteen words tops",
      "none longer than fifteen words",
    ])
      expect(subjects(limit), limit).not.toBe("");
  });

  it("reads a verbless fragment with a trailing ceiling as an order; not a larger one, a negated one or past practice", () => {
    expect(actions("Five entries tops, urgent or blocking ones first.")).toBe("");
    expect(actions("Items: a ceiling of five, urgent or blocking ones first.")).toBe("");
    expect(actions("Ten entries tops, urgent or blocking ones first.")).not.toBe("");
    expect(actions("No cap of five entries.")).not.toBe("");
    expect(actions("Last year we kept five entries tops.")).not.toBe("");
  });
});

describe("limit idioms: a prompt's repeated lines (speed: each distinct line rewritten once)", () => {
  it("gives every repeat of a rewritten line its own window at its own offset", () => {
    const line = "Never exceed three bullets.";
    const text = `${line}\nKeep it short.\n${line}\n${line}`;
    const windows = limitWindows(text);
    expect(windows.map((w) => w.start)).toEqual([0, line.length + 16, 2 * line.length + 17]);
    for (const w of windows) expect(w.text).toBe(canonicalLimits(line));
    expect(limitWindows("Keep it short.\nKeep it short.")).toEqual([]);
  });
});
