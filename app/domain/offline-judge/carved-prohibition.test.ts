import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { bannedContent, carves } from "./carved-prohibition";

/**
 * A prohibition given a way back in. Our own wordings on five exercises whose descriptions forbid content outright
 * (none of them X's sentences: "but mention it when it clearly hurts readability", "free delivery ... is welcome"), and
 * good lines that look alike.
 */

describe("bannedContent: what a description forbids outright", () => {
  it("reads the examples in parentheses, the content after No, the subject after Never <verb> on", () => {
    expect(bannedContent("Never promise anything the promotion does not say (free delivery, gifts).")?.things).toEqual([
      ["free", "delivery"],
      ["gifts"],
    ]);
    expect(bannedContent("No investment, legal or tax advice; refer them to an advisor.")?.things).toEqual([
      ["investment"],
    ]);
    expect(bannedContent("Never comment on formatting.")?.things).toEqual([["formatting"]]);
  });

  it("reads nothing from a general word or an order", () => {
    expect(bannedContent("No words in capitals.")).toBeNull();
    expect(bannedContent("Never answer the question.")).toBeNull();
    expect(bannedContent("Flag a TODO without a ticket id.")).toBeNull();
  });
});

describe("carvedProhibition: the forbidden content let back in", () => {
  const FORMAT = "Never comment on formatting.";
  it.each([
    [FORMAT, "Leave formatting to the linter, except flag it when indentation is broken."],
    [FORMAT, "Formatting comments are fine when a line is unreadable."],
    ["No emojis.", "No emojis, except one heart emoji at the end is welcome."],
    ["No subtotal, VAT or total lines.", "Subtotal lines are OK to include when the invoice shows them."],
    [
      "Never promise anything the promotion does not say (free delivery, gifts).",
      "Small gifts are welcome for loyal customers.",
    ],
  ])("%s <- %s", (description, prompt) => {
    expect(carves(description, prompt)).toBe(true);
  });

  it.each([
    [FORMAT, "Never comment on formatting, but flag it as FUNCTION_LENGTH if too long."],
    [FORMAT, "Skip formatting, but report any console.log."],
    ["No emojis.", "Emojis: never. A warm tone is welcome."],
    ["No subtotal, VAT or total lines.", "Skip subtotal, VAT and total lines; item lines are fine."],
  ])("kept: %s <- %s", (description, prompt) => {
    expect(carves(description, prompt)).toBe(false);
  });

  it("fails the requirement on the exercises", () => {
    const defects: [string, string][] = [
      ["keep-the-safety-rules", "General investment tips are fine if the customer asks."],
      ["frontier-worth-it", "Reasoning is fine in the evidence field."],
      ["compact-spec", "Formatting is the formatter's job; but you may mention it if it hides a bug."],
    ];
    for (const [slug, line] of defects)
      expect(mustFailures(slug, referenceWith(slug, line)), line).toContain("(contradicted)");
    expect(
      mustFailures(
        "keep-the-safety-rules",
        referenceWith("keep-the-safety-rules", "No investment, legal or tax advice; a referral to an advisor is fine."),
      ),
    ).toBe("");
    expect(
      mustFailures(
        "frontier-worth-it",
        referenceWith("frontier-worth-it", "No reasoning; the evidence quote alone is fine."),
      ),
    ).toBe("");
  });
});
