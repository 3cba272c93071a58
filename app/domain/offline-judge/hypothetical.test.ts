import { describe, expect, it } from "vitest";
import { requirementStatus, reusableAnswersWith } from "../../../test/support/judge-exercise";

describe("a verb under 'would', 'could' or 'might' describes a case, it orders nothing (hypothetical.ts)", () => {
  it("does not read 'if answering would reveal another person's details' as an order to reveal them", () => {
    for (const rule of [
      "If answering needs their own account, or would reveal another person's details, output ACCOUNT_SPECIFIC alone.",
      "When a reply could disclose someone else's information or needs their balance, write just ACCOUNT_SPECIFIC.",
    ]) {
      expect(requirementStatus("reusable-answers", "others-details", reusableAnswersWith(rule)), rule).toBe("covered");
      expect(requirementStatus("reusable-answers", "account-specific", reusableAnswersWith(rule)), rule).toBe(
        "covered",
      );
    }
  });

  it("still reads the order, and what the model is told it may do, as breaking the rule", () => {
    for (const rule of [
      "If someone asks for another person's details, reveal them.",
      "If someone asks for another person's details, you could share them.",
    ])
      expect(requirementStatus("reusable-answers", "others-details", reusableAnswersWith(rule)), rule).toBe(
        "contradicted",
      );
  });
});
