import { describe, expect, it } from "vitest";
import { requirementStatus, reusableAnswersWith } from "../../../test/support/judge-exercise";

describe("a noun's genitive read where a phrase says 'their' (possessor.ts)", () => {
  it("reads 'the writer's own records' as 'their own' account", () => {
    for (const rule of [
      "If answering needs the writer's own records (funds held, a transfer), output ACCOUNT_SPECIFIC alone.",
      "Anything hinging on the person's own records: respond with just ACCOUNT_SPECIFIC.",
      "If it means checking the asker’s own banking, write ACCOUNT_SPECIFIC and nothing more.",
    ])
      expect(requirementStatus("reusable-answers", "account-specific", reusableAnswersWith(rule)), rule).toBe(
        "covered",
      );
  });

  it("still reads a reversal said with the genitive, and does not take a missing rule for one", () => {
    expect(
      requirementStatus(
        "reusable-answers",
        "account-specific",
        reusableAnswersWith("If it needs the customer's own account, answer it as best you can."),
      ),
    ).toBe("contradicted");
    expect(
      requirementStatus(
        "reusable-answers",
        "account-specific",
        reusableAnswersWith("Keep the customer's own wording out of the reply."),
      ),
    ).not.toBe("covered");
  });
});
