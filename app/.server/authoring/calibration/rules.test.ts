import { describe, expect, it } from "vitest";
import {
  agreesWith,
  CALIBRATION_QUALITY_MARGIN,
  CALIBRATION_SCORE_MARGIN,
  calibrationWarnings,
  type GradedPrompt,
  type JudgeScore,
} from "./rules";

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

  it("names the expected score range in a disagreement", () => {
    const r = calibrationWarnings(
      [
        ...healthy,
        graded("sample", "Sample 1", pass(700)),
        graded("sample", "Sample 2", pass(700)),
        graded("sample", "Sample 3", fail(500)),
      ],
      [
        { expect: "pass", minScore: 800, maxScore: 900 },
        { expect: "pass", minScore: 750 },
        { expect: "fail", maxScore: 300 },
      ],
    );
    expect(r.warnings.map((w) => w.message)).toEqual([
      "Sample 1: you expected pass with a score from 800 to 900; the offline judge passes (score 700, quality 95).",
      "Sample 2: you expected pass with a score of at least 750; the offline judge passes (score 700, quality 95).",
      "Sample 3: you expected fail with a score of at most 300; the offline judge fails (score 500, quality 50).",
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
