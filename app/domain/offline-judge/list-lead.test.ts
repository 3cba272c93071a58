import { describe, expect, it } from "vitest";
import { comparisonSlots, reversedComparison } from "./comparison-direction";
import { readPrompt } from "./reading";

const TERMS = "Payment terms net 45 days; terms shorter than 45 days are held.";
const CAP = "An invoice over €25,000 needs CFO approval (hold).";
const RECEIPT = "Needs review when the amount is over £75 without a receipt.";
const LENGTH = "Flag functions longer than 50 lines.";
const HIGH = "HIGH for unlimited liability, exclusivity or auto-renewal over 12 months.";

function reversed(description: string, prompt: string): boolean {
  const [slot] = comparisonSlots(description);
  if (!slot) throw new Error(`no slot in ${description}`);
  return reversedComparison(readPrompt(prompt), slot, () => true) !== null;
}

describe("listLead: a list's lead states the outcome of the comparisons in its items", () => {
  it.each([
    [
      TERMS,
      "Hold it if:\n- it has no PO number;\n- it asks for payment terms longer than net 45 days;\n- it is not in EUR.",
    ],
    [
      TERMS,
      "Hold it for any of these:\n- no purchase order number;\n- payment terms longer than net 45 days from receipt.",
    ],
    [
      TERMS,
      "An invoice is held if it: has no PO number; is not in EUR; asks for payment terms longer than net 45 days.",
    ],
    [CAP, "Send to the CFO for approval:\n- invoices of €25,000 or less"],
    [
      RECEIPT,
      "Mark needs_review true when:\n- the amount is under £75 and there is no receipt\n- alcohol is on the line",
    ],
    [LENGTH, "Flag these:\n- functions shorter than 50 lines\n- console.log in production code"],
    [HIGH, "Answer HIGH for:\n- unlimited liability\n- exclusivity\n- auto-renewal of up to 12 months"],
  ])("the lead's outcome given to the other side (%s): %s", (description, prompt) => {
    expect(reversed(description, prompt)).toBe(true);
  });

  it.each([
    [TERMS, "Hold it if:\n- it asks for payment terms shorter than net 45 days;\n- it is not in EUR."],
    [
      TERMS,
      "A bill passes only if all of these hold:\n- it accepts payment terms of 45 days or longer;\n- it is in EUR.",
    ],
    [TERMS, "Hold unless all of these are met:\n- payment terms 45 days or longer\n- currency EUR"],
    [TERMS, "Hold it if any of these fails:\n- payment terms of at least net 45 days"],
    [CAP, "Hold it if:\n- the total is over €25,000 (CFO approval needed)"],
    [
      TERMS,
      "An invoice is approvable when all five hold: it quotes a PO number; its payment terms are not shorter than net 45 days; its total is €25,000 or less.",
    ],
    [RECEIPT, "Approve without review:\n- amounts under £75"],
    [LENGTH, "Don't flag:\n- functions shorter than 50 lines"],
    [
      TERMS,
      "An invoice is approvable only if all of these are true: it quotes a PO number; its payment terms are net 45 days from receipt or longer (shorter terms are held); it is in EUR.",
    ],
  ])("keeps the rule (%s): %s", (description, prompt) => {
    expect(reversed(description, prompt)).toBe(false);
  });
});

describe("listLead: an item's own LABEL: leads its branches, under a heading or not", () => {
  const UNDER = "Contract clause screening. Answer with the label only.\n";
  it.each([
    `${UNDER}- HIGH: unlimited or uncapped liability; exclusivity; automatic renewal of 12 months or less\n- LOW: none of these`,
    `${UNDER}- HIGH: uncapped liability; exclusivity; auto-renewal of up to 12 months`,
    "- HIGH: uncapped liability; exclusive supply; renewal of at most 12 months\n- ESCALATE: unsure",
  ])("the item's label given to the other side of the figure: %s", (prompt) => {
    expect(reversed(HIGH, prompt)).toBe(true);
  });

  it.each([
    `${UNDER}- HIGH: unlimited or uncapped liability; exclusivity; automatic renewal of more than 12 months\n- LOW: none of these`,
    `${UNDER}- HIGH: no liability cap; exclusivity; auto-renewal over 12 months\n- LOW: renewal of 12 months or less, capped liability`,
    `${UNDER}- HIGH: uncapped liability; exclusivity; a renewal longer than a year (beyond twelve months)`,
    `${UNDER}- LOW: renewals of 12 months or less with a cap on liability`,
    "- not HIGH: renewals of up to 12 months\n- HIGH: renewals over 12 months",
  ])("the other side given another label, or the rule's side its own: %s", (prompt) => {
    expect(reversed(HIGH, prompt)).toBe(false);
  });
});
