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
    ["a word", "good", /score: Expected number, received string/],
    ["out of range as text", "11/10", /score: Number must be less than or equal to 10/],
    ["null", null, /score: Expected number, received null/],
  ])("a score %s", (_name, score, error) => {
    const r = parseJudgeVerdict(reply({ ...v("valid-json", 9), score }, v("values", 7), v("nulls", 3)), rubric);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it("an empty reason", () => {
    const empty = parseJudgeVerdict(reply(v("valid-json", 9, true, "   "), v("values", 7), v("nulls", 3)), rubric);
    expect(!empty.ok && empty.error).toMatch(/verdicts\.0\.reason: must not be empty/);
  });
});

describe("parseJudgeVerdict: tolerates what real models write, and normalises it", () => {
  it("keys nobody asked for, at the top and in a verdict, ignored", () => {
    const text = JSON.stringify({
      verdicts: [{ ...v("valid-json", 9), confidence: 0.9 }, v("values", 7), v("nulls", 3)],
      total: 19,
      model: "x",
    });
    const r = parseJudgeVerdict(text, rubric);
    expect(r.ok && r.verdicts[0]).toEqual({
      criterion: "valid-json",
      pass: true,
      score: 9,
      reason: "Reason for valid-json.",
      passOverridden: false,
    });
  });

  it.each([
    ["8", 8],
    [" 7.5 ", 7.5],
    ["8/10", 8],
    ["3 / 10", 3],
  ])("a score written as %j", (score, expected) => {
    const r = parseJudgeVerdict(reply({ ...v("valid-json", 9), score }, v("values", 7), v("nulls", 3)), rubric);
    expect(r.ok && r.verdicts[0].score).toBe(expected);
  });

  it("a pass flag in words, or left out: the score decides", () => {
    const said = parseJudgeVerdict(
      reply({ ...v("valid-json", 9), pass: "yes" }, v("values", 7), v("nulls", 3)),
      rubric,
    );
    expect(said.ok && said.verdicts[0]).toMatchObject({ pass: true, passOverridden: false });
    const { pass: _dropped, ...noPass } = v("valid-json", 2);
    const left = parseJudgeVerdict(reply(noPass, v("values", 7), v("nulls", 3)), rubric);
    expect(left.ok && left.verdicts[0]).toMatchObject({ pass: false, passOverridden: false });
  });

  it("criterion ids in another case", () => {
    const r = parseJudgeVerdict(reply(v("VALID-JSON", 9), v("Values", 7), v("nulls", 3)), rubric);
    expect(r.ok && r.verdicts.map((x) => x.criterion)).toEqual(["valid-json", "values", "nulls"]);
  });

  it("an over-long reason, cut to the limit", () => {
    const long = "x".repeat(MAX_REASON_CHARS + 50);
    const r = parseJudgeVerdict(reply(v("valid-json", 9, true, long), v("values", 7), v("nulls", 3)), rubric);
    expect(r.ok && r.verdicts[0].reason.length).toBe(MAX_REASON_CHARS);
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
