import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { readPrompt } from "./reading";

const negated = (text: string, word: string) =>
  readPrompt(text).tokens.find((t) => t.lower === word.toLowerCase())?.negated;

describe("zero amount: a price of nothing states a fact, it forbids nothing (zero-amount.ts)", () => {
  it("leaves the plan and the other price affirmed after 'costs nothing' and 'no extra charge'", () => {
    expect(negated("EU roaming costs nothing extra on Unlimited plans and £2.25 a day on others.", "unlimited")).toBe(
      false,
    );
    expect(negated("EU roaming costs nothing extra on Unlimited plans and £2.25 a day on others.", "2.25")).toBe(false);
    expect(negated("Returns are at no extra cost for faulty items.", "faulty")).toBe(false);
    expect(negated("Unlimited customers pay nothing for roaming.", "roaming")).toBe(false);
  });

  it("keeps 'nothing' and 'no' forbidding after other verbs and before a predicate", () => {
    expect(negated("Add nothing about roaming.", "roaming")).toBe(true);
    expect(negated("Invent no discounts for Unlimited plans.", "unlimited")).toBe(true);
    expect(negated("No charges may be promised on Unlimited plans.", "unlimited")).toBe(true);
  });
});

describe("zero amount (judge)", () => {
  it("reads five wordings of a zero price as the fact, in three exercises", () => {
    const roaming = (line: string) =>
      mustFailures("profile-last", referenceReplacing("profile-last", "- EU roaming", line));
    for (const line of [
      "- EU roaming costs nothing extra on Unlimited plans and £2.25 a day on all other plans, only on days used abroad.",
      "- Roaming in the EU costs nothing on Unlimited; every other plan pays £2.25 a day.",
      "- EU roaming is at no additional cost on Unlimited plans and £2.25 per day on other plans.",
    ])
      expect(roaming(line), line).toBe("");
    expect(
      mustFailures(
        "cache-friendly-prefix",
        referenceReplacing(
          "cache-friendly-prefix",
          "- Faulty",
          "- Faulty or wrong items cost nothing to return; other returns cost £6.95, taken off the refund.",
        ),
      ),
    ).toBe("");
    expect(
      mustFailures(
        "reusable-answers",
        referenceReplacing(
          "reusable-answers",
          "- Lost",
          "- Lost or stolen card: freeze it in the app; a replacement costs nothing and arrives within 5 working days.",
        ),
      ),
    ).toBe("");
  });

  it("still fails three look-alikes that put the price on the wrong plan or on every plan", () => {
    const roaming = (line: string) =>
      mustFailures("profile-last", referenceReplacing("profile-last", "- EU roaming", line));
    for (const line of [
      "- EU roaming costs nothing extra on other plans and £2.25 a day on Unlimited plans.",
      "- EU roaming is free on other plans and £2.25 per day for Unlimited.",
      "- EU roaming costs £2.25 a day, even on Unlimited plans; it costs nothing at home.",
    ])
      expect(roaming(line), line).toMatch(/roaming/i);
  });
});
