import { describe, expect, it } from "vitest";
import type { CheckResult } from "./checks";
import { logEfficiency, MAX_SCORE, passingFloor, type ScoreInput, scoreAttempt } from "./scoring";

const check = (passed: boolean, required = true): CheckResult => ({
  id: `c-${passed}-${required}`,
  label: passed ? "A passing check" : "Under 60 tokens",
  kind: "max_tokens",
  required,
  passed,
  detail: "",
});

const base: ScoreInput = {
  quality: 80,
  passMark: 70,
  checks: [check(true)],
  gamingDetected: false,
  promptTokens: 100,
  baselineTokens: 400,
  parTokens: 50,
  costMicros: 1000,
  baselineCostMicros: 4000,
  parCostMicros: 500,
  difficulty: 2,
};
const score = (over: Partial<ScoreInput> = {}) => scoreAttempt({ ...base, ...over });

describe("logEfficiency", () => {
  it("is 0 at the baseline, 100 at par, and 50 halfway on a log scale", () => {
    expect(logEfficiency(400, 400, 50)).toBe(0);
    expect(logEfficiency(50, 400, 50)).toBe(100);
    // 400 → 50 is three halvings; 200 → 100 → ... : one halving = a third.
    expect(logEfficiency(200, 400, 50)).toBeCloseTo(100 / 3, 6);
    expect(logEfficiency(Math.sqrt(400 * 50), 400, 50)).toBeCloseTo(50, 6);
  });

  it("values each halving the same, wherever it happens", () => {
    expect(logEfficiency(400, 800, 100) - logEfficiency(800, 800, 100)).toBeCloseTo(
      logEfficiency(100, 800, 100) - logEfficiency(200, 800, 100),
      6,
    );
  });

  it("clamps: better than par is 100, worse than baseline is 0", () => {
    expect(logEfficiency(10, 400, 50)).toBe(100);
    expect(logEfficiency(900, 400, 50)).toBe(0);
  });

  it("handles zero tokens and a baseline at or under par without NaN", () => {
    expect(logEfficiency(0, 400, 50)).toBe(100);
    expect(logEfficiency(0, 0, 0)).toBe(100);
    expect(logEfficiency(50, 50, 50)).toBe(100);
    expect(logEfficiency(100, 50, 50)).toBe(0); // baseline taken as 2 × par
    expect(logEfficiency(70, 40, 50)).toBeGreaterThan(0);
    expect(Number.isFinite(logEfficiency(70, 40, 50))).toBe(true);
  });
});

describe("scoreAttempt: passing attempts", () => {
  it("is round(10 × Q × (0.5 + 0.5 × E / 100))", () => {
    const s = score();
    expect(s.passed).toBe(true);
    expect(s.tokenEfficiency).toBe(67); // 400 → 100 is 2 of 3 halvings
    expect(s.costEfficiency).toBe(67);
    expect(s.efficiency).toBe(67);
    expect(s.score).toBe(Math.round(10 * 80 * (0.5 + 0.5 * 0.67)));
  });

  it("gives the full 10 × Q at par and half of it at the baseline", () => {
    expect(score({ promptTokens: 50, costMicros: 500 }).score).toBe(800);
    expect(score({ promptTokens: 400, costMicros: 4000 }).score).toBe(400);
    expect(score({ quality: 100, promptTokens: 10, costMicros: 1 }).score).toBe(MAX_SCORE);
  });

  it("rewards a cheaper model through cost efficiency at equal tokens", () => {
    const sameModel = score({ promptTokens: 200, costMicros: 2000 });
    const cheaperTier = score({ promptTokens: 200, costMicros: 300 });
    expect(cheaperTier.costEfficiency).toBe(100);
    expect(cheaperTier.tokenEfficiency).toBe(sameModel.tokenEfficiency);
    expect(cheaperTier.score).toBeGreaterThan(sameModel.score);
  });

  it("lets cost efficiency follow token efficiency on a free model", () => {
    const s = score({ costMicros: 0, baselineCostMicros: 0, parCostMicros: 0 });
    expect(s.costEfficiency).toBe(s.tokenEfficiency);
    expect(s.factors.find((f) => f.name === "Cost efficiency (Ec)")?.explanation).toMatch(/free/);
  });

  it("ignores a failing optional check", () => {
    expect(score({ checks: [check(true), check(false, false)] }).passed).toBe(true);
  });
});

