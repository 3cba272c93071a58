import { cpuPool } from "../../cpu/pool";
import type { Db } from "../../db";
import type { CallTags } from "../../ledger";
import { getModel } from "../../models";
import { countTokens } from "../../tokenizer.server";
import { gradeByLlmJudge, type LlmStatus } from "./live";
import type { PreviewContext } from "./preview-call";
import { type CalibratedPrompt, calibratedPrompt, calibrationPrompts, NOT_GRADED_LIVE } from "./prompts";
import {
  type Agreement,
  CALIBRATION_QUALITY_MARGIN,
  CALIBRATION_SCORE_MARGIN,
  type CalibrationWarning,
  calibrationWarnings,
  type Sample,
} from "./rules";
import type { CalibrationSubject } from "./subject";

/**
 * Calibration before publishing: grades an exercise's starting prompt, its reference solution and
 * the instructor's sample prompts by the offline judge and, when a provider is configured, by the
 * LLM judge, and warns when the exercise would grade unfairly. LLM calls are previews: each is
 * written to the ledger with purpose "preview" and the instructor's tags.
 */

export interface Instructor {
  id: number;
  teamId: number | null;
  departmentId: number | null;
}

export interface Calibration {
  exercise: { slug: string; title: string; passMark: number; parTokens: number; model: string };
  source: CalibrationSubject["source"];
  prompts: CalibratedPrompt[];
  llm: LlmStatus;
  warnings: CalibrationWarning[];
  agreement: Agreement[];
  margins: { score: number; quality: number };
}

/**
 * Calibrates an exercise: offline always, and live through `live` when given and the budget allows.
 * Never throws on a provider failure: the prompt whose calls failed shows the error instead of an LLM score.
 */
export async function calibrateExercise(args: {
  database: Db;
  subject: CalibrationSubject;
  samples: readonly Sample[];
  instructor: Instructor;
  live: PreviewContext | null;
  now?: Date;
}): Promise<Calibration> {
  const { database, subject, samples, instructor } = args;
  const exercise = subject.exercise;
  const model = getModel(exercise.model, database);
  const count = (text: string) => countTokens(text, model.encoding);
  const prompts = calibrationPrompts(exercise, samples);
  const offline = await cpuPool().grade(prompts.map((p) => ({ prompt: p.prompt, exercise, model })));

  let llm: LlmStatus = { state: "off" };
  let live = prompts.map(() => NOT_GRADED_LIVE);
  if (args.live) {
    const tags: CallTags = {
      userId: instructor.id,
      teamId: instructor.teamId,
      departmentId: instructor.departmentId,
      courseId: subject.courseId,
      exerciseId: subject.exerciseId,
      attemptId: null,
    };
    ({ llm, outcomes: live } = await gradeByLlmJudge({
      database,
      ctx: args.live,
      exercise,
      model,
      prompts: prompts.map((p) => p.prompt),
      offline,
      count,
      tags,
      now: args.now ?? new Date(),
    }));
  }

  const results = prompts.map((p, i) => calibratedPrompt(p, offline[i], live[i]));
  const { warnings, agreement } = calibrationWarnings(results, samples);
  return {
    exercise: {
      slug: exercise.slug,
      title: exercise.title,
      passMark: exercise.pass_mark,
      parTokens: exercise.par_tokens,
      model: exercise.model,
    },
    source: subject.source,
    prompts: results,
    llm,
    warnings,
    agreement,
    margins: { score: CALIBRATION_SCORE_MARGIN, quality: CALIBRATION_QUALITY_MARGIN },
  };
}
