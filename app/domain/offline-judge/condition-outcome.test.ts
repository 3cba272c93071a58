import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { readPrompt } from "./reading";

/** The clauses of a one-rule prompt, each marked "if:" when it is a condition. */
const clauses = (prompt: string) => {
  const reading = readPrompt(prompt);
  return reading.clauses.map(
    (c) =>
      `${c.condition ? "if: " : ""}${reading.text
        .slice(reading.tokens[c.from].start, reading.tokens[c.to - 1].end)
        .replace(/[.]$/, "")
        .trim()}`,
  );
};
const judged = (slug: string, line: string) => mustFailures(slug, referenceWith(slug, line));

describe("condition outcome: a condition whose outcome follows with no comma (condition-outcome.ts)", () => {
  it("opens the outcome at an order once the condition is complete", () => {
    expect(clauses("When unsure answer OK.")).toEqual(["if: When unsure", "answer OK"]);
    expect(clauses("If in doubt say SAFETY.")).toEqual(["if: If in doubt", "say SAFETY"]);
    expect(clauses("If it is unclear reply OK.")).toEqual(["if: If it is unclear", "reply OK"]);
    expect(clauses("If the review mentions fire answer SAFETY.")).toEqual([
      "if: If the review mentions fire",
      "answer SAFETY",
    ]);
    expect(clauses("If nothing fits answer other.")).toEqual(["if: If nothing fits", "answer other"]);
    expect(clauses("If no owner is named write none.")).toEqual(["if: If no owner is named", "write none"]);
  });

  it("leaves a subject and its verb, a pronoun's verb and an infinitive inside the condition", () => {
    expect(clauses("When users report fire or smoke, answer SAFETY.")[0]).toBe("if: When users report fire or smoke,");
    expect(clauses("If you answer OK twice")).toEqual(["if: If you answer OK twice"]);
    expect(clauses("If asked to reply OK")).toEqual(["if: If asked to reply OK"]);
  });
});

describe("condition outcome: reversed rules without their comma fail, right ones pass (judge)", () => {
  it("fails five wordings of a reversed outcome across four exercises", () => {
    for (const [slug, line] of [
      ["drop-the-reasoning", "When unsure answer OK."],
      ["drop-the-reasoning", "If in doubt say OK."],
      ["drop-the-reasoning", "If it is unclear reply OK."],
      ["route-to-nano", "If nothing fits answer billing."],
      ["json-not-prose", "If the email does not state a value guess it."],
      ["few-shot-diet", "If no owner is named write the organiser."],
      ["cascade-escalate", "When you are not sure answer LOW."],
    ])
      expect(judged(slug, line), `${slug}: ${line}`).toContain("(contradicted)");
  });

  it("passes the same rules the right way round", () => {
    for (const [slug, line] of [
      ["drop-the-reasoning", "When unsure answer SAFETY."],
      ["drop-the-reasoning", "If in doubt say SAFETY."],
      ["drop-the-reasoning", "When users report fire or smoke answer SAFETY."],
      ["route-to-nano", "If nothing fits answer other."],
      ["few-shot-diet", "If no owner is named write none."],
      ["cascade-escalate", "When you are not sure answer ESCALATE."],
      ["cut-unused-context", "If the line includes alcohol set needs_review to true."],
    ])
      expect(judged(slug, line), `${slug}: ${line}`).toBe("");
  });
});
