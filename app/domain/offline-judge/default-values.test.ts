import { describe, expect, it } from "vitest";
import { defaultSlot, invertedDefault } from "./default-values";
import { readPrompt } from "./reading";

const PRIORITY = "priority is high only when the notes call it urgent or a blocker, otherwise normal.";
const SHIPPING = "Free return shipping for faulty or wrong items, otherwise £6.95 deducted.";

function inverted(description: string, prompt: string): boolean {
  const slot = defaultSlot(description);
  if (!slot) throw new Error(`no slot in ${description}`);
  return invertedDefault(readPrompt(prompt), slot, () => true) !== null;
}

describe("defaultSlot: a value for some cases and a default, from a requirement's description", () => {
  it("reads the value, the default and the cases", () => {
    expect(defaultSlot(PRIORITY)).toEqual({ value: "high", fallback: "normal", cases: ["urgent", "blocker"] });
    expect(defaultSlot(SHIPPING)).toEqual({ value: "free", fallback: "6.95", cases: ["faulty", "wrong"] });
  });

  it("reads none without a default or without cases", () => {
    expect(defaultSlot("Needs review when the amount is over £75 without a receipt.")).toBeNull();
    expect(defaultSlot("churn_risk is true only when the customer says they will cancel, leave or switch.")).toBeNull();
  });
});

describe("invertedDefault: the default and its exception said the other way round", () => {
  it.each([
    '"priority": "high" unless the notes say it is minor or can wait, then "normal".',
    "Priority defaults to high; use normal only for minor items.",
    "Everything is high unless the notes mark it as minor.",
    "Set priority high by default, normal when the notes say it can wait.",
    "Use normal for minor items, otherwise high.",
    "Urgent items and blockers are normal priority.",
  ])("the priority turned round: %s", (prompt) => {
    expect(inverted(PRIORITY, prompt)).toBe(true);
  });

  it.each([
    "priority: high only if urgent or blocking, otherwise normal.",
    "Unless the notes call it urgent or a blocker, priority is normal.",
    "priority is normal by default; high when the notes say urgent or blocker.",
    "high = urgent or a blocker; anything else normal.",
    "Never mark an item high unless the notes say urgent or blocker; else normal.",
  ])("the priority kept: %s", (prompt) => {
    expect(inverted(PRIORITY, prompt)).toBe(false);
  });

  it.each([
    "Return shipping is free for standard returns; for faulty or wrong items, £6.95 is deducted.",
    "Faulty or wrong items: £6.95 return fee; other returns ship free.",
    "Return shipping is free unless the item is faulty or wrong.",
    "We deduct £6.95 for faulty or wrong items.",
    "Free returns for everything except faulty or wrong items.",
  ])("the shipping rule turned round: %s", (prompt) => {
    expect(inverted(SHIPPING, prompt)).toBe(true);
  });

  it.each([
    "Free return shipping for faulty or wrong items; otherwise £6.95 is deducted.",
    "£6.95 is deducted from the refund unless the item was faulty or wrong (then return shipping is free).",
    "Return shipping costs £6.95, except for faulty or wrong items, which ship free.",
    "Faulty/wrong item: free return. Anything else: £6.95 deducted.",
  ])("the shipping rule kept: %s", (prompt) => {
    expect(inverted(SHIPPING, prompt)).toBe(false);
  });
});

describe("invertedDefault: a key's spec in parentheses states the rule like a sentence does", () => {
  it.each([
    'Each item has priority ("high" unless the notes say it can wait, in which case "normal").',
    "Fields: owner, task, due, priority (high, unless the notes mark it minor).",
    'priority (defaults to "high"; "normal" for minor items)',
    "priority (normal for minor items, otherwise high)",
  ])("the priority turned round in parentheses: %s", (prompt) => {
    expect(inverted(PRIORITY, prompt)).toBe(true);
  });

  it("the shipping rule turned round in parentheses", () => {
    expect(inverted(SHIPPING, "Return shipping (free unless the item is faulty or wrong).")).toBe(true);
  });

  it.each([
    'priority ("high" if urgent or a blocker, otherwise "normal")',
    "priority (high only for urgent or blocking items, else normal)",
    "priority (normal by default; high when the notes say urgent or blocker)",
  ])("the priority kept in parentheses: %s", (prompt) => {
    expect(inverted(PRIORITY, prompt)).toBe(false);
  });

  it("the shipping rule kept in parentheses", () => {
    expect(inverted(SHIPPING, "Return shipping (free for faulty or wrong items; otherwise £6.95 is deducted).")).toBe(
      false,
    );
  });
});
