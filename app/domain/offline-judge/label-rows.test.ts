import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { labelRows } from "./label-rows";
import { readPrompt } from "./reading";

const LABELS = ["EMAIL", "PHONE", "CARD", "ACCOUNT", "ADDRESS"];

const redact = (rows: string[]) =>
  [
    "Output: the message below, redacted, and nothing more.",
    ...rows,
    "- These five only. Order numbers and product names stay.",
    "- Every other character unchanged.",
    "",
    "{{input}}",
  ].join("\n");

describe("label rows: a declared label mapped to its case, label first (label-rows.ts)", () => {
  it("reads '[EMAIL] for email addresses' as a row, bracketed or not, with a list marker or without", () => {
    const reading = readPrompt("- [EMAIL] for email addresses\nPHONE for phone numbers\n");
    expect([...labelRows(reading, LABELS)]).toEqual([0, 1]);
  });

  it("reads no row from other words, a label not declared, a refused label or a long sentence", () => {
    for (const text of [
      "Email for support questions",
      "[NAME] for people's names",
      "Never [EMAIL] for email addresses",
      "[EMAIL] for email addresses and also anything that looks a little like one in the text",
    ])
      expect([...labelRows(readPrompt(text), LABELS)], text).toEqual([]);
  });
});

describe("label rows: the rows order the redaction (judge)", () => {
  it("passes each category given as a row", () => {
    const rows = [
      "- [EMAIL] for email addresses",
      "- [PHONE] for phone numbers",
      "- [CARD] for payment card numbers",
      "- [ACCOUNT] for IBANs and bank account numbers",
      "- [ADDRESS] for postal addresses",
    ];
    expect(mustFailures("redact-on-nano", redact(rows))).toBe("");
  });

  it("still fails a category whose row is left out or names another token", () => {
    const rows = [
      "- [EMAIL] for email addresses",
      "- [CARD] for payment card numbers",
      "- [NUMBER] for phone numbers",
      "- [ACCOUNT] for IBANs and bank account numbers",
      "- [ADDRESS] for postal addresses",
    ];
    expect(mustFailures("redact-on-nano", redact(rows))).toContain("Phone numbers become [PHONE].");
  });
});
