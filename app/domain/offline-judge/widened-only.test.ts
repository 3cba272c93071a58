import { describe, expect, it } from "vitest";
import { readPrompt } from "./reading";
import { onlyWhen, widenedOnly } from "./widened-only";

const PROMOTION = "Mention the promotion only when the last purchase was bedding.";
const CHURN = "churn_risk is true only when the customer says they will cancel, leave or switch.";
const EXCHANGES = "Exchanges only for another size of the same item.";

function widened(description: string, prompt: string): boolean {
  const slot = onlyWhen(description);
  if (!slot) throw new Error(`no "only when" in ${description}`);
  return widenedOnly(readPrompt(prompt), slot, () => true) !== null;
}

describe("onlyWhen: what a description limits to some cases", () => {
  it("reads the limited thing apart from its condition", () => {
    expect(onlyWhen(PROMOTION)?.limited).toEqual(["promotion"]);
    expect(onlyWhen(EXCHANGES)?.limited).toEqual(["exchange"]);
    expect(onlyWhen(CHURN)?.limited).toContain("true");
    expect(onlyWhen(CHURN)?.values).toEqual(["true"]);
    expect(onlyWhen(PROMOTION)?.values).toEqual([]);
  });

  it("reads none without 'only when', or with a default for the rest (default-values.ts)", () => {
    expect(onlyWhen("Bills are issued on the 1st of the month.")).toBeNull();
    expect(onlyWhen("priority is high only when the notes call it urgent or a blocker, otherwise normal.")).toBeNull();
  });
});

describe("widenedOnly: the limited rule given to every case", () => {
  it.each([
    [
      PROMOTION,
      "This week's promotion is 20% off bedding. Work it into every email, and lead with it for bedding buyers.",
    ],
    [PROMOTION, "Include the promotion in all emails."],
    [PROMOTION, "Always mention the promotion, more warmly for repeat buyers."],
    [CHURN, "Set churn_risk true for all complaints."],
    [EXCHANGES, "Exchanges are possible for any reason."],
    [EXCHANGES, "We offer exchanges on every product."],
    // the value said alone, or with its alternative only as an afterthought, is still given to every case
    [CHURN, "churn_risk must always be true."],
    [CHURN, "churn_risk is always true, or false if you are not sure."],
    [CHURN, "Sentiment is one of three values; churn_risk is always `true`."],
    // the rest given the limited value
    [CHURN, "churn_risk: true when they say they will cancel. In every other case it is true too."],
  ])("widened (%s): %s", (description, prompt) => {
    expect(widened(description, prompt)).toBe(true);
  });

  it.each([
    [PROMOTION, "Mention the promotion only if the last purchase was bedding; keep every email under 45 characters."],
    [PROMOTION, "Do not put the promotion in every email: bedding buyers only."],
    [PROMOTION, "The promotion goes to every customer whose last purchase was bedding."],
    [PROMOTION, "This week's promotion is 20% off all bedding; mention it only to bedding buyers."],
    [CHURN, "Fill every key, churn_risk included."],
    [EXCHANGES, "Exchanges: only for another size of the same item, for any order."],
    // a disjunction of the key's values is the closed set it draws from, not one value for every case
    [CHURN, "The sentiment must always be one of its three values, and churn_risk must always be true or false."],
    [CHURN, "churn_risk is always `true` or `false`, never a string."],
    [CHURN, "Every ticket gets churn_risk as true/false."],
    [CHURN, "churn_risk must always be either false or true."],
    // the rest given the other value is the limit's complement
    [CHURN, "churn_risk: true only when they say they will cancel. In every other case it must be false."],
    [CHURN, "churn_risk is true when they say they will leave; for all other tickets churn_risk is false."],
  ])("kept limited (%s): %s", (description, prompt) => {
    expect(widened(description, prompt)).toBe(false);
  });
});
