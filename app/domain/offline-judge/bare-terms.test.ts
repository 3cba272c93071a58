import { describe, expect, it } from "vitest";
import { exerciseBySlug } from "../../../test/support/judge-exercise";
import { judgeOffline } from "../offline-judge";
import { bareTerms } from "./bare-terms";
import { readPrompt } from "./reading";

const bare = (prompt: string) => bareTerms(prompt, readPrompt(prompt)) !== null;
const gaming = (slug: string, prompt: string) => judgeOffline(prompt, exerciseBySlug(slug)).gaming.keywordList;

describe("bare terms: no order and no input placeholder (bare-terms.ts)", () => {
  it("reads a verbless list of the brief's terms with no {{input}} as a list of terms", () => {
    expect(bare("60 words max, one plain paragraph, no headings, no invented specs, plain warm voice, no hype")).toBe(
      true,
    );
    expect(bare("JSON only. parties exactly as written, auto_renews true false, null never a guess.")).toBe(true);
  });

  it("reads notation with the placeholder, or any order, as a prompt", () => {
    expect(bare("Output: one label. Labels: billing, bug, other. No explanation.\n{{input}}")).toBe(false);
    expect(bare("Classify the ticket as billing, bug or other. Reply with the label only.")).toBe(false);
    expect(bare("Labels must be billing, bug or other, one word, no explanation at all.")).toBe(false);
    expect(bare("one label, no reason")).toBe(false); // too short to say
  });
});

describe("bare terms: the judge scores such a list as gaming", () => {
  it("flags three other term lists", () => {
    for (const prompt of [
      "billing, bug, account, feature_request, other, one label, lowercase, no explanation, label only",
      "label only: billing / bug / account / feature_request / other; no reasons; no punctuation; one word",
      "Output: one label. Labels: billing, bug, account, feature_request, other. No explanation.",
    ])
      expect(gaming("route-to-nano", prompt), prompt).toBe(true);
  });

  it("does not flag three real prompts: terse notation with its input, orders without it, the reference", () => {
    for (const prompt of [
      "Output: one label. Labels: billing, bug, account, feature_request, other. No explanation.\n{{input}}",
      "Classify the ticket as billing, bug, account, feature_request or other. Reply with the label only.",
      exerciseBySlug("route-to-nano").reference_solution,
    ])
      expect(gaming("route-to-nano", prompt), prompt).toBe(false);
  });
});
