import { describe, expect, it } from "vitest";
import {
  agreesWith,
  CALIBRATION_QUALITY_MARGIN,
  CALIBRATION_SCORE_MARGIN,
  calibrationWarnings,
  type GradedPrompt,
  type JudgeScore,
  MAX_SAMPLE_CHARS,
  MAX_SAMPLES,
  parseCalibrationForm,
} from "./calibration";

const pass = (score = 900, quality = 95): JudgeScore => ({ passed: true, score, quality });
const fail = (score = 250, quality = 50): JudgeScore => ({ passed: false, score, quality });

function graded(role: GradedPrompt["role"], label: string, offline: JudgeScore, llm: JudgeScore | null = null) {
  return { role, label, offline, llm };
}

const healthy = [graded("starting", "Starting prompt", fail()), graded("reference", "Reference solution", pass())];

const codes = (r: ReturnType<typeof calibrationWarnings>) => r.warnings.map((w) => `${w.judge}:${w.code}`);

describe("calibrationWarnings", () => {
  it("gives no warning for a failing start and a clearly passing reference", () => {
    const r = calibrationWarnings(healthy, []);
    expect(r.warnings).toEqual([]);
    expect(r.agreement).toEqual([]);
  });

  it("warns when the starting prompt passes", () => {
    const r = calibrationWarnings(
      [graded("starting", "Starting prompt", pass(420, 80)), graded("reference", "Reference solution", pass(980, 100))],
      [],
    );
    expect(codes(r)).toContain("offline:starting-passes");
    expect(r.warnings[0].message).toMatch(/starting prompt passes under the offline judge \(score 420, quality 80\)/);
  });

  it("warns when the reference solution fails", () => {
    const r = calibrationWarnings(
      [graded("starting", "Starting prompt", fail(0, 10)), graded("reference", "Reference solution", fail(370, 74))],
      [],
    );
    expect(codes(r)).toEqual(["offline:reference-fails"]);
  });

  it("warns when the score gap is below the margin, even with a wide quality gap", () => {
    const start = fail(400, 70);
    const ref = pass(400 + CALIBRATION_SCORE_MARGIN - 1, 70 + CALIBRATION_QUALITY_MARGIN + 5);
    const r = calibrationWarnings([graded("starting", "S", start), graded("reference", "R", ref)], []);
    expect(codes(r)).toEqual(["offline:narrow-margin"]);
    expect(r.warnings[0].message).toContain(`only ${CALIBRATION_SCORE_MARGIN - 1} points`);
  });

  it("warns when the quality gap is below the margin, even with a wide score gap", () => {
    const r = calibrationWarnings(
      [
        graded("starting", "S", fail(374, 74)),
        graded("reference", "R", pass(900, 74 + CALIBRATION_QUALITY_MARGIN - 1)),
      ],
      [],
    );
    expect(codes(r)).toEqual(["offline:narrow-margin"]);
  });

  it("does not warn at exactly the margins", () => {
    const r = calibrationWarnings(
      [
        graded("starting", "S", fail(500, 60)),
        graded("reference", "R", pass(500 + CALIBRATION_SCORE_MARGIN, 60 + CALIBRATION_QUALITY_MARGIN)),
      ],
      [],
    );
    expect(r.warnings).toEqual([]);
  });

  it("judges the LLM judge's grades separately from the offline judge's", () => {
    const r = calibrationWarnings(
      [graded("starting", "S", fail(), pass(800, 90)), graded("reference", "R", pass(), pass(820, 92))],
      [],
    );
    expect(codes(r)).toEqual(["llm:starting-passes", "llm:narrow-margin"]);
  });

  it("skips the LLM rules for prompts the LLM judge did not grade", () => {
    const r = calibrationWarnings(
      [graded("starting", "S", fail(), null), graded("reference", "R", pass(), null)],
      [{ expect: "pass" }],
    );
    expect(r.warnings).toEqual([]);
  });

  it("counts how many samples each judge graded as the instructor expected, and warns on each disagreement", () => {
    const samples = [
      graded("sample", "Sample 1", pass()),
      graded("sample", "Sample 2", fail()),
      graded("sample", "Sample 3", pass()),
      graded("sample", "Sample 4", pass()),
    ];
    const r = calibrationWarnings(
      [...healthy, ...samples],
      [{ expect: "pass" }, { expect: "fail" }, { expect: "pass" }, { expect: "fail" }],
    );
    expect(r.agreement).toEqual([
      {
        judge: "offline",
        agreed: 3,
        total: 4,
        percent: 75,
        text: "3 of 4 samples graded as you expected (75%) by the offline judge.",
      },
    ]);
    expect(r.warnings).toEqual([
      {
        code: "sample-disagrees",
        judge: "offline",
        message: "Sample 4: you expected fail; the offline judge passes (score 900, quality 95).",
      },
    ]);
  });

  it("reports agreement per judge when both graded the samples", () => {
    const r = calibrationWarnings(
      [...healthy, graded("sample", "Sample 1", pass(), fail()), graded("sample", "Sample 2", fail(), fail())],
      [{ expect: "pass" }, { expect: "fail" }],
    );
    expect(r.agreement.map((a) => [a.judge, a.agreed, a.total, a.percent])).toEqual([
      ["offline", 2, 2, 100],
      ["llm", 1, 2, 50],
    ]);
  });

  it("rounds the agreement percentage down", () => {
    const r = calibrationWarnings(
      [...healthy, graded("sample", "A", pass()), graded("sample", "B", pass()), graded("sample", "C", fail())],
      [{ expect: "pass" }, { expect: "pass" }, { expect: "pass" }],
    );
    expect(r.agreement[0].percent).toBe(66);
  });
});

