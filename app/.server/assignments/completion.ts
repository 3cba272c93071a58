import { eq } from "drizzle-orm";
import { attempts, courses, users, xapiStatements } from "#db/schema";
import { type AssignmentProgress, assignmentProgress } from "~/domain/assignment-status";
import { config } from "../config";
import { type DbLike, statement } from "../db";
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
  const ex = statement(tx, "select course_id as courseId from exercises where id = ?").get(exerciseId) as
    | { courseId: number }
    | undefined;
  if (ex && mayBeComplete(tx, userId, ex.courseId)) recordCompletion(tx, userId, ex.courseId);
}

/**
 * False only when the course certainly is not complete: some published exercise of it is not passed yet and no
 * assignment (whose set could leave that exercise out) applies to the learner. Two prepared reads, run for every
 * passing attempt as it is scored; courseCompletion, which builds its queries afresh, runs only when this says maybe.
 */
function mayBeComplete(tx: DbLike, userId: number, courseId: number): boolean {
  const open = statement(
    tx,
    `select exists (select 1 from exercises e join courses c on c.id = e.course_id
       where e.course_id = ? and e.status = 'published' and c.status = 'published'
         and not exists (select 1 from attempts a where a.user_id = ? and a.exercise_id = e.id and a.passed = 1)) as open`,
  ).get(courseId, userId) as { open: number };
  if (!open.open) return true;
  const assigned = statement(
    tx,
    `select exists (select 1 from assignments where course_id = ? and removed_at is null
       and (user_id = ? or team_id = (select team_id from users where id = ?))) as assigned`,
  ).get(courseId, userId, userId) as { assigned: number };
  return assigned.assigned === 1;
}
