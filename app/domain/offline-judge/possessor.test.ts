import { describe, expect, it } from "vitest";
import { exerciseBySlug } from "../../../test/support/judge-exercise";
import { judgeOffline } from "../offline-judge";

const statusOf = (slug: string, id: string, prompt: string) =>
  judgeOffline(prompt, exerciseBySlug(slug)).requirements.find((r) => r.id === id)?.status;

/** A reusable-answers rewrite whose only line about account questions is `rule`. */
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

describe("a noun's genitive read where a phrase says 'their' (possessor.ts)", () => {
  it("reads 'the writer's own records' as 'their own' account", () => {
    for (const rule of [
      "If answering needs the writer's own records (funds held, a transfer), output ACCOUNT_SPECIFIC alone.",
      "Anything hinging on the person's own records: respond with just ACCOUNT_SPECIFIC.",
      "If it means checking the asker’s own banking, write ACCOUNT_SPECIFIC and nothing more.",
    ])
      expect(statusOf("reusable-answers", "account-specific", faq(rule)), rule).toBe("covered");
  });

  it("still reads a reversal said with the genitive, and does not take a missing rule for one", () => {
    expect(
      statusOf(
        "reusable-answers",
        "account-specific",
        faq("If it needs the customer's own account, answer it as best you can."),
      ),
    ).toBe("contradicted");
    expect(
      statusOf("reusable-answers", "account-specific", faq("Keep the customer's own wording out of the reply.")),
    ).not.toBe("covered");
  });
});
