/**
 * The rules that say whether an exercise would grade fairly, from each judge's grades of its
 * starting prompt, its reference solution and the instructor's samples. Pure, so the rules are
 * tested directly; the page shows what they return.
 */

/**
 * How far apart the reference solution and the starting prompt must be, per judge, for an exercise
 * to tell a good rewrite from the wasteful original: 300 of the 1,000 score points, and 20 of the 100
 * quality points. The score gap alone is not enough: a passing prompt gets at least 5 × pass mark
 * and a failing one less, so two prompts either side of the pass mark can be 300 points apart while
 * their quality differs by a hair; the quality gap catches that.
 */
export const CALIBRATION_SCORE_MARGIN = 300;
export const CALIBRATION_QUALITY_MARGIN = 20;

export type Expectation = "pass" | "fail";

export interface SampleExpectation {
  expect: Expectation;
  /** Inclusive bounds on the score (0–1000) the instructor expects, when given. */
  minScore?: number;
  maxScore?: number;
}

export interface Sample extends SampleExpectation {
  prompt: string;
}

export interface JudgeScore {
  passed: boolean;
  /** 0–1000. */
  score: number;
  /** 0–100. */
  quality: number;
}

export type PromptRole = "starting" | "reference" | "sample";
export type JudgeKind = "offline" | "llm";

/** What calibrationWarnings needs of one graded prompt. */
export interface GradedPrompt {
  role: PromptRole;
  label: string;
  offline: JudgeScore;
  /** Null when the LLM judge did not grade this prompt (no provider, budget, or a failed call). */
  llm: JudgeScore | null;
}

export type WarningCode = "starting-passes" | "reference-fails" | "narrow-margin" | "sample-disagrees";

export interface CalibrationWarning {
  code: WarningCode;
  judge: JudgeKind;
  message: string;
}

export interface Agreement {
  judge: JudgeKind;
  agreed: number;
  total: number;
  /** Whole percent, rounded down, so 2 of 3 shows 66%. */
  percent: number;
  text: string;
}

const JUDGE_NAME: Record<JudgeKind, string> = { offline: "offline judge", llm: "LLM judge" };

const grade = (s: JudgeScore) => `${s.passed ? "passes" : "fails"} (score ${s.score}, quality ${s.quality})`;

function inRange(score: number, sample: SampleExpectation): boolean {
  return (
    (sample.minScore === undefined || score >= sample.minScore) &&
    (sample.maxScore === undefined || score <= sample.maxScore)
  );
}

function describeExpectation(sample: SampleExpectation): string {
  const range =
    sample.minScore !== undefined && sample.maxScore !== undefined
      ? ` with a score from ${sample.minScore} to ${sample.maxScore}`
      : sample.minScore !== undefined
        ? ` with a score of at least ${sample.minScore}`
        : sample.maxScore !== undefined
          ? ` with a score of at most ${sample.maxScore}`
          : "";
  return `${sample.expect}${range}`;
}

/** Whether a judge graded a sample the way the instructor expected: pass/fail, and the score range if given. */
export function agreesWith(score: JudgeScore, sample: SampleExpectation): boolean {
  return score.passed === (sample.expect === "pass") && inRange(score.score, sample);
}

/**
 * The warnings of a calibration run, per judge, and the judges' agreement with the instructor.
 * `samples` are the expectations of the results whose role is "sample", in the same order.
 */
export function calibrationWarnings(
  results: readonly GradedPrompt[],
  samples: readonly SampleExpectation[],
): { warnings: CalibrationWarning[]; agreement: Agreement[] } {
  const warnings: CalibrationWarning[] = [];
  const agreement: Agreement[] = [];
  const starting = results.find((r) => r.role === "starting");
  const reference = results.find((r) => r.role === "reference");
  const sampleResults = results.filter((r) => r.role === "sample");

  for (const judge of ["offline", "llm"] as const) {
    const name = JUDGE_NAME[judge];
    const start = starting?.[judge] ?? null;
    const ref = reference?.[judge] ?? null;
    if (start?.passed)
      warnings.push({
        code: "starting-passes",
        judge,
        message: `The starting prompt passes under the ${name} (score ${start.score}, quality ${start.quality}): learners could submit it unchanged.`,
      });
    if (ref && !ref.passed)
      warnings.push({
        code: "reference-fails",
        judge,
        message: `The reference solution fails under the ${name} (score ${ref.score}, quality ${ref.quality}): a model answer must pass.`,
      });
    if (start && ref) {
      const scoreGap = ref.score - start.score;
      const qualityGap = ref.quality - start.quality;
      if (scoreGap < CALIBRATION_SCORE_MARGIN || qualityGap < CALIBRATION_QUALITY_MARGIN)
        warnings.push({
          code: "narrow-margin",
          judge,
          message:
            `Under the ${name} the reference solution is only ${scoreGap} points (quality ${qualityGap}) above the starting prompt; ` +
            `a fair exercise separates them by at least ${CALIBRATION_SCORE_MARGIN} points and ${CALIBRATION_QUALITY_MARGIN} quality.`,
        });
    }

    let agreed = 0;
    let total = 0;
    sampleResults.forEach((result, i) => {
      const score = result[judge];
      const expected = samples[i];
      if (!score || !expected) return;
      total++;
      if (agreesWith(score, expected)) {
        agreed++;
        return;
      }
      warnings.push({
        code: "sample-disagrees",
        judge,
        message: `${result.label}: you expected ${describeExpectation(expected)}; the ${name} ${grade(score)}.`,
      });
    });
    if (total > 0) {
      const percent = Math.floor((agreed * 100) / total);
      agreement.push({
        judge,
        agreed,
        total,
        percent,
        text: `${agreed} of ${total} sample${total === 1 ? "" : "s"} graded as you expected (${percent}%) by the ${name}.`,
      });
    }
  }
  return { warnings, agreement };
}
