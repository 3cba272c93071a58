import { and, asc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { assignments, attempts, courses, exercises, teams, users } from "#db/schema";
import type { ExerciseFacts } from "~/domain/assignment-status";
import type { DbLike } from "../db";

/**
 * What assignment pages are computed from: the assignments that apply to someone (their own, and their current
 * team's), the exercises that count (the set taken when assigned, less those unpublished since), and what each
 * learner did on each exercise (read from the attempts, so a queued attempt already counts as started).
 */

export interface PublishedExercise {
  id: number;
  slug: string;
  courseId: number;
  position: number;
}

/** The published exercises of published courses, in course order. */
export function publishedExercises(database: DbLike, courseIds: number[]): PublishedExercise[] {
  if (courseIds.length === 0) return [];
  return database
    .select({ id: exercises.id, slug: exercises.slug, courseId: exercises.courseId, position: exercises.position })
    .from(exercises)
    .innerJoin(courses, eq(courses.id, exercises.courseId))
    .where(
      and(inArray(exercises.courseId, courseIds), eq(exercises.status, "published"), eq(courses.status, "published")),
    )
    .orderBy(asc(exercises.courseId), asc(exercises.position), asc(exercises.id))
    .all();
}

/** The exercises of an assignment's set that still count (published), in course order. */
export function countingExercises(set: readonly number[], published: PublishedExercise[]): PublishedExercise[] {
  const wanted = new Set(set);
  return published.filter((e) => wanted.has(e.id));
}

/** Per learner and exercise: attempts made and the first pass. `who` is a condition on attempts.user_id. */
export function exerciseFacts(
  database: DbLike,
  who: SQL,
  exerciseIds: number[],
): Map<number, Map<number, ExerciseFacts>> {
  const out = new Map<number, Map<number, ExerciseFacts>>();
  if (exerciseIds.length === 0) return out;
  const rows = database
    .select({
      userId: attempts.userId,
      exerciseId: attempts.exerciseId,
      attempts: sql<number>`count(*)`,
      firstPass: sql<
        number | null
      >`min(case when ${attempts.passed} = 1 then coalesce(${attempts.gradedAt}, ${attempts.createdAt}) end)`,
    })
    .from(attempts)
    .where(and(who, inArray(attempts.exerciseId, exerciseIds)))
    .groupBy(attempts.userId, attempts.exerciseId)
    .all();
  for (const r of rows) {
    const byExercise = out.get(r.userId) ?? new Map<number, ExerciseFacts>();
    out.set(r.userId, byExercise);
    byExercise.set(r.exerciseId, {
      attempts: r.attempts,
      firstPassAt: r.firstPass === null ? null : new Date(Number(r.firstPass)),
    });
  }
  return out;
}

export interface ActiveAssignment {
  id: number;
  courseId: number;
  courseSlug: string;
  courseTitle: string;
  teamId: number | null;
  teamName: string | null;
  userId: number | null;
  dueAt: Date;
  exerciseIds: number[];
  createdAt: Date;
}

const ACTIVE_COLUMNS = {
  id: assignments.id,
  courseId: assignments.courseId,
  courseSlug: courses.slug,
  courseTitle: courses.title,
  teamId: assignments.teamId,
  teamName: teams.name,
  userId: assignments.userId,
  dueAt: assignments.dueAt,
  exerciseIds: assignments.exerciseIds,
  createdAt: assignments.createdAt,
};

/** Assignments not removed, of published courses, matching `where`. */
export function activeAssignments(database: DbLike, where: SQL | undefined): ActiveAssignment[] {
  return database
    .select(ACTIVE_COLUMNS)
    .from(assignments)
    .innerJoin(courses, eq(courses.id, assignments.courseId))
    .leftJoin(teams, eq(teams.id, assignments.teamId))
    .where(and(isNull(assignments.removedAt), eq(courses.status, "published"), where))
    .orderBy(asc(assignments.dueAt), asc(assignments.id))
    .all();
}

/** The assignments that apply to one learner: to them, or to the team they are in now. */
export function assignmentsOf(database: DbLike, userId: number): ActiveAssignment[] {
  const team = database.select({ teamId: users.teamId }).from(users).where(eq(users.id, userId)).get();
  return activeAssignments(
    database,
    or(eq(assignments.userId, userId), team?.teamId == null ? undefined : eq(assignments.teamId, team.teamId)),
  );
}

/**
 * One assignment per course: a course assigned both to someone's team and to them personally counts once, by the
 * earliest due date (the list is ordered by due date already).
 */
export function onePerCourse<T extends { courseId: number }>(list: T[]): T[] {
  const seen = new Set<number>();
  return list.filter((a) => {
    if (seen.has(a.courseId)) return false;
    seen.add(a.courseId);
    return true;
  });
}