describe("scoreAttempt: gates", () => {
  it("fails when a required check fails, naming it", () => {
    const s = score({ checks: [check(false)] });
    expect(s.passed).toBe(false);
    expect(s.gates[0]).toEqual({ name: "Required checks pass", passed: false, detail: "failed: Under 60 tokens" });
  });

  it("fails below the pass mark and passes at it", () => {
    expect(score({ quality: 69 }).passed).toBe(false);
    expect(score({ quality: 70 }).passed).toBe(true);
    expect(score({ quality: 69 }).gates.find((g) => g.name === "Quality reaches the pass mark")?.detail).toBe(
      "quality 69 < pass mark 70",
    );
  });

  it("scores gaming 0, however good the rest", () => {
    const s = score({ quality: 100, gamingDetected: true, promptTokens: 10 });
    expect(s.passed).toBe(false);
    expect(s.score).toBe(0);
    expect(s.gates.find((g) => g.name === "No gaming")?.passed).toBe(false);
  });

  it("fails when an essential requirement is missing or contradicted, whatever the quality, and halves the score", () => {
    const s = score({ quality: 95, mustFailures: ["Adds an ESCALATE line (contradicted)"] });
    expect(s.passed).toBe(false);
    expect(s.gates.find((g) => g.name === "Essential requirements met")).toEqual({
      name: "Essential requirements met",
      passed: false,
      detail: "missing or contradicted: Adds an ESCALATE line (contradicted)",
    });
    expect(s.score).toBe(Math.floor((passingFloor(70) - 1) / 2));
    // ...so a correct but bloated prompt (fails only its token budget) ranks above it.
    expect(score({ quality: 70, checks: [check(false)] }).score).toBeGreaterThan(s.score);
  });

  it("halves the failing score once for each essential requirement missed, and says so", () => {
    const one = score({ quality: 95, mustFailures: ["a"] });
    const three = score({ quality: 95, mustFailures: ["a", "b", "c"] });
    expect(three.score).toBe(Math.floor((passingFloor(70) - 1) / 8));
    expect(three.score).toBeLessThan(one.score);
    expect(three.factors.find((f) => f.name === "Score")?.explanation).toContain(
      "3 essential requirements are missing",
    );
    expect(one.factors.find((f) => f.name === "Score")?.explanation).toContain("an essential requirement is missing");
  });

  it("scores 0 a failing prompt that does none of the job: no {{input}}, or no line ordering the task", () => {
    const bloated = score({ quality: 60, checks: [check(false)] });
    for (const over of [{ takesInput: false }, { taskOrdered: false }]) {
      const s = score({ quality: 100, checks: [check(false)], mustFailures: ["Does this exercise's job"], ...over });
      expect(s.passed).toBe(false);
      expect(s.score).toBe(0);
      expect(s.factors.find((f) => f.name === "Score")?.explanation).toMatch(
        /none of the job|another job than this exercise's/,
      );
      // A correct prompt that only runs long keeps its partial score above it.
      expect(bloated.score).toBeGreaterThan(s.score);
    }
    // Either flag alone leaves a passing prompt alone (the judge and the checks decide passing).
    expect(score({ taskOrdered: true, takesInput: true }).passed).toBe(true);
    expect(score({}).score).toBe(score({ takesInput: true, taskOrdered: true }).score);
  });

  it("scales a failing score by the share of the prompt's words in sentences, and leaves a passing one alone", () => {
    const failing = { quality: 100, checks: [check(true)], mustFailures: ["Other when nothing else fits"] };
    const prose = score({ ...failing, sentenceShare: 1 });
    const heap = score({ ...failing, sentenceShare: 0.3 });
    expect(prose.score).toBe(Math.floor((passingFloor(70) - 1) / 2));
    expect(heap.score).toBe(Math.floor(((passingFloor(70) - 1) * 0.3) / 2));
    expect(heap.factors.find((f) => f.name === "Score")?.explanation).toMatch(/× S ÷ 2.*S = 0\.30/);
    // Absent (verdicts stored before it), it counts as 1; a passing prompt keeps its score whatever its share.
    expect(score(failing).score).toBe(prose.score);
    expect(score({ sentenceShare: 0.3 }).score).toBe(score({}).score);
    expect(score({ sentenceShare: 0.3 }).passed).toBe(true);
  });

  it("drops efficiency for a failing attempt and stays below the passing floor", () => {
    const s = score({ quality: 95, checks: [check(false)], promptTokens: 10, costMicros: 1 });
    expect(s.score).toBe(passingFloor(70) - 1);
    expect(score({ quality: 40, promptTokens: 10 }).score).toBe(200);
    expect(score({ quality: 40, promptTokens: 400 }).score).toBe(200);
  });
});

