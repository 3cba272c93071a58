import { describe, expect, it } from "vitest";
import { MAX_REASON_CHARS, PASS_SCORE, parseJudgeVerdict, reconcile } from "./verdict";

const rubric = [{ id: "valid-json" }, { id: "values" }, { id: "nulls" }];
const v = (criterion: string, score: number, pass = score >= 6, reason = `Reason for ${criterion}.`) => ({
  criterion,
  pass,
  score,
  reason,
});
const reply = (...verdicts: unknown[]) => JSON.stringify({ verdicts });
const good = reply(v("valid-json", 10), v("values", 7), v("nulls", 3));

describe("parseJudgeVerdict: accepts", () => {
  it("a reply that is exactly the JSON verdict, in rubric order", () => {
    const r = parseJudgeVerdict(good, rubric);
    expect(r).toEqual({
      ok: true,
      verdicts: [
        { criterion: "valid-json", pass: true, score: 10, reason: "Reason for valid-json.", passOverridden: false },
        { criterion: "values", pass: true, score: 7, reason: "Reason for values.", passOverridden: false },
        { criterion: "nulls", pass: false, score: 3, reason: "Reason for nulls.", passOverridden: false },
      ],
    });
  });

  it("one surrounding ```json fence and whitespace", () => {
    expect(parseJudgeVerdict(`\n\`\`\`json\n${good}\n\`\`\`\n`, rubric).ok).toBe(true);
    expect(parseJudgeVerdict(`\`\`\`\n${good}\n\`\`\``, rubric).ok).toBe(true);
  });

  it("verdicts in any order, returned in rubric order", () => {
    const r = parseJudgeVerdict(reply(v("nulls", 3), v("valid-json", 10), v("values", 7)), rubric);
    expect(r.ok && r.verdicts.map((x) => x.criterion)).toEqual(["valid-json", "values", "nulls"]);
  });

  it("fractional scores within 0–10", () => {
    const r = parseJudgeVerdict(reply(v("valid-json", 5.5), v("values", 0), v("nulls", 10)), rubric);
    expect(r.ok && r.verdicts.map((x) => [x.score, x.pass])).toEqual([
      [5.5, false],
      [0, false],
      [10, true],
    ]);
  });
});

describe("parseJudgeVerdict: rejects", () => {
  it.each([
    ["prose before the JSON", `Here is my verdict:\n${good}`, /not a single JSON object \(it must start with \{/],
    ["prose after the JSON", `${good}\nHope this helps.`, /not a single JSON object/],
    ["a fence with text outside it", `Verdict:\n\`\`\`json\n${good}\n\`\`\``, /not a single JSON object/],
    ["two fences", `\`\`\`json\n${good}\n\`\`\`\n\`\`\`json\n${good}\n\`\`\``, /not a single JSON object/],
    ["an empty reply", "  ", /empty/],
    ["a bare array", `[${JSON.stringify(v("values", 7))}]`, /\(root\): Expected object, received array/],
    ["no verdicts", JSON.stringify({ verdicts: [] }), /verdicts: Array must contain at least 1/],
    ["an extra top-level key", JSON.stringify({ verdicts: JSON.parse(good).verdicts, total: 9 }), /Unrecognized key/],
    [
      "an extra verdict key",
      reply({ ...v("valid-json", 9), confidence: 1 }, v("values", 7), v("nulls", 3)),
      /Unrecognized key.*confidence/,
    ],
  ])("%s", (_name, text, error) => {
    const r = parseJudgeVerdict(text, rubric);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it("a missing criterion, naming it", () => {
    expect(parseJudgeVerdict(reply(v("valid-json", 9), v("values", 7)), rubric)).toEqual({
      ok: false,
      error: "missing verdicts for: nulls",
    });
  });

  it("an unknown criterion, naming it", () => {
    expect(parseJudgeVerdict(reply(v("valid-json", 9), v("values", 7), v("nulls", 3), v("tone", 10)), rubric)).toEqual({
      ok: false,
      error: "unknown criteria: tone",
    });
  });

  it("a criterion given twice", () => {
    const r = parseJudgeVerdict(reply(v("valid-json", 9), v("values", 7), v("values", 2), v("nulls", 3)), rubric);
    expect(r).toEqual({ ok: false, error: 'criterion "values" appears more than once' });
  });

  it.each([
    ["above 10", 11, /score: Number must be less than or equal to 10/],
    ["below 0", -1, /score: Number must be greater than or equal to 0/],
    ["a string", "8", /score: Expected number, received string/],
    ["null", null, /score: Expected number, received null/],
  ])("a score %s", (_name, score, error) => {
    const r = parseJudgeVerdict(reply({ ...v("valid-json", 9), score }, v("values", 7), v("nulls", 3)), rubric);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it("a pass that is not a boolean", () => {
    const r = parseJudgeVerdict(reply({ ...v("valid-json", 9), pass: "yes" }, v("values", 7), v("nulls", 3)), rubric);
    expect(!r.ok && r.error).toMatch(/verdicts\.0\.pass: Expected boolean, received string/);
  });

  it("an empty or over-long reason", () => {
    const empty = parseJudgeVerdict(reply(v("valid-json", 9, true, "   "), v("values", 7), v("nulls", 3)), rubric);
    expect(!empty.ok && empty.error).toMatch(/verdicts\.0\.reason: must not be empty/);
    const long = "x".repeat(MAX_REASON_CHARS + 1);
    const tooLong = parseJudgeVerdict(reply(v("valid-json", 9, true, long), v("values", 7), v("nulls", 3)), rubric);
    expect(!tooLong.ok && tooLong.error).toMatch(/verdicts\.0\.reason: String must contain at most 500/);
    const edge = "x".repeat(MAX_REASON_CHARS);
    expect(parseJudgeVerdict(reply(v("valid-json", 9, true, edge), v("values", 7), v("nulls", 3)), rubric).ok).toBe(
      true,
    );
  });
});

describe("reconcile: the score decides pass", () => {
  it(`passes at ${PASS_SCORE} and above, fails below`, () => {
    expect(reconcile(v("a", PASS_SCORE)).pass).toBe(true);
    expect(reconcile(v("a", PASS_SCORE - 0.5, false)).pass).toBe(false);
  });

  it("overrides a pass the score does not support, and says so in the reason", () => {
    expect(reconcile({ criterion: "a", pass: true, score: 4, reason: "Mostly right." })).toEqual({
      criterion: "a",
      pass: false,
      score: 4,
      reason: "Mostly right. (The judge said pass but scored 4/10; the score decides: fail.)",
      passOverridden: true,
    });
  });

  it("overrides a fail the score does not support", () => {
    const r = reconcile({ criterion: "a", pass: false, score: 9, reason: "Fine." });
    expect(r).toMatchObject({ pass: true, passOverridden: true });
    expect(r.reason).toBe("Fine. (The judge said fail but scored 9/10; the score decides: pass.)");
  });

  it("applies when parsing", () => {
    const r = parseJudgeVerdict(reply(v("valid-json", 2, true), v("values", 7), v("nulls", 3)), rubric);
    expect(r.ok && r.verdicts[0]).toMatchObject({ pass: false, score: 2, passOverridden: true });
  });
});