describe("agreesWith", () => {
  it("requires the expected pass or fail", () => {
    expect(agreesWith(pass(), { expect: "pass" })).toBe(true);
    expect(agreesWith(pass(), { expect: "fail" })).toBe(false);
    expect(agreesWith(fail(), { expect: "fail" })).toBe(true);
  });

  it("requires the score to lie in the expected range, bounds included", () => {
    expect(agreesWith(pass(800), { expect: "pass", minScore: 800, maxScore: 900 })).toBe(true);
    expect(agreesWith(pass(901), { expect: "pass", minScore: 800, maxScore: 900 })).toBe(false);
    expect(agreesWith(pass(799), { expect: "pass", minScore: 800 })).toBe(false);
    expect(agreesWith(fail(300), { expect: "fail", maxScore: 300 })).toBe(true);
  });
});

function form(entries: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

describe("parseCalibrationForm", () => {
  it("pairs each sample with its expectation and optional score range, skipping blank rows", () => {
    const r = parseCalibrationForm(
      form([
        ["sample", "Summarise {{input}}"],
        ["expect", "fail"],
        ["min", ""],
        ["max", "400"],
        ["sample", "   "],
        ["expect", "pass"],
        ["min", ""],
        ["max", ""],
        ["sample", "Good prompt {{input}}"],
        ["expect", "pass"],
        ["min", "700"],
        ["max", ""],
      ]),
    );
    expect(r).toEqual({
      ok: true,
      data: {
        draft: undefined,
        samples: [
          { prompt: "Summarise {{input}}", expect: "fail", minScore: undefined, maxScore: 400 },
          { prompt: "Good prompt {{input}}", expect: "pass", minScore: 700, maxScore: undefined },
        ],
      },
    });
  });

  it("reads a draft and treats a blank one as none", () => {
    expect(parseCalibrationForm(form([["draft", "slug: x"]]))).toMatchObject({ ok: true, data: { draft: "slug: x" } });
    expect(parseCalibrationForm(form([["draft", "  \n"]]))).toMatchObject({ ok: true, data: { draft: undefined } });
  });

  it(`refuses more than ${MAX_SAMPLES} samples`, () => {
    const rows = Array.from({ length: MAX_SAMPLES + 1 }, (_, i): [string, string][] => [
      ["sample", `Prompt ${i} {{input}}`],
      ["expect", "pass"],
    ]).flat();
    const r = parseCalibrationForm(form(rows));
    expect(r).toEqual({
      ok: false,
      errors: { samples: `At most ${MAX_SAMPLES} sample prompts can be calibrated at once` },
    });
  });

  it(`refuses a sample longer than ${MAX_SAMPLE_CHARS} characters, naming its row`, () => {
    const r = parseCalibrationForm(
      form([
        ["sample", "ok {{input}}"],
        ["expect", "pass"],
        ["sample", "x".repeat(MAX_SAMPLE_CHARS + 1)],
        ["expect", "pass"],
      ]),
    );
    expect(r).toEqual({ ok: false, errors: { "sample.1": "Sample 2: is longer than 20,000 characters" } });
  });

  it("refuses a sample without a valid expected grade", () => {
    const r = parseCalibrationForm(
      form([
        ["sample", "p {{input}}"],
        ["expect", "maybe"],
      ]),
    );
    expect(r).toEqual({ ok: false, errors: { "sample.0": 'Sample 1: needs an expected grade: "pass" or "fail"' } });
    const missing = parseCalibrationForm(form([["sample", "p {{input}}"]]));
    expect(missing.ok).toBe(false);
  });

  it("refuses a score range that is out of bounds or upside down", () => {
    const high = parseCalibrationForm(
      form([
        ["sample", "p"],
        ["expect", "pass"],
        ["min", "1200"],
        ["max", ""],
      ]),
    );
    expect(high).toEqual({ ok: false, errors: { "sample.0": "Sample 1: lowest score must be at most 1000" } });
    const flipped = parseCalibrationForm(
      form([
        ["sample", "p"],
        ["expect", "pass"],
        ["min", "900"],
        ["max", "100"],
      ]),
    );
    expect(flipped).toEqual({
      ok: false,
      errors: { "sample.0": "Sample 1: lowest score is above the highest score" },
    });
  });
});
