import { describe, expect, it } from "vitest";
import { clauseTexts } from "../../../test/support/clause-texts";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";

const clauses = clauseTexts;

describe("alternative outcome: ', or ...' after a condition set between commas (alternative-outcome.ts)", () => {
  it("ends the condition at its comma when a verbless alternative follows", () => {
    expect(clauses("The reply is either LGTM, when nothing breaks the rules, or one line per finding.")).toEqual([
      "The reply is either LGTM ,",
      "when nothing breaks the rules ,",
      "or one line per finding .",
    ]);
  });

  it("keeps a condition's own list and a second predicate of the condition in it", () => {
    expect(clauses("Answer SAFETY if it mentions fire, smoke, or sparks.")).toHaveLength(2);
    expect(clauses("Reply LGTM, when the hunk is clean, or a test fails.").at(-1)).toBe(
      "when the hunk is clean , or a test fails .",
    );
  });
});

describe("alternative outcome (judge)", () => {
  const spec = (line: string) =>
    mustFailures("compact-spec", referenceReplacing("compact-spec", "Output one line per finding", line));

  it("reads five wordings of 'X, when nothing is wrong, or Y' as the reply's two shapes", () => {
    for (const line of [
      "The reply is either LGTM, when nothing breaks the rules, or one line per finding: line <n>: <RULE>: <message>.",
      "Reply LGTM, when the hunk breaks no rule, or one line per finding in the form line <n>: <RULE>: <message>.",
      "Output LGTM, if nothing is wrong, or one line per violation as line <n>: <RULE>: <message>.",
      "The review is the single word LGTM, when no rule is broken, or one line per finding, line <n>: <RULE>: <message>.",
      "Print LGTM, when there are no findings, or one line per finding (line <n>: <RULE>: <message>).",
    ])
      expect(spec(line), line).toBe("");
  });

  it("still fails three look-alikes that forbid the lines or LGTM, or ask for JSON", () => {
    for (const line of [
      "Reply LGTM, when nothing breaks the rules, or a JSON array of findings.",
      "Never reply LGTM, when nothing breaks the rules, or one line per finding.",
      "Output LGTM, when nothing breaks the rules, or a markdown table of findings.",
    ])
      expect(spec(line), line).not.toBe("");
  });
});
