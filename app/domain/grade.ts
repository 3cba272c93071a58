import { type CheckResult, runPromptChecks } from "./checks";
import { estimateCall, expectedOutputTokens } from "./estimate";
import type { ExerciseFile } from "./exercise";
import { combineQuality, type JudgeReport } from "./llm-judge";
import type { ModelInfo } from "./models";
import { judgeOffline, type OfflineVerdict } from "./offline-judge";
import { type ScoreBreakdown, scoreAttempt } from "./scoring";

/**
 * Grades a prompt end to end with the offline judge: checks, judge, cost, score. Pure, so the
 * server's grading job, scripts and tests all get the same answer for the same prompt.
 */

export interface GradeResult {
  judge: OfflineVerdict;
  checks: CheckResult[];
  score: ScoreBreakdown;
  tokens: { prompt: number; baseline: number; par: number; inputPerCall: number; outputPerCall: number };
  cost: {
    perCallMicros: number;
    baselinePerCallMicros: number;
    parPerCallMicros: number;
    monthlyMicros: number;
    baselineMonthlyMicros: number;
    parMonthlyMicros: number;
    /** Baseline minus this prompt, per month at the stated volume; negative when the prompt costs more. */
    monthlySavingsMicros: number;
  };
  model: { id: string; priceAsOf: string };
}

/** The average test input's tokens: what fills {{input}} on a typical call. */
export function averageInputTokens(
  testInputs: readonly { input: string }[],
  countTokens: (text: string) => number,
): number {
  if (testInputs.length === 0) return 0;
  return Math.round(testInputs.reduce((s, t) => s + countTokens(t.input), 0) / testInputs.length);
}

export function gradePrompt(args: {
  prompt: string;
  exercise: ExerciseFile;
  /** The model the learner runs the prompt on. */
  model: ModelInfo;
  countTokens: (text: string) => number;
  /**
   * The model the starting prompt and par are priced on: the exercise's model. Defaults to `model`;
   * pass it when the learner may pick another tier, so a cheaper tier shows up as a saving.
   */
  baselineModel?: ModelInfo;
}): GradeResult {
  const { prompt, exercise, model, countTokens } = args;
  const baselineModel = args.baselineModel ?? model;
  const promptTokens = countTokens(prompt);
  const baselineTokens = countTokens(exercise.starting_prompt);
  const avgInputTokens = averageInputTokens(exercise.test_inputs, countTokens);

  const checks = runPromptChecks(prompt, exercise.checks, promptTokens);
  const judge = judgeOffline(prompt, exercise);

  const attempt = estimateCall({
    promptTokens,
    avgInputTokens,
    outputTokens: expectedOutputTokens(prompt, exercise.output_tokens),
    model,
    volume: exercise.volume,
  });
  const baseline = estimateCall({
    promptTokens: baselineTokens,
    avgInputTokens,
    outputTokens: exercise.output_tokens.baseline,
    model: baselineModel,
    volume: exercise.volume,
  });
  const par = estimateCall({
    promptTokens: exercise.par_tokens,
    avgInputTokens,
    outputTokens: exercise.output_tokens.target,
    model: baselineModel,
    volume: exercise.volume,
  });

  const score = scoreAttempt({
    quality: judge.quality,
    passMark: exercise.pass_mark,
    checks,
    gamingDetected: judge.gaming.keywordList || judge.gaming.injection !== null,
    takesInput: prompt.includes("{{input}}"),
    taskOrdered: judge.taskOrdered !== false,
    sentenceShare: judge.sentenceShare,
    mustFailures: judge.mustFailures,
    promptTokens,
    baselineTokens,
    parTokens: exercise.par_tokens,
    // Monthly totals: same ratios as per call, without per-call rounding of sub-micro-dollar costs.
    costMicros: attempt.monthlyMicros,
    baselineCostMicros: baseline.monthlyMicros,
    parCostMicros: par.monthlyMicros,
    difficulty: exercise.difficulty,
  });

  return {
    judge,
    checks,
    score,
    tokens: {
      prompt: promptTokens,
      baseline: baselineTokens,
      par: exercise.par_tokens,
      inputPerCall: attempt.inputTokens,
      outputPerCall: attempt.outputTokens,
    },
    cost: {
      perCallMicros: attempt.perCallMicros,
      baselinePerCallMicros: baseline.perCallMicros,
      parPerCallMicros: par.perCallMicros,
      monthlyMicros: attempt.monthlyMicros,
      baselineMonthlyMicros: baseline.monthlyMicros,
      parMonthlyMicros: par.monthlyMicros,
      monthlySavingsMicros: baseline.monthlyMicros - attempt.monthlyMicros,
    },
    model: { id: model.id, priceAsOf: model.priceAsOf },
  };
}

/**
 * A live grading's score: the LLM judge's report combined with the offline grade (checks, gaming, tokens, cost), with
 * the same rules as an offline attempt. Live attempts and calibration previews both score this way.
 */
export function scoreWithJudge(exercise: ExerciseFile, offline: GradeResult, report: JudgeReport) {
  const combined = combineQuality(report, offline.judge);
  const score = scoreAttempt({
    quality: combined.quality,
    passMark: exercise.pass_mark,
    checks: offline.checks,
    gamingDetected: combined.gamingDetected,
    promptTokens: offline.tokens.prompt,
    baselineTokens: offline.tokens.baseline,
    parTokens: exercise.par_tokens,
    costMicros: offline.cost.monthlyMicros,
    baselineCostMicros: offline.cost.baselineMonthlyMicros,
    parCostMicros: offline.cost.parMonthlyMicros,
    difficulty: exercise.difficulty,
  });
  return { combined, score };
}
