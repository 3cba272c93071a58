import type { ExerciseFile } from "~/domain/exercise";
import { type GradeResult, scoreWithJudge } from "~/domain/grade";
import type { JudgeReport } from "~/domain/llm-judge";
import {
  agreesWith,
  type GradedPrompt,
  type JudgeScore,
  type PromptRole,
  type Sample,
  type SampleExpectation,
} from "./rules";

/**
 * The prompts a calibration grades (the starting prompt, the reference solution, then each sample)
 * and what the page shows of each judge's grade of one. Pure: the run feeds it the offline judge's
 * results and the LLM judge's reports.
 */

export interface PromptToCalibrate {
  role: PromptRole;
  label: string;
  prompt: string;
  expectation: SampleExpectation | null;
}

export interface LiveInputResult {
  name: string;
  quality: number;
  output: string;
  /** Why the output scored 0 or was not judged, when it did. */
  note: string | null;
}

export type LiveScore = JudgeScore & { inputs: LiveInputResult[] };

export interface CalibratedPrompt extends GradedPrompt {
  prompt: string;
  expectation: SampleExpectation | null;
  /** For a sample: whether each judge graded it as the instructor expected (null: that judge did not grade it). */
  asExpected: { offline: boolean; llm: boolean | null } | null;
  offline: JudgeScore & { tokens: number; failedChecks: string[]; missedRequirements: string[]; gaming: string[] };
  llm: LiveScore | null;
  llmError: string | null;
}

/** The LLM judge's grade of one prompt, or why there is none (error null: the judge did not run). */
export interface LivePromptOutcome {
  score: LiveScore | null;
  error: string | null;
}

export const NOT_GRADED_LIVE: LivePromptOutcome = { score: null, error: null };

/** How much of each output the page shows; a longer one ends in an ellipsis. */
export const SHOWN_OUTPUT_CHARS = 2_000;

export function calibrationPrompts(exercise: ExerciseFile, samples: readonly Sample[]): PromptToCalibrate[] {
  return [
    { role: "starting", label: "Starting prompt", prompt: exercise.starting_prompt, expectation: null },
    { role: "reference", label: "Reference solution", prompt: exercise.reference_solution, expectation: null },
    ...samples.map((s, i) => ({
      role: "sample" as const,
      label: `Sample ${i + 1}`,
      prompt: s.prompt,
      expectation: { expect: s.expect, minScore: s.minScore, maxScore: s.maxScore },
    })),
  ];
}

export function offlineScore(result: GradeResult): CalibratedPrompt["offline"] {
  return {
    passed: result.score.passed,
    score: result.score.score,
    quality: result.score.quality,
    tokens: result.tokens.prompt,
    failedChecks: result.checks.filter((c) => !c.passed).map((c) => `${c.label}${c.required ? "" : " (optional)"}`),
    missedRequirements: result.judge.requirements.filter((r) => !r.covered).map((r) => r.description),
    gaming: result.judge.gaming.reasons,
  };
}

/** A prompt's LLM judge report scored with the same rules as a learner's live attempt. */
export function liveScore(exercise: ExerciseFile, offline: GradeResult, report: JudgeReport): LiveScore {
  const { score } = scoreWithJudge(exercise, offline, report);
  return {
    passed: score.passed,
    score: score.score,
    quality: score.quality,
    inputs: report.inputs.map((i) => ({
      name: i.name,
      quality: i.quality,
      output: i.output.length > SHOWN_OUTPUT_CHARS ? `${i.output.slice(0, SHOWN_OUTPUT_CHARS)}…` : i.output,
      note: i.penalty?.detail ?? i.skippedReason,
    })),
  };
}

export function calibratedPrompt(
  prompt: PromptToCalibrate,
  offline: GradeResult,
  live: LivePromptOutcome,
): CalibratedPrompt {
  const offlineResult = offlineScore(offline);
  const llmResult = live.score;
  return {
    ...prompt,
    offline: offlineResult,
    llm: llmResult,
    llmError: live.error,
    asExpected: prompt.expectation && {
      offline: agreesWith(offlineResult, prompt.expectation),
      llm: llmResult && agreesWith(llmResult, prompt.expectation),
    },
  };
}
