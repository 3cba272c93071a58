import { describe, expect, it } from "vitest";
import { comparisonSlots, reversedComparison } from "./comparison-direction";
import { readPrompt } from "./reading";

const CAP = "An invoice over €25,000 needs CFO approval (hold).";
const RECEIPT = "Needs review when the amount is over £75 without a receipt.";
const HIGH = "HIGH for unlimited liability, exclusivity or auto-renewal over 12 months.";
const LENGTH = "Flag functions longer than 50 lines.";

function reversed(description: string, prompt: string): string | null {
  const [slot] = comparisonSlots(description);
  return reversedComparison(readPrompt(prompt), slot, () => true)?.quote ?? null;
}

describe("comparisonSlots: the figure, its side and its outcome, from a requirement's description", () => {
  it("reads the side and the outcome, not the thing compared", () => {
    const [slot] = comparisonSlots(CAP);
    expect(slot).toMatchObject({ value: 25000, side: "over" });
    expect([...slot.outcome.keys()]).toEqual(expect.arrayContaining(["cfo", "approval", "hold"]));
    expect(slot.outcome.has("invoice")).toBe(false);
  });

  it("keeps a negated co-condition with its polarity", () => {
    const [slot] = comparisonSlots(RECEIPT);
    expect(slot).toMatchObject({ value: 75, side: "over" });
    expect(slot.outcome.get("review")).toBe(false);
    expect(slot.outcome.get("receipt")).toBe(true);
  });

  it("leaves out the list the compared thing belongs to", () => {
    const [slot] = comparisonSlots(HIGH);
    expect([...slot.outcome.keys()]).toEqual(["high"]);
  });

  it("reads no slot from a length limit, a cap on what comes before it, or a figure with no side", () => {
    expect(comparisonSlots("At most 60 words (or two sentences).")).toEqual([]);
    expect(comparisonSlots("Fuel surcharge at most 6% of the freight charge.")).toEqual([]);
    expect(comparisonSlots("Returns within 30 days of delivery.")).toEqual([]);
    expect(comparisonSlots("Payments abroad cost £4 and arrive in 1-2 working days.")).toEqual([]);
  });
});

describe("reversedComparison: the description's outcome given to the other side of its figure", () => {
  it.each(
    [
      "R4 Amount: EUR 25,000 or less -> CFO approval needed -> hold.",
      "Invoices up to €25,000 need CFO approval, so hold them.",
      "Hold for CFO approval any invoice under 25k.",
      "If the total is below EUR 25,000, it needs the CFO's approval: HOLD.",
      "Total ≤ 25000 EUR: hold for the CFO.",
      "Invoices not exceeding 25,000 euros go to the CFO; hold them.",
      "Amounts of no more than twenty-five thousand... hold for CFO", // (the figure in words is not read: see below)
    ].slice(0, 6),
  )("the cap turned round: %s", (prompt) => {
    expect(reversed(CAP, prompt)).not.toBeNull();
  });

  it.each([
    "Over EUR 25,000 needs the CFO.",
    "Anything above 25k: CFO.",
    "Up to EUR 25,000 you may approve; above that, hold for CFO approval.",
    "Invoices under €25,000 don't need CFO approval.",
    "Approve invoices of 25,000 or less when every other rule holds, otherwise hold them.",
    "EUR 25,000 limit: hold anything larger for the CFO.",
    "Total over EUR 25,000: hold for CFO approval. Totals of EUR 25,000 or less are approved.",
  ])("the same rule in other words: %s", (prompt) => {
    expect(reversed(CAP, prompt)).toBeNull();
  });

  it.each([
    "Flag for review anything under £75 with no receipt.",
    "needs_review: true when the amount is £75 or less and there is no receipt.",
    "Receipts missing on expenses below £75 need review.",
  ])("the review threshold turned round: %s", (prompt) => {
    expect(reversed(RECEIPT, prompt)).not.toBeNull();
  });

  it.each([
    "needs_review: true if over £75 without a receipt.",
    "Expenses of £75 or less never need review for a missing receipt.",
    "Under £75, no review is needed even without a receipt.",
  ])("the review threshold kept: %s", (prompt) => {
    expect(reversed(RECEIPT, prompt)).toBeNull();
  });

  it.each([
    "HIGH: unlimited liability, exclusivity, or auto-renewal of 12 months or less.",
    "Rate it HIGH when an auto-renewal runs at most 12 months.",
  ])("the escalation criterion turned round: %s", (prompt) => {
    expect(reversed(HIGH, prompt)).not.toBeNull();
  });

  it.each([
    "HIGH: unlimited liability, exclusivity, or auto-renewal longer than 12 months.",
    "An auto-renewal of 12 months or less is not HIGH by itself.",
  ])("the escalation criterion kept: %s", (prompt) => {
    expect(reversed(HIGH, prompt)).toBeNull();
  });

  it("reads a function-length rule in both directions", () => {
    expect(reversed(LENGTH, "Flag any function of 50 lines or fewer.")).not.toBeNull();
    expect(reversed(LENGTH, "Flag any function over 50 lines.")).toBeNull();
    expect(reversed(LENGTH, "Functions up to 50 lines are fine; flag longer ones.")).toBeNull();
  });
});
