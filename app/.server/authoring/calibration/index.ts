/** Calibration of an exercise before publishing; see run.ts for what a run does. */
export { type CalibrationForm, MAX_DRAFT_CHARS, MAX_SAMPLE_CHARS, MAX_SAMPLES, parseCalibrationForm } from "./form";
export type { LlmStatus } from "./live";
export type { PreviewContext } from "./preview-call";
export type { CalibratedPrompt, LiveInputResult } from "./prompts";
export {
  type Agreement,
  agreesWith,
  CALIBRATION_QUALITY_MARGIN,
  CALIBRATION_SCORE_MARGIN,
  type CalibrationWarning,
  calibrationWarnings,
  type Expectation,
  type GradedPrompt,
  type JudgeKind,
  type JudgeScore,
  type PromptRole,
  type Sample,
  type SampleExpectation,
  type WarningCode,
} from "./rules";
export { type Calibration, calibrateExercise, type Instructor } from "./run";
export { type CalibrationSubject, calibrationSubject, type DraftError, storedExercise } from "./subject";
