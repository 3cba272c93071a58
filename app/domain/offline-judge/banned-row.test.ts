import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { bannedRow } from "./banned-row";
import { bannedContent } from "./carved-prohibition";
import { readPrompt } from "./reading";

/** A label row added for content the brief forbids. Our own wordings, with label rows that look alike. */

const LABELS = ["FUNCTION_LENGTH", "TODO", "SECRET", "CONSOLE_LOG", "BLOCKER", "LGTM"];
const ROWS =
  "Report only these, one line per finding:\n- TODO: a TODO without a ticket id\n- SECRET: an API key or password\n";

const added = (row: string, labels = LABELS) => {
  const banned = bannedContent("Never comment on formatting.");
  if (!banned) throw new Error("nothing banned");
  return bannedRow(readPrompt(`${ROWS}${row}\n{{input}}`), banned, labels, () => true) !== null;
};

describe("bannedRow: a label added for what the brief forbids outright", () => {
  it.each([
    "- FORMAT: any formatting problem (indentation, quotes, semicolons)",
    "- FORMATTING: inconsistent spacing or missing semicolons",
    "- STYLE: bad formatting the formatter missed",
    "[FORMAT]: mixed tabs and spaces",
  ])("added: %s", (row) => {
    expect(added(row)).toBe(true);
  });

  it.each([
    "- FORMATTING: never comment (the formatter owns it)",
    "- FORMAT: line <n>: <RULE>: <message>",
    "- CONSOLE_LOG: console.log in production code",
    "Formatting: ignore it.",
    "- NOTE: no formatting comments",
  ])("not added: %s", (row) => {
    expect(added(row)).toBe(false);
  });

  it("needs the exercise's own labels around it", () => {
    expect(added("- FORMAT: any formatting problem", [])).toBe(false);
    expect(added("- FORMAT: any formatting problem", ["SAFETY", "OK"])).toBe(false);
  });

  it("fails the requirement on the exercise, and keeps the reference", () => {
    expect(
      mustFailures("compact-spec", referenceWith("compact-spec", "- FORMAT: inconsistent indentation or quotes")),
    ).toContain("Never comment on formatting. (contradicted)");
    expect(mustFailures("compact-spec", referenceWith("compact-spec", "- FORMATTING: never comment on it"))).toBe("");
  });
});
