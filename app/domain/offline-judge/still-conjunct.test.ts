import { describe, expect, it } from "vitest";
import { requirementStatus } from "../../../test/support/judge-exercise";
import { readPrompt } from "./reading";

const negated = (text: string, word: string) =>
  readPrompt(text).tokens.find((t) => t.lower === word.toLowerCase())?.negated;

describe("an item that says a state still holds (still-conjunct.ts)", () => {
  it("keeps a negation before it from reaching it", () => {
    expect(negated("Goods may come back within 30 days, never worn and with their labels still on.", "labels")).toBe(
      false,
    );
    expect(negated("Returns are fine if they haven't been worn or used and the tags are still on.", "tags")).toBe(
      false,
    );
    expect(negated("Terms: in new condition, never worn, labels still on.", "labels")).toBe(false);
    // ...while the negated words before it stay negated.
    expect(negated("Goods may come back within 30 days, never worn and with their labels still on.", "worn")).toBe(
      true,
    );
    expect(negated("Returns are fine if they haven't been worn or used and the tags are still on.", "used")).toBe(true);
  });

  it("leaves a negation that reaches past no 'still', or one said again inside the item", () => {
    expect(negated("Goods may come back worn and without their labels.", "labels")).toBe(true);
    expect(negated("Never accept worn items or items with labels removed.", "labels")).toBe(true);
    expect(negated("Items may be worn and still not have their tags.", "tags")).toBe(true);
    expect(negated("It doesn't matter whether it is worn or whether the tags are still on.", "tags")).toBe(true);
  });
});

describe("an item that says a state still holds (judge)", () => {
  const condition = (terms: string) =>
    requirementStatus(
      "cache-friendly-prefix",
      "condition",
      [
        "You answer Loom & Thread's return questions from the terms below only, in three sentences at most; if the",
        "terms don't settle it, say the returns team will email within one working day.",
        `Terms: ${terms} Final-sale items can't be returned. Refunds go to the original payment method within 5-7`,
        "business days after the parcel reaches us. Return postage is free for faulty items, otherwise £6.95.",
        "Exchanges: same item, other size.",
        "",
        "Customer question: {{input}}",
      ].join("\n"),
    );

  it("covers the unused-with-tags rule said with 'still on' after a negated 'worn'", () => {
    expect(
      condition("goods may come back up to 30 days after delivery, never worn and with their labels still on."),
    ).toBe("covered");
    expect(
      condition(
        "goods may come back up to 30 days after delivery, if they haven't been worn or used and the labels are still on.",
      ),
    ).toBe("covered");
  });

  it("still reads a rule that lets worn or untagged goods back as not covering it", () => {
    expect(
      condition("goods may come back up to 30 days after delivery, worn or not, and without their labels."),
    ).not.toBe("covered");
    expect(
      condition("goods may come back up to 30 days after delivery; the labels don't need to be still on."),
    ).not.toBe("covered");
  });
});
