import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { changesFallback, fallbackSlot } from "./fallback-value";

/**
 * The empty case given another value. Our own wordings on five exercises whose descriptions give the empty case a
 * value (none of them X1–X6's sentences: "set that key to null", "if the contract says nothing about renewal, false"),
 * and good lines that look alike.
 */

const OTHER = "other when nothing fits.";
const NULL = "Anything the contract does not state is null, never a guess, default or typical value.";

describe("fallbackSlot: the empty case's value, from a requirement's description", () => {
  it("reads other, null or a label, and nothing where no empty case is named", () => {
    expect(fallbackSlot(OTHER)).toEqual({ value: "other" });
    expect(fallbackSlot(NULL)).toEqual({ value: "null" });
    expect(fallbackSlot("UNKNOWN when the data does not support one cause; never a guess.")).toEqual({
      value: "UNKNOWN",
    });
    expect(fallbackSlot("due is YYYY-MM-DD for a deadline the notes state, otherwise null.")).toEqual({
      value: "null",
    });
    expect(fallbackSlot("issue is one of damaged, missing, wrong_item, late or other.")).toBeNull();
    expect(
      fallbackSlot("priority is high only when the notes call it urgent or a blocker, otherwise normal."),
    ).toBeNull();
  });
});

describe("changedFallback: another value for the empty case", () => {
  it.each([
    [OTHER, "If the message fits no product, product is null."],
    [OTHER, "When none of the topics applies, leave it empty."],
    [NULL, "notice_days: if the contract doesn't give a notice period, 0."],
    [NULL, "If renewal is not stated, auto_renews is false."],
  ])("%s <- %s", (description, prompt) => {
    expect(changesFallback(description, prompt)).toBe(true);
  });

  it.each([
    [OTHER, "If no product fits, other."],
    [OTHER, "If the ticket says nothing about leaving, churn_risk is false."],
    [NULL, "If the contract is silent on renewal, auto_renews: null."],
    [NULL, "auto_renews is false if the contract says it does not renew."],
    [NULL, "If a value is not stated, never false or 0: null."],
  ])("kept: %s <- %s", (description, prompt) => {
    expect(changesFallback(description, prompt)).toBe(false);
  });
});

describe("the empty case's value changed fails the requirement, on several exercises", () => {
  it("fails another value in other words", () => {
    const defects: [string, string][] = [
      ["route-to-nano", "If no queue matches, reply none."],
      ["json-not-prose", "When the email doesn't mention an order number, set order_id to unknown."],
      ["frontier-worth-it", "When the data does not support a single cause, answer FX_RATE."],
      ["contract-fields-null", "If the contract does not mention a notice period, notice_days is 0."],
      ["line-items-stop-rule", "If a unit price is missing, write 0."],
      ["closed-enumerations", "When no topic fits, use null."],
    ];
    for (const [slug, line] of defects)
      expect(mustFailures(slug, referenceWith(slug, line)), line).toContain("(contradicted)");
  });

  it("keeps the brief's value, and values for cases that are not empty", () => {
    const good: [string, string][] = [
      ["frontier-worth-it", "If the data doesn't support one cause, answer UNKNOWN."],
      ["json-not-prose", "If the email doesn't state the product, null."],
      ["contract-fields-null", "If the contract is silent on renewal, auto_renews: null."],
      ["line-items-stop-rule", "If a quantity is missing, null."],
      ["closed-enumerations", "If no product is named, product is other."],
    ];
    for (const [slug, line] of good) expect(mustFailures(slug, referenceWith(slug, line)), line).toBe("");
  });
});
