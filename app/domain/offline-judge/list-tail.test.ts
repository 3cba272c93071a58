import { describe, expect, it } from "vitest";
import { clauseTexts } from "../../../test/support/clause-texts";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";

const clauses = clauseTexts;

describe("list tail: a list's last word is an item, not an order (list-tail.ts)", () => {
  it("keeps 'note' at the end of a list of words in the list's clause", () => {
    expect(clauses("Nothing else: no table, fence, heading, note.")).toEqual([
      "Nothing",
      "else :",
      "no table , fence , heading , note .",
    ]);
  });

  it("still opens a clause for an order with more after it, or after a single item", () => {
    expect(clauses("No table, fence, heading, note the totals.").at(-1)).toBe("note the totals .");
    expect(clauses("Keep it short, note.")).toHaveLength(2);
  });
});

const NOTHING_ELSE = "Nothing but the lines, with no table, code fence, heading or comment.";

/** What line-items-stop-rule's reference fails when its stop rule is followed by `line`. */
const withStopRule = (line: string) =>
  mustFailures(
    "line-items-stop-rule",
    referenceReplacing(
      "line-items-stop-rule",
      "After the last item",
      "After the last item write END and stop. If there are no line items, reply only END.",
      line,
    ),
  );

describe("list tail: refusals ending on a word that is also an order (judge)", () => {
  it("reads five wordings of the refused list as the rule", () => {
    for (const line of [
      "Nothing else: no table, fence, heading, note.",
      "No other text: no table, fence, heading, comment, note.",
      "Nothing besides the lines; no markdown, fence, heading, summary.",
      "Never add a table, fence, heading, note.",
      "No prose: no table, code fence, heading, list.",
    ])
      expect(withStopRule(line), line).toBe("");
  });

  it("still fails three look-alikes that ask for a note or a table", () => {
    for (const line of [
      "No heading, fence or table, but add a closing note.",
      "No fence, heading, note; put the lines in a markdown table.",
      "No heading, fence, table; end with a short note.",
    ])
      expect(withStopRule(line), line).toContain(NOTHING_ELSE);
  });
});
