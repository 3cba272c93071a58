import { describe, expect, it } from "vitest";
import { readPrompt } from "./reading";
import { sideSlot, swappedSide } from "./side-values";

const ROAMING = "EU roaming included on Unlimited plans; other plans £2.25 a day.";
const DELIVERY = "Delivery free for Gold members; other members £3.99.";
const SUPPORT = "Phone support included on Enterprise plans; all other plans email only.";

function swapped(description: string, prompt: string): boolean {
  const slot = sideSlot(description);
  if (!slot) throw new Error(`no slot in ${description}`);
  return swappedSide(readPrompt(prompt), slot, () => true) !== null;
}

describe("sideSlot: a named case's value and everyone else's, from a requirement's description", () => {
  it("reads the case, its value and the others' value", () => {
    expect(sideSlot(ROAMING)).toEqual({ case: "unlimited", name: "Unlimited", value: "included", others: "2.25" });
    expect(sideSlot(DELIVERY)).toEqual({ case: "gold", name: "Gold", value: "free", others: "3.99" });
    expect(sideSlot(SUPPORT)).toEqual({ case: "enterprise", name: "Enterprise", value: "included", others: "email" });
  });

  it("reads none where the description names no other side", () => {
    expect(sideSlot("Free return shipping for faulty or wrong items, otherwise £6.95 deducted.")).toBeNull();
    expect(sideSlot("Bills are issued on the 1st of the month.")).toBeNull();
    expect(sideSlot("SKIP for an empty review, spam, or text that is not a review.")).toBeNull();
  });
});

describe("swappedSide: the others' value bound to the named case", () => {
  it.each([
    [ROAMING, "- EU roaming: £2.25 per day on Unlimited plans; included at no extra cost on all other plans."],
    [ROAMING, "eu_roaming: Unlimited = £2.25/day; other plans = included"],
    [ROAMING, "- EU roaming costs £2.25 a day on Unlimited plans; on other plans it is included."],
    [ROAMING, "Unlimited customers pay £2.25 a day to roam in the EU."],
    [DELIVERY, "Gold members pay £3.99 for delivery; everyone else gets it free."],
    [DELIVERY, "delivery: Gold = £3.99"],
    [SUPPORT, "Enterprise plans get email only; phone support comes with the others."],
  ])("swapped (%s): %s", (description, prompt) => {
    expect(swapped(description, prompt)).toBe(true);
  });

  it.each([
    [ROAMING, "- EU roaming is included on Unlimited plans; other plans pay £2.25 a day."],
    [ROAMING, "Roaming in the EU costs nothing extra on Unlimited plans and £2.25 per day on every other plan."],
    [ROAMING, "roaming £2.25/day (included on Unlimited)"],
    [ROAMING, "EU roaming is £2.25 a day except on Unlimited."],
    [ROAMING, "EU roaming: £2.25 a day on plans other than Unlimited."],
    [ROAMING, "If they are not on Unlimited, roaming costs £2.25 a day."],
    [ROAMING, "Encourage an upgrade to Unlimited so EU roaming is included instead of £2.25 a day."],
    [ROAMING, "£2.25 a day for non-Unlimited plans."],
    [DELIVERY, "Gold members get free delivery, other members pay £3.99."],
    [SUPPORT, "Enterprise: phone support included. Everyone else: email only."],
  ])("keeps the sides (%s): %s", (description, prompt) => {
    expect(swapped(description, prompt)).toBe(false);
  });
});
