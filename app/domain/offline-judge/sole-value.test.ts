import { describe, expect, it } from "vitest";
import { requirementSchema } from "../exercise";
import { findRequirement } from "./coverage";
import { indexReading } from "./phrases";
import { readPrompt } from "./reading";
import { canonicalSoleValues } from "./sole-value";

/** A value said to be the whole reply, read as "only <VALUE>". Wordings of our own. */

describe("sole-value: a value that is the whole reply", () => {
  it("rewrites the idioms as 'only VALUE', keeping every offset", () => {
    const lines = [
      "If the page bills nothing, END is the entire reply.",
      "A document with no purchases gets END as its entire answer.",
      "if there are none, that END line is the whole reply",
      "If it needs their account, your entire reply is ACCOUNT_SPECIFIC.",
      'When nothing fits, reply "NONE" and nothing else.',
    ];
    for (const line of lines) {
      const out = canonicalSoleValues(line);
      expect(out.length, line).toBe(line.length);
      expect(out, line).toMatch(/\bonly\s+["“]?[A-Z_]+\b/);
    }
  });

  it("leaves a value that is part of the reply, a negated one and lower-case words alone", () => {
    const lines = [
      "END is not the whole reply: add the totals after it.",
      "Your whole reply is those three lines.",
      "The whole reply is one JSON object.",
      "Close with END, then add a summary.",
      "The entire reply ends with END.",
    ];
    for (const line of lines) expect(canonicalSoleValues(line), line).toBe(line);
  });

  it("lets an author's 'only END' pattern find the empty case said as the whole reply", () => {
    const req = requirementSchema.parse({
      id: "end-only",
      description: "Only END when there are no items.",
      all_of: [["/\\b(?:only|just)\\s+\\W?END\\b/"]],
    });
    const hit = (p: string) => findRequirement(indexReading(readPrompt(p)), req).groups[0].length > 0;
    expect(hit("If the invoice bills nothing, END is the entire reply.")).toBe(true);
    expect(hit("A bill that lists no charges yields END and nothing more.")).toBe(true);
    expect(hit("Close with END, then add a one-line summary.")).toBe(false);
  });
});
