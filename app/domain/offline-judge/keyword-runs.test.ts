import { describe, expect, it } from "vitest";
import { madeUpExercise as exercise, readAsWordList as gaming, statuses } from "../../../test/support/made-up-exercise";

/**
 * Terse notation that instructs, told from a list of the brief's terms (instruction.ts, keywordRuns): a column of
 * mapping rows, and a line whose items each bound, rank, exclude or map their term. Each with the look-alike of the
 * other label: the same terms with nothing said of them are still a word list.
 */

describe("a column of mapping rows", () => {
  const redact = exercise(
    { all_of: [["email", "emails"], ["[EMAIL]"]], together: true },
    { all_of: [["phone", "phone numbers"], ["[PHONE]"]], together: true },
    { all_of: [["card number", "card numbers"], ["[CARD]"]], together: true },
    { all_of: [["postal address", "postal addresses"], ["[ADDRESS]"]], together: true },
  );

  it("reads rows that pair a term with its token as orders, under any heading", () => {
    for (const heading of ["REDACT ONLY:", "REDACT (exact tokens):", "Replace:"]) {
      const prompt = `${heading}\nemail -> [EMAIL]\nphone -> [PHONE]\ncard number -> [CARD]\npostal address → [ADDRESS]\nTEXT: {{input}}`;
      expect(gaming(prompt, redact), heading).toBe(false);
      expect(statuses(prompt, redact), heading).toEqual(["covered", "covered", "covered", "covered"]);
    }
  });

  it("still reads a column of the bare terms, or of items an arrow only marks, as a list of words", () => {
    const bare = "email\n[EMAIL]\nphone\n[PHONE]\ncard number\n[CARD]\npostal address\n[ADDRESS]\n{{input}}";
    expect(gaming(bare, redact)).toBe(true);
    const marked = "{{input}}\n→ email [EMAIL]\n→ phone [PHONE]\n→ card number [CARD]\n→ postal address [ADDRESS]";
    expect(gaming(marked, redact)).toBe(true);
  });

  it("still misses a row that is left out", () => {
    const prompt = "REDACT ONLY:\nemail -> [EMAIL]\nphone -> [PHONE]\ncard number -> [CARD]\nTEXT: {{input}}";
    expect(statuses(prompt, redact)).toEqual(["covered", "covered", "covered", "missing"]);
  });
});

describe("a terse line whose items say something of their terms", () => {
  const rerank = exercise(
    {
      all_of: [
        ["3", "three"],
        ["clauses", "ids"],
      ],
      together: true,
    },
    { all_of: [["best"], ["first"]], together: true },
    { all_of: [["ids"], ["only"]], together: true },
    { all_of: [["no scores"]] },
    { all_of: [["no reasons"]] },
  );

  it("reads bounds, ranks, restrictions and exclusions strung on one line as a spec", () => {
    const prompt =
      "OUT: ids of relevant clauses, max 3, best first, comma-separated\nids only; no scores, no reasons\n{{input}}";
    expect(gaming(prompt, rerank)).toBe(false);
    expect(statuses(prompt, rerank)).toEqual(["covered", "covered", "covered", "covered", "covered"]);
  });

  it("still reads the terms named with nothing said of them as a list of words", () => {
    const list = "OUT: clauses, 3, ids, best, first, only, scores, reasons, relevance\n{{input}}";
    expect(gaming(list, rerank)).toBe(true);
    const mostlyBare = "clauses ids, max 3 clauses, best first, scores, reasons, relevance, ranking, order\n{{input}}";
    expect(gaming(mostlyBare, rerank)).toBe(true);
  });
});
