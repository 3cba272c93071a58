/**
 * The LLM judge: grades real model outputs against the exercise's rubric when a provider is
 * configured (the offline judge grades the prompt otherwise). Pure: the job layer makes the calls.
 *
 * Flow per test input: runOutputChecks → judgeSkipReason (a failed required check or an output
 * that instructs the grader is a known 0: no judge call) → buildJudgeMessages → judgeWithRepair
 * (parseJudgeVerdict, one repair retry) → scoreOutputs over all inputs → combineQuality with the
 * offline verdict on the prompt → scoreAttempt.
 */

export { detectJudgeInjection } from "./llm-judge/injection";
export {
  buildJudgeMessages,
  buildRepairMessages,
  type ChatMessage,
  fenceTag,
  hash64,
  JUDGE_PROMPT_VERSION,
  type JudgedExercise,
  type JudgedTestInput,
  MAX_JUDGED_OUTPUT_CHARS,
} from "./llm-judge/prompt";
export { type JudgeRun, judgeWithRepair } from "./llm-judge/run";
export {
  COMBINE_RULE,
  type CombinedQuality,
  combineQuality,
  type InputReport,
  type JudgedOutput,
  type JudgeReport,
  judgeSkipReason,
  type PenaltyName,
  QUALITY_FORMULA,
  scoreOutputs,
} from "./llm-judge/score";
export {
  type CriterionVerdict,
  MAX_REASON_CHARS,
  PASS_SCORE,
  type ParsedVerdict,
  parseJudgeVerdict,
  reconcile,
  verdictJsonSchema,
} from "./llm-judge/verdict";
