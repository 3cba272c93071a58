import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { readPrompt } from "./reading";

const negated = (prompt: string) =>
  readPrompt(prompt)
    .tokens.filter((t) => t.negated && /[\p{L}\p{N}]/u.test(t.text))
    .map((t) => t.text)
    .join(" ");

describe("negation reach: where a negation stops at a comma (negation-reach.ts)", () => {
  it("ends 'never' before a noun phrase at its item, and 'don't' before an order of its own", () => {
    expect(negated("Refunds go back to the original method, never another card, within 5-7 business days.")).toBe(
      "another card",
    );
    expect(negated("Investment questions: don't advise, point them to an advisor.")).toBe("advise");
    expect(negated("Anything not in the email is null.")).toBe("in the email");
    expect(negated("Fields not on the invoice stay null.")).toBe("on the invoice");
  });

  it("keeps a list the negation shares negated", () => {
    expect(negated("Never a greeting, a sign-off or a summary.")).toBe("a greeting a sign off or a summary");
    expect(negated("Don't request, echo or keep a PIN.")).toBe("request echo or keep a PIN");
    expect(negated("Never add greetings, thanks.")).toBe("add greetings thanks");
  });
});

const SAFETY = "No investment, legal or tax advice; refer them to an advisor.";
const REFUND = "Refund to the original payment method within 5-7 business days.";

describe("negation reach: a second order or item after a refusal is not refused (judge)", () => {
  it("reads five wordings of 'no advice, refer them' as the rule", () => {
    for (const line of [
      "3. Investment, legal or tax questions: don't advise, point them to an advisor.",
      "3. Do not advise on investment, legal or tax matters, direct them to an advisor.",
      "3. On investment, legal or tax matters never advise, send them to an advisor.",
      "3. Investment, legal or tax: don't give advice, tell them to book an advisor.",
      "3. Never offer investment, legal or tax advice, refer them to an advisor instead.",
    ])
      expect(mustFailures("keep-the-safety-rules", referenceReplacing("keep-the-safety-rules", "3.", line)), line).toBe(
        "",
      );
  });

  it("still fails three look-alikes that give the advice or refuse the referral", () => {
    for (const line of [
      "3. Investment, legal or tax questions: don't refer, advise them yourself.",
      "3. Investment, legal or tax questions: don't point them to an advisor, advise them.",
      "3. Investment, legal or tax questions: don't advise, don't refer them to an advisor.",
    ])
      expect(
        mustFailures("keep-the-safety-rules", referenceReplacing("keep-the-safety-rules", "3.", line)),
        line,
      ).toContain(SAFETY);
  });

  it("reads five wordings of 'never another card' inside the refund rule as the rule", () => {
    for (const line of [
      "- Refunds go back to the original payment method, never another card, within 5-7 business days.",
      "- Refund to the original payment method, never a voucher, within 5-7 business days.",
      "- Refund to the original card, never a different one, in 5-7 business days.",
      "- Refund to the original payment method, never a gift card, within 5-7 business days.",
      "- Refund to the card they paid with, never any other, within 5-7 business days of receiving the item.",
    ])
      expect(
        mustFailures("cache-friendly-prefix", referenceReplacing("cache-friendly-prefix", "- Refund", line)),
        line,
      ).toBe("");
  });

  it("still fails three look-alikes that refund elsewhere or refuse the time limit", () => {
    for (const line of [
      "- Refunds go back to any card the customer names, never the original one, within 5-7 business days.",
      "- Refunds go back as store credit, never to the original payment method, within 5-7 business days.",
      "- Refunds go back to the original payment method, never within 5-7 business days.",
    ])
      expect(
        mustFailures("cache-friendly-prefix", referenceReplacing("cache-friendly-prefix", "- Refund", line)),
        line,
      ).toContain(REFUND);
  });
});

const NULL_MISSING = "Anything the email does not state is null, never guessed.";

describe("negation reach: 'not' in the subject's modifier refuses the modifier, not the predicate (judge)", () => {
  it("reads five wordings of 'anything not in the email is null' as the rule", () => {
    for (const line of [
      "Anything not in the email is null; never infer it.",
      "A field not in the email is null, never a guess.",
      "Values not in the email stay null; don't guess.",
      "Whatever is not in the email is null; never guess.",
      "Anything not on the page becomes null; never infer it.",
    ])
      expect(
        mustFailures(
          "json-not-prose",
          referenceReplacing("json-not-prose", "Copy order_id", "Copy order_id exactly.", line),
        ),
        line,
      ).toBe("");
  });

  it("still fails three look-alikes that refuse null or ask for a guess", () => {
    for (const line of [
      "Anything not in the email is never null; infer it.",
      "Anything not in the email is your best guess, not null.",
      "Anything not in the email: guess it, no nulls.",
    ])
      expect(
        mustFailures(
          "json-not-prose",
          referenceReplacing("json-not-prose", "Copy order_id", "Copy order_id exactly.", line),
        ),
        line,
      ).toContain(NULL_MISSING);
  });
});
