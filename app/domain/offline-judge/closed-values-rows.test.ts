import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";

const table = (extra: string) =>
  mustFailures(
    "redact-on-nano",
    `Output = the message below, unchanged word for word, except these substitutions:
| email address | [EMAIL] |
| phone number | [PHONE] |
| card number | [CARD] |
| IBAN or bank account number | [ACCOUNT] |
| postal address | [ADDRESS] |${extra}
Order numbers and product names are not substituted. No text before or after the output.

Message:
{{input}}`,
  );

describe("a token added as one more row of the declared tokens' table (closed-values.ts)", () => {
  it("passes the table of the declared tokens, bounded by 'no text before or after'", () => {
    expect(table("")).toBe("");
  });

  it("fails a row adding a token, even one the exercise's words hold (PII)", () => {
    expect(table("\n| any other personal detail you consider sensitive | [PII] |")).toMatch(/adds the token \[PII\]/);
    expect(table("\n| any other personal detail | [PERSONAL] |")).toMatch(/adds the token \[PERSONAL\]/);
  });

  it("does not read a word of the exercise outside such a table as a token added", () => {
    expect(table("\n\nOrder numbers are not PII [PII is personal data].")).not.toMatch(/adds the token/);
  });
});