describe("scoreAttempt: a failing prompt never outscores a passing one", () => {
  // Deterministic pseudo-random inputs (mulberry32) so a failure is reproducible.
  function rng(seed: number) {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it("holds over 20,000 random attempts for every pass mark", () => {
    const rand = rng(42);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const minPassing = new Map<number, number>();
    const maxFailing = new Map<number, number>();
    for (let i = 0; i < 20_000; i++) {
      const passMark = int(1, 100);
      const baselineTokens = int(1, 3000);
      const baselineCostMicros = int(0, 100_000);
      const s = scoreAttempt({
        quality: rand() * 100,
        passMark,
        checks: [check(rand() > 0.15), check(rand() > 0.5, false)],
        gamingDetected: rand() < 0.05,
        promptTokens: int(0, 4000),
        baselineTokens,
        parTokens: int(1, 3000),
        costMicros: int(0, 200_000),
        baselineCostMicros,
        parCostMicros: int(0, 100_000),
        difficulty: int(1, 5),
      });
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(MAX_SCORE);
      expect(Number.isInteger(s.score)).toBe(true);
      const map = s.passed ? minPassing : maxFailing;
      const prev = map.get(passMark);
      map.set(passMark, prev === undefined ? s.score : s.passed ? Math.min(prev, s.score) : Math.max(prev, s.score));
    }
    for (const [passMark, failing] of maxFailing) {
      const passing = minPassing.get(passMark);
      if (passing !== undefined) expect(failing).toBeLessThan(passing);
      expect(failing).toBeLessThan(passingFloor(passMark));
    }
    for (const [passMark, passing] of minPassing) expect(passing).toBeGreaterThanOrEqual(passingFloor(passMark));
  });
});

describe("scoreAttempt: explanation", () => {
  it("returns the formula and every factor with a value and an explanation", () => {
    const s = score();
    expect(s.formula).toMatch(/ln baseline tokens/);
    expect(s.formula).toMatch(/Not passed/);
    expect(s.maxScore).toBe(1000);
    expect(s.factors.map((f) => f.name)).toEqual([
      "Quality (Q)",
      "Pass mark",
      "Prompt tokens",
      "Token efficiency (Et)",
      "Cost efficiency (Ec)",
      "Efficiency (E)",
      "Efficiency multiplier",
      "Difficulty",
      "Score",
    ]);
    for (const f of s.factors) {
      expect(f.value).not.toBe("");
      expect(f.explanation.length).toBeGreaterThan(10);
    }
    expect(s.factors.find((f) => f.name === "Score")?.value).toBe(`${s.score} / 1000`);
  });

  it("clamps and rounds a quality outside 0–100", () => {
    expect(score({ quality: 140 }).quality).toBe(100);
    expect(score({ quality: -5 }).quality).toBe(0);
    expect(score({ quality: Number.NaN }).quality).toBe(0);
  });
});
