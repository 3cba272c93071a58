import { describe, expect, it } from "vitest";
import { requirementSchema } from "../exercise";
import { judgeOffline } from "../offline-judge";

/**
 * Readings that must generalise beyond an exercise's phrase lists: the causes of the wrong verdicts found on the
 * evaluation set's tune half, each on a small made-up exercise (so no exercise author's edit can change them) and
 * each with the variant that must keep reading the other way.
 */

type Spec = Parameters<typeof requirementSchema.parse>[0];

const exercise = (...specs: Spec[]) => ({
  requirements: specs.map((s, i) => requirementSchema.parse({ id: `r${i}`, description: `requirement ${i}`, ...s })),
  format_instruction: false,
  unused_context: [],
});

/** The status of each requirement, in order. */
const statuses = (prompt: string, ex: ReturnType<typeof exercise>) =>
  judgeOffline(prompt, ex).requirements.map((r) => r.status);

const gaming = (prompt: string, ex: ReturnType<typeof exercise>) => judgeOffline(prompt, ex).gaming.keywordList;

describe("template lines are notation", () => {
  const reviews = exercise(
    { all_of: [["POS"], ["NEG"], ["MIXED"], ["SKIP"]] },
    { all_of: [["delivery"], ["quality"], ["price"], ["service"], ["other"]] },
    { all_of: [["id", "ids"]] },
    { all_of: [["input order"]] },
  );

  it("reads <a|b|c> slots of a row template as the values to write", () => {
    const prompt =
      "Classify each review.\nOutput format, one row per review, in input order:\n<id>;<POS|NEG|MIXED|SKIP>;<delivery|quality|price|service|other>\n{{input}}";
    expect(statuses(prompt, reviews)).toEqual(["covered", "covered", "covered", "covered"]);
    expect(gaming(prompt, reviews)).toBe(false);
  });

  it("reads a labelled line with a slot as the reply's shape", () => {
    const verdict = exercise(
      { all_of: [["APPROVE"], ["HOLD"]] },
      { all_of: [["one line"]] },
      { all_of: [["broken", "reasons"]] },
      { all_of: [["comma"]] },
    );
    const prompt =
      "Invoices in EUR only.\nOutput, one line: APPROVE | HOLD: <broken rules, comma-separated>\n{{input}}";
    expect(statuses(prompt, verdict)).toEqual(["covered", "covered", "covered", "covered"]);
  });

  it("still reads the same terms without slots, or in one long bracket, as a list of words", () => {
    const list = "id POS NEG MIXED SKIP delivery quality price service other input order\n{{input}}";
    expect(gaming(list, reviews)).toBe(true);
    const bracketed = "<id POS NEG MIXED SKIP delivery quality price service other input order>\n{{input}}";
    expect(gaming(bracketed, reviews)).toBe(true);
  });
});
