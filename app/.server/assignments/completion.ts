import { eq } from "drizzle-orm";
import { attempts, courses, exercises, users, xapiStatements } from "#db/schema";
import { type AssignmentProgress, assignmentProgress } from "~/domain/assignment-status";
import { config } from "../config";
import type { DbLike } from "../db";
import { buildCompletedStatement } from "../xapi/journey-statements";
import {
  type ActiveAssignment,
  assignmentsOf,
  countingExercises,
  exerciseFacts,
  onePerCourse,
  type PublishedExercise,
  publishedExercises,
} from "./facts";

/**
 * Completing a course: every exercise that counts is passed. For a course assigned to the learner that is the
 * assignment's set (still published); for a course nobody assigned them, every published exercise of it.
 */

export interface CourseCompletion {
  course: { id: number; slug: string; title: string };
  assignment: ActiveAssignment | null;
  exercises: PublishedExercise[];
  progress: AssignmentProgress;
}

const FAR_FUTURE = new Date(8.64e15);

export function courseCompletion(database: DbLike, userId: number, courseId: number, now = new Date()) {
  const course = database
    .select({ id: courses.id, slug: courses.slug, title: courses.title, status: courses.status })
    .from(courses)
    .where(eq(courses.id, courseId))
    .get();
  if (course?.status !== "published") return null;
  const assignment = onePerCourse(assignmentsOf(database, userId)).find((a) => a.courseId === courseId) ?? null;
  const published = publishedExercises(database, [courseId]);
  const counting = assignment ? countingExercises(assignment.exerciseIds, published) : published;
  const ids = counting.map((e) => e.id);
  const facts = exerciseFacts(database, eq(attempts.userId, userId), ids).get(userId) ?? new Map();
  const progress = assignmentProgress(ids, facts, assignment?.dueAt ?? FAR_FUTURE, now);
  return {
    course: { id: course.id, slug: course.slug, title: course.title },
    assignment,
    exercises: counting,
    progress,
  } satisfies CourseCompletion;
}

/**
 * Records the "completed" xAPI statement of a course once the learner has completed it (idempotent: its id is
 * fixed per learner and course). Called in the transaction that scores a passing attempt, when a course is
 * assigned, and when a certificate is shown.
 */
export function recordCompletion(tx: DbLike, userId: number, courseId: number, publicUrl = config().PUBLIC_URL) {
  const c = courseCompletion(tx, userId, courseId);
  if (c?.progress.state !== "done" || !c.progress.completedAt) return false;
  const learner = tx.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, userId)).get();
  if (!learner) return false;
  const statement = buildCompletedStatement(
    {
      learnerId: userId,
      learner,
      course: c.course,
      completedAt: c.progress.completedAt,
      exercises: c.progress.required,
      assignment: c.assignment ? { id: c.assignment.id, dueAt: c.assignment.dueAt } : null,
    },
    publicUrl,
  );
  tx.insert(xapiStatements).values({ id: statement.id, statement, userId }).onConflictDoNothing().run();
  return true;
}

/** After a passing attempt: the course of that exercise may now be complete. */
export function recordCompletionOfExercise(tx: DbLike, userId: number, exerciseId: number): void {
  const ex = tx.select({ courseId: exercises.courseId }).from(exercises).where(eq(exercises.id, exerciseId)).get();
  if (ex) recordCompletion(tx, userId, ex.courseId);
}
