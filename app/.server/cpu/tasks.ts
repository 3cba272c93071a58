import type { ExerciseFile } from "~/domain/exercise";
import { type GradeResult, gradePrompt } from "~/domain/grade";
import type { Encoding, ModelInfo } from "~/domain/models";
import { countTokens } from "../tokenizer.server";

/**
 * The CPU-bound work a request must never do on the server's event loop, run in the worker pool (cpu/pool.ts):
 * token counts and offline grading (checks, the offline judge). This module is the worker threads' entry; it keeps
 * its own encoders, loaded once per thread.
 */

export interface GradeArgs {
  prompt: string;
  exercise: ExerciseFile;
  model: ModelInfo;
  baselineModel?: ModelInfo;
}

export type CpuTask = { kind: "count"; texts: string[]; encoding: Encoding } | { kind: "grade"; grades: GradeArgs[] };

export function runTask(task: CpuTask): number[] | GradeResult[] {
  switch (task.kind) {
    case "count":
      return task.texts.map((text) => countTokens(text, task.encoding));
    case "grade":
      return task.grades.map(gradeHere);
  }
}

/** One offline grade on this thread (the pool calls it in a worker; scripts and the demo seed may call it directly). */
export function gradeHere(args: GradeArgs): GradeResult {
  return gradePrompt({ ...args, countTokens: (text) => countTokens(text, args.model.encoding) });
}

export default runTask;
