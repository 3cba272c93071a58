import { and, eq, inArray, sql } from "drizzle-orm";
import { attempts, courses, exercises, exerciseVersions, users } from "#db/schema";
import { config } from "../config";
import type { Db } from "../db";
import { completedStatementId } from "../xapi/journey-statements";
import { courseCompletion, recordCompletion } from "./completion";

/**
 * A course certificate: shown once every exercise that counts is passed (the assigned set, or the whole course
 * when nobody assigned it). Showing it makes sure the "completed" statement is queued (normally already done
 * when the last exercise passed).
 */
export function certificate(database: Db, userId: number, courseSlug: string) {
  const course = database.select({ id: courses.id }).from(courses).where(eq(courses.slug, courseSlug)).get();
  if (!course) return { found: false as const };
  const c = courseCompletion(database, userId, course.id);
  if (!c) return { found: false as const };
  if (c.progress.state !== "done" || !c.progress.completedAt) {
    return {
      found: true as const,
      complete: false as const,
      passed: c.progress.passed,
      required: c.progress.required,
      title: c.course.title,
    };
  }
  recordCompletion(database, userId, course.id);
  const learner = database.select({ name: users.name }).from(users).where(eq(users.id, userId)).get();
  const ids = c.exercises.map((e) => e.id);
  const best = database
    .select({
      title: sql<string>`json_extract(${exerciseVersions.content}, '$.title')`,
      score: sql<number>`max(${attempts.score})`,
    })
    .from(attempts)
    .innerJoin(exercises, eq(exercises.id, attempts.exerciseId))
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .where(and(eq(attempts.userId, userId), eq(attempts.passed, true), inArray(attempts.exerciseId, ids)))
    .groupBy(attempts.exerciseId)
    .orderBy(exercises.position)
    .all();
  return {
    found: true as const,
    complete: true as const,
    learner: learner?.name ?? "",
    course: c.course.title,
    completedAt: c.progress.completedAt,
    assigned: c.assignment ? { dueAt: c.assignment.dueAt } : null,
    exercises: best,
    statementId: completedStatementId(config().PUBLIC_URL, c.course.slug, userId),
  };
}
