import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { canonicalLimits } from "./limit-idioms";

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
