import { and, count, eq, isNotNull } from "drizzle-orm";
import { attemptOutputs, attempts, exerciseVersions, gradingJobs } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import type { DbLike } from "../db";

export interface AttemptProgress {
  status: "queued" | "grading" | "scored" | "failed";
  stage: "queued" | "target" | "judging" | "scored" | "failed";
  outputs: number;
  judged: number;
  total: number;
  tries: number;
  /** Why grading is not moving right now: the provider is down or pacing us, or the budget is held by others. */
  waiting: "provider" | "rate_limit" | "budget" | null;
  error: string | null;
}

/** Where a learner's own attempt is in grading; null when it is not theirs. */
export function attemptProgress(database: DbLike, userId: number, attemptId: number): AttemptProgress | null {
  const row = database
    .select({
      status: attempts.status,
      error: attempts.error,
      content: exerciseVersions.content,
      stage: gradingJobs.stage,
      tries: gradingJobs.tries,
      waiting: gradingJobs.waiting,
    })
    .from(attempts)
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, attempts.exerciseVersionId))
    .leftJoin(gradingJobs, eq(gradingJobs.attemptId, attempts.id))
    .where(and(eq(attempts.id, attemptId), eq(attempts.userId, userId)))
    .get();
  if (!row) return null;
  const outputs =
    database
      .select({ n: count() })
      .from(attemptOutputs)
      .where(and(eq(attemptOutputs.attemptId, attemptId), isNotNull(attemptOutputs.output)))
      .get()?.n ?? 0;
  const judged =
    database
      .select({ n: count() })
      .from(attemptOutputs)
      .where(and(eq(attemptOutputs.attemptId, attemptId), isNotNull(attemptOutputs.checks)))
      .get()?.n ?? 0;
  const stage = row.stage ?? (row.status === "scored" ? "scored" : row.status === "failed" ? "failed" : "queued");
  return {
    status: row.status,
    stage,
    outputs,
    judged,
    total: (row.content as ExerciseFile).test_inputs.length,
    tries: row.tries ?? 0,
    waiting: row.waiting ?? null,
    // The attempt's error is the learner's sentence; the job's lastError is the internal detail and never shown.
    error: row.error ?? null,
  };
}
