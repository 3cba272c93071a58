import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { readPrompt } from "./reading";

const negated = (text: string, word: string) =>
  readPrompt(text).tokens.find((t) => t.lower === word.toLowerCase())?.negated;

describe("comma orders: an order after a comma, and a negation said as an aside (comma-orders.ts)", () => {
  it("ends a 'no' or a 'don't' at an order with its object after a comma", () => {
    expect(negated("Tax questions: no advice, suggest a qualified advisor.", "advisor")).toBe(false);
    expect(negated("Tax questions: don't advise, point them to an advisor.", "advisor")).toBe(false);
    expect(negated("Tax questions: no advice, suggest a qualified advisor.", "advice")).toBe(true);
  });

  it("ends a negation said between commas at an item that opens with a preposition", () => {
    expect(negated("Refund to the original method, never another card, within 5-7 days.", "days")).toBe(false);
    expect(negated("Answer from the chunks, ignoring irrelevant ones, in three sentences.", "sentences")).toBe(false);
    expect(negated("Refund to the original method, never another card, within 5-7 days.", "card")).toBe(true);
  });

  it("ends a negation said between commas at an item that opens with an amount", () => {
    const text =
      "Money goes back to the card used to pay, never elsewhere, 5-7 business days after the parcel reaches us.";
    expect(negated(text, "days")).toBe(false);
    expect(negated(text, "parcel")).toBe(false);
    expect(negated(text, "elsewhere")).toBe(true);
    // A negation that opens the sentence is no aside: its amount is still under it.
    expect(negated("Never refund to another card, 10 days max.", "days")).toBe(true);
  });

  it("keeps a list the negation governs", () => {
    expect(negated("Reply with the label, no explanation, reasoning or notes.", "reasoning")).toBe(true);
    expect(negated("Reply in English, never French, German or Spanish.", "german")).toBe(true);
    expect(negated("No table, fence, heading, note.", "note")).toBe(true);
  });
});

describe("comma orders (judge)", () => {
  const advice = (line: string) =>
    mustFailures("keep-the-safety-rules", referenceReplacing("keep-the-safety-rules", "3. No investment", line));
  const chunks = (line: string) =>
    mustFailures("grounded-docs-assistant", referenceReplacing("grounded-docs-assistant", "Answer the analyst", line));

  it("reads five wordings in two exercises as the rule", () => {
    for (const line of [
      "3. Investment, legal or tax questions: no advice, suggest a qualified advisor.",
      "3. Investment, legal or tax questions: don't advise, point them to an advisor.",
      "3. Investment, legal or tax questions: no advice, refer them to an advisor.",
    ])
      expect(advice(line), line).toBe("");
    for (const line of [
      "Answer from the chunks alone, ignoring irrelevant ones, in at most three sentences, citing each claim's chunk, e.g. [D2].",
      // (with the chunks about the question: the brief's rule that relevant-chunks reads)
      "Answer using only the chunks about it, never your own knowledge, in at most three sentences; cite each claim's chunk, e.g. [D2].",
    ])
      expect(chunks(line), line).toBe("");
  });

  it("still fails three look-alikes that give the advice or drop the limit", () => {
    expect(advice("3. Investment questions: no referral, suggest a good fund.")).not.toBe("");
    expect(
      advice("3. Investment, legal or tax questions: answer them yourself, suggest suitable investments."),
    ).not.toBe("");
    expect(
      chunks("Answer from the chunks alone, ignoring the sentence limit, with a citation like [D2] after each claim."),
    ).not.toBe("");
  });
});
