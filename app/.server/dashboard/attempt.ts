import { and, eq } from "drizzle-orm";
import { attempts, courses, exercises, exerciseVersions, teams, users } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import type { Comparison } from "../attempt-page";
import { getBestAttempt } from "../attempts";
import type { DbLike } from "../db";
import type { StoredResult } from "../grading/pipeline";
import type { Scope } from "../scope";
import { inScope } from "./in-scope";

/**
 * A read-only view of an attempt for a manager: the same breakdown the learner sees, found only
 * when the attempt's learner is in one of the viewer's teams (the scope is in the WHERE clause).
 * The learner-only rule of app/.server/attempt-page.ts is left untouched.
 */
export function managerAttemptData(database: DbLike, scope: Scope, attemptId: number) {
  const row = database
    .select({
      attempt: attempts,
      learnerName: users.name,
      team: teams.name,
      content: exerciseVersions.content,
      version: exerciseVersions.version,
      courseSlug: courses.slug,
      courseTitle: courses.title,
    })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, attempts.exerciseVersionId))
    .innerJoin(exercises, eq(exercises.id, attempts.exerciseId))
    .innerJoin(courses, eq(courses.id, exercises.courseId))
    .where(and(eq(attempts.id, attemptId), inScope(users.teamId, scope)))
    .get();
  if (!row) return null;
  const { attempt } = row;
  const content = row.content as ExerciseFile;
  const result = attempt.status === "scored" ? (attempt.result as StoredResult) : null;
  const comparison: Comparison | null = result
    ? {
        baseline: {
          tokens: result.tokens.baseline,
          perCallMicros: result.cost.baselinePerCallMicros,
          monthlyMicros: result.cost.baselineMonthlyMicros,
        },
        // The score report words this row for the learner ("your best"); the manager page shows it apart.
        best: null,
      }
    : null;
  const best = getBestAttempt(database, attempt.userId, attempt.exerciseId, attempt.id);
  return {
    learner: { id: attempt.userId, name: row.learnerName, team: row.team },
    attempt: {
      id: attempt.id,
      status: attempt.status,
      prompt: attempt.prompt,
      passed: attempt.passed,
      score: attempt.score,
      error: attempt.error,
      modelId: attempt.modelId,
      createdAt: attempt.createdAt,
      gradedAt: attempt.gradedAt,
    },
    exercise: {
      slug: content.slug,
      title: content.title,
      passMark: content.pass_mark,
      version: row.version,
      courseSlug: row.courseSlug,
      courseTitle: row.courseTitle,
    },
    result,
    comparison,
    bestOther: best && best.score !== null ? { id: best.id, score: best.score, passed: best.passed === true } : null,
  };
}
