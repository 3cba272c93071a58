import { describe, expect, it } from "vitest";
import { replySizeConflicts } from "./brief-reply-sizes";

const sizes = { baseline: 600, target: 35 };

describe("reply sizes quoted in a brief", () => {
  it("accepts the baseline and target reply sizes, within a brief's rounding", () => {
    const brief = `That is about **600 output tokens** a call; about 650 output tokens on a long one.
A prompt that asks for three lines (about 35 output tokens), a 35-token answer, costs less. [[par_tokens]] output tokens.`;
    expect(replySizeConflicts(brief, sizes)).toEqual([]);
  });

  it("refuses a reply size the panel does not price, at its offset", () => {
    const brief = "The essay is about **1,500 visible output tokens**.\nA 90-token answer costs $160.";
    const found = replySizeConflicts(brief, sizes);
    expect(found.map((p) => brief.slice(p.offset).split("\n")[0])).toEqual([
      "1,500 visible output tokens**.",
      "90-token answer costs $160.",
    ]);
    expect(found[0].message).toBe(
      '"1,500 visible output tokens" is neither the starting prompt\'s reply (output_tokens.baseline: 600) nor the short reply (output_tokens.target: 35), the sizes the panel prices replies at; change the brief or output_tokens',
    );
  });
});
