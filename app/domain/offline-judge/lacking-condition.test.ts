import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { lackingCondition, widensLack } from "./lacking-condition";

/**
 * A case limited by what it lacks, widened. Our own wordings on the two exercises whose descriptions state such a case
 * (none of them X4's sentence "any TODO comment, ticket id or not"), and good lines that look alike.
 */

const TODO = "Flag a TODO without a ticket id.";
const RECEIPT = "Needs review when the amount is over £75 without a receipt.";

describe("lackingCondition: what a case lacks, from a requirement's description", () => {
  it("reads the lacked thing, and no manner", () => {
    expect(lackingCondition(TODO)).toEqual({ lacked: ["ticket", "id"] });
    expect(lackingCondition(RECEIPT)).toEqual({ lacked: ["receipt"] });
    expect(lackingCondition("Copies the sentences word for word, without summarising or rewording.")).toBeNull();
    expect(lackingCondition("Uses the memory note to understand the question, without repeating it.")).toBeNull();
  });
});

describe("widenedLack: the case widened to what has the lacked thing", () => {
  it.each([
    [TODO, "Flag every TODO, with or without a ticket id."],
    [TODO, "TODO: flag it whether or not it carries a ticket id."],
    [TODO, "Flag TODOs even with a ticket id."],
    [RECEIPT, "Anything over £75 needs review, receipt or no receipt."],
    [RECEIPT, "Over £75 needs review regardless of a receipt."],
    [RECEIPT, "needs_review: true over £75, even if there is a receipt."],
    // "even" before the case's own word: "even one with", "even those that"; a refusal is no allowance
    [TODO, "TODO: any TODO comment, even one with a ticket id; TODOs are not allowed."],
    [TODO, "Report TODOs, even those that carry a ticket id."],
    [RECEIPT, "Anything over £75 needs review, even ones with a receipt; that is not okay."],
  ])("%s <- %s", (description, prompt) => {
    expect(widensLack(description, prompt)).toBe(true);
  });

  it.each([
    [TODO, "A TODO with a ticket id such as TODO(PAY-123) is fine; flag the others."],
    [TODO, "TODO: flag only when it has no ticket id."],
    [RECEIPT, "Over £75 with no receipt: needs review; with a receipt it is fine."],
    [RECEIPT, "needs_review is true when over £75 and no receipt is attached."],
    [TODO, "Flag a TODO without a ticket id; even one with a ticket id is fine if it is dated."],
    [TODO, "TODO: any TODO comment without a ticket id; even the short ones."],
  ])("kept: %s <- %s", (description, prompt) => {
    expect(widensLack(description, prompt)).toBe(false);
  });

  it("fails the requirement on the exercises, and keeps the reference's wording", () => {
    expect(mustFailures("compact-spec", referenceWith("compact-spec", "Flag TODOs even with a ticket id."))).toContain(
      "(contradicted)",
    );
    expect(
      mustFailures(
        "cut-unused-context",
        referenceWith("cut-unused-context", "Over £75 needs review regardless of a receipt."),
      ),
    ).toContain("(contradicted)");
    expect(
      mustFailures("compact-spec", referenceWith("compact-spec", "TODO: flag only when it has no ticket id.")),
    ).toBe("");
  });
});
