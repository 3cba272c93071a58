import { eq } from "drizzle-orm";
import { courses, exercises, exerciseVersions } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import { fixFirst } from "~/domain/next-steps";
import { nextExercise } from "./assignments/my-learning";
import { getBestAttempt, getOwnAttempt, listOwnAttempts } from "./attempts";
import type { DbLike } from "./db";
import { jobForAttempt } from "./grading/jobs";
import type { StoredResult } from "./grading/pipeline";
import { attemptProgress } from "./grading/progress";

export interface Comparison {
  baseline: { tokens: number; perCallMicros: number; monthlyMicros: number };
  best: { id: number; score: number; tokens: number; perCallMicros: number; monthlyMicros: number } | null;
}

/** A learner's own attempt with its result, the exercise version it was graded on, and comparisons. */
export function attemptPageData(database: DbLike, userId: number, attemptId: number) {
  const attempt = getOwnAttempt(database, userId, attemptId);
  if (!attempt) return null;
  const version = database
    .select({
      content: exerciseVersions.content,
      version: exerciseVersions.version,
      courseSlug: courses.slug,
      courseTitle: courses.title,
    })
    .from(exerciseVersions)
    .innerJoin(exercises, eq(exercises.id, exerciseVersions.exerciseId))
    .innerJoin(courses, eq(courses.id, exercises.courseId))
    .where(eq(exerciseVersions.id, attempt.exerciseVersionId))
    .get()!;
  const content = version.content as ExerciseFile;
  const result = attempt.status === "scored" ? (attempt.result as StoredResult) : null;
  const best = getBestAttempt(database, userId, attempt.exerciseId, attempt.id);
  const comparison: Comparison | null = result
    ? {
        baseline: {
          tokens: result.tokens.baseline,
          perCallMicros: result.cost.baselinePerCallMicros,
          monthlyMicros: result.cost.baselineMonthlyMicros,
        },
        best:
          best && best.score !== null
            ? {
                id: best.id,
                score: best.score,
                tokens: best.promptTokens ?? 0,
                perCallMicros: best.costPerCallMicros ?? 0,
                monthlyMicros: best.monthlyCostMicros ?? 0,
              }
            : null,
      }
    : null;
  return {
    attempt: {
      id: attempt.id,
      status: attempt.status,
      prompt: attempt.prompt,
      passed: attempt.passed,
      error: attempt.error,
      createdAt: attempt.createdAt,
    },
    exercise: {
      slug: content.slug,
      title: content.title,
      passMark: content.pass_mark,
      version: version.version,
      courseSlug: version.courseSlug,
      courseTitle: version.courseTitle,
    },
    result,
    comparison,
    fixFirst: result ? fixFirst(result) : [],
    next: nextExercise(database, userId, attempt.exerciseId),
    progress: attempt.status === "scored" ? null : attemptProgress(database, userId, attemptId),
    // A live job that gave up resumes; an offline attempt (no job) is graded again.
    canRetry: attempt.status === "failed" && (jobForAttempt(database, attemptId)?.stage ?? "failed") === "failed",
    history: listOwnAttempts(database, userId, attempt.exerciseId),
  };
}
