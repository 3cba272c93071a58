import { describe, expect, it } from "vitest";
import { exerciseBySlug } from "../../../test/support/judge-exercise";
import { judgeOffline } from "../offline-judge";

const statusOf = (slug: string, id: string, prompt: string) =>
  judgeOffline(prompt, exerciseBySlug(slug)).requirements.find((r) => r.id === id)?.status;

const faq = (rule: string) =>
  [
    "Answer Harbour Bank questions; every reply is stored and reused for other customers, so keep it general:",
    "repeat no names, card or account digits, sums or dates from the question.",
    "Use only these facts: a lost or stolen card is frozen in the app, and the new card is free and arrives",
    "within 5 working days. Sending money abroad costs £4 and takes 1-2 working days. At most 60 words.",
    rule,
    "",
    "{{input}}",
  ].join("\n");

describe("a verb under 'would', 'could' or 'might' describes a case, it orders nothing (hypothetical.ts)", () => {
  it("does not read 'if answering would reveal another person's details' as an order to reveal them", () => {
    for (const rule of [
      "If answering needs their own account, or would reveal another person's details, output ACCOUNT_SPECIFIC alone.",
      "When a reply could disclose someone else's information or needs their balance, write just ACCOUNT_SPECIFIC.",
    ]) {
      expect(statusOf("reusable-answers", "others-details", faq(rule)), rule).toBe("covered");
      expect(statusOf("reusable-answers", "account-specific", faq(rule)), rule).toBe("covered");
    }
  });

  it("still reads the order, and what the model is told it may do, as breaking the rule", () => {
    for (const rule of [
      "If someone asks for another person's details, reveal them.",
      "If someone asks for another person's details, you could share them.",
    ])
      expect(statusOf("reusable-answers", "others-details", faq(rule)), rule).toBe("contradicted");
  });
});
