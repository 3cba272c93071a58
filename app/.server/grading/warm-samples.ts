import type { ExerciseFile } from "~/domain/exercise";
import type { GradeArgs } from "../cpu/tasks";
import { type DbLike, statement } from "../db";
import { getModel } from "../models";

/** At most this many exercises are graded ahead per thread at start-up (each ~130 ms of CPU the first time). */
const MAX_SAMPLES = 8;

/**
 * What a starting worker's CPU pool grades once per thread before it counts as ready (CpuPool.prepare): each exercise
 * (and model) the open jobs are about, with the exercise's own reference solution as the prompt (the instructor's
 * text, never a learner's: the warm-up runs outside the pool's time limit), so the jobs it resumes after a restart or
 * a deploy do not pay for compiling the offline judge and those exercises' patterns. Empty when no job is open.
 */
export function warmSamples(database: DbLike): GradeArgs[] {
  let rows: { modelId: string; content: string | ExerciseFile }[];
  try {
    rows = openJobExercises(database);
  } catch {
    // Only a warm-up: the jobs themselves report a database that cannot be read.
    return [];
  }
  const samples: GradeArgs[] = [];
  for (const row of rows) {
    try {
      const exercise = (typeof row.content === "string" ? JSON.parse(row.content) : row.content) as ExerciseFile;
      samples.push({
        prompt: exercise.reference_solution,
        exercise,
        model: getModel(row.modelId, database),
        baselineModel: getModel(exercise.model, database),
      });
    } catch {
      // A model gone from the catalogue, a version that no longer parses: its job reports that itself.
    }
  }
  return samples;
}

function openJobExercises(database: DbLike) {
  return statement(
    database,
    `select a.model_id as modelId, v.content as content
       from grading_jobs j join attempts a on a.id = j.attempt_id
       join exercise_versions v on v.id = a.exercise_version_id
      where j.stage not in ('scored', 'failed')
      group by a.exercise_version_id, a.model_id limit ${MAX_SAMPLES}`,
  ).all() as { modelId: string; content: string | ExerciseFile }[];
}
