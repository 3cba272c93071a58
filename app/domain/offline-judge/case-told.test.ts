import { describe, expect, it } from "vitest";
import { mustFailures, referenceOpenedWith } from "../../../test/support/judge-exercise";

const opened = (slug: string, ...lines: string[]) => mustFailures(slug, referenceOpenedWith(slug, ...lines));

describe("a negation inside a condition tells the case; it forbids nothing (coverage.ts)", () => {
  it("reads 'if there is no due date in the notes' and 'if there are no breaches' as cases, not reversals", () => {
    expect(opened("few-shot-diet", "If there is no due date in the notes, write none.")).toBe("");
    expect(opened("compress-long-context", "Write APPROVE if there are no breaches at all.")).toBe("");
  });

  it("still fails the same words negated in the order itself", () => {
    expect(opened("few-shot-diet", "Do not use the date in the notes; work relative dates out from today.")).not.toBe(
      "",
    );
    expect(opened("compress-long-context", "If there are several breaches, name only the most serious.")).not.toBe("");
  });
});

describe("a reason after a comma opens its own clause (reading.ts, reason-clauses.ts)", () => {
  it("keeps 'never' off the words of the reason: 'Please never guess, since a wrong cause is worse than UNKNOWN'", () => {
    expect(
      opened("frontier-worth-it", "Please never guess, since a wrong cause is worse than an honest UNKNOWN."),
    ).toBe("");
  });

  it("still fails a reversal said before the reason", () => {
    expect(opened("frontier-worth-it", "Never answer UNKNOWN, since any cause is better than none.")).not.toBe("");
    // The reason's words break nothing; the order before it still must ("the one with the earliest date").
    expect(
      opened(
        "grounded-docs-assistant",
        "If two chunks disagree, rely on the one with the earliest update date, since that is the original page.",
      ),
    ).not.toBe("");
  });
});
