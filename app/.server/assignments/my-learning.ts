import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { attempts, courses, exercises, exerciseVersions } from "#db/schema";
import { type AssignmentProgress, assignmentProgress } from "~/domain/assignment-status";
import { type CourseSummary, listCourses } from "../catalog";
import type { DbLike } from "../db";
import { assignmentsOf, countingExercises, exerciseFacts, onePerCourse, publishedExercises } from "./facts";

/** A learner's home ("My learning") and progress page: their assigned courses and where they stand. */

export interface AssignedCourse {
  assignmentId: number;
  courseSlug: string;
  courseTitle: string;
  dueAt: Date;
  /** Assigned to the learner's team (its name) or to them personally (null). */
  team: string | null;
  progress: AssignmentProgress;
  /** The first exercise that counts and is not passed yet; null when done. */
  next: { slug: string; title: string } | null;
}

function titles(database: DbLike, ids: number[]): Map<number, string> {
  if (ids.length === 0) return new Map();
  const rows = database
    .select({ id: exercises.id, title: sql<string>`json_extract(${exerciseVersions.content}, '$.title')` })
    .from(exercises)
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .where(inArray(exercises.id, ids))
    .all();
  return new Map(rows.map((r) => [r.id, r.title]));
}

export function assignedCourses(database: DbLike, userId: number, now = new Date()): AssignedCourse[] {
  const list = onePerCourse(assignmentsOf(database, userId));
  const published = publishedExercises(
    database,
    list.map((a) => a.courseId),
  );
  const all = [...new Set(list.flatMap((a) => countingExercises(a.exerciseIds, published).map((e) => e.id)))];
  const facts = exerciseFacts(database, eq(attempts.userId, userId), all).get(userId) ?? new Map();
  const names = titles(database, all);
  const out: AssignedCourse[] = [];
  for (const a of list) {
    const counting = countingExercises(a.exerciseIds, published);
    if (counting.length === 0) continue; // every exercise of it was withdrawn: nothing left to do
    const progress = assignmentProgress(
      counting.map((e) => e.id),
      facts,
      a.dueAt,
      now,
    );
    const open = counting.find((e) => !facts.get(e.id)?.firstPassAt);
    out.push({
      assignmentId: a.id,
      courseSlug: a.courseSlug,
      courseTitle: a.courseTitle,
      dueAt: a.dueAt,
      team: a.userId === null ? a.teamName : null,
      progress,
      next: open ? { slug: open.slug, title: names.get(open.id) ?? open.slug } : null,
    });
  }
  return out;
}

export interface MyLearning {
  assigned: AssignedCourse[];
  /** Courses not assigned to the learner that they have started. */
  started: CourseSummary[];
}

export function myLearning(database: DbLike, userId: number, now = new Date()): MyLearning {
  const assigned = assignedCourses(database, userId, now);
  const slugs = new Set(assigned.map((a) => a.courseSlug));
  const started = listCourses(database, userId).filter((c) => !slugs.has(c.slug) && c.attempted > 0);
  return { assigned, started };
}

export interface CourseProgress {
  slug: string;
  title: string;
  exercises: {
    slug: string;
    title: string;
    attempts: number;
    bestScore: number | null;
    passed: boolean;
  }[];
}

/** Every published course with the learner's attempts and best score per exercise, for the progress page. */
export function courseProgress(database: DbLike, userId: number): CourseProgress[] {
  const rows = database
    .select({
      courseSlug: courses.slug,
      courseTitle: courses.title,
      slug: exercises.slug,
      title: sql<string>`json_extract(${exerciseVersions.content}, '$.title')`,
      attempts: sql<number>`count(${attempts.id})`,
      bestScore: sql<number | null>`max(case when ${attempts.status} = 'scored' then ${attempts.score} end)`,
      passed: sql<number>`coalesce(max(${attempts.passed} = 1), 0)`,
    })
    .from(exercises)
    .innerJoin(courses, eq(courses.id, exercises.courseId))
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .leftJoin(attempts, and(eq(attempts.exerciseId, exercises.id), eq(attempts.userId, userId)))
    .where(and(eq(exercises.status, "published"), eq(courses.status, "published")))
    .groupBy(exercises.id)
    .orderBy(asc(courses.position), asc(courses.title), asc(exercises.position), asc(exercises.id))
    .all();
  const out: CourseProgress[] = [];
  for (const r of rows) {
    let course = out[out.length - 1];
    if (!course || course.slug !== r.courseSlug) {
      course = { slug: r.courseSlug, title: r.courseTitle, exercises: [] };
      out.push(course);
    }
    course.exercises.push({
      slug: r.slug,
      title: r.title,
      attempts: r.attempts,
      bestScore: r.bestScore,
      passed: r.passed === 1,
    });
  }
  return out;
}

/**
 * The exercise to do after this one: the next one in the course the learner has not passed, else the first
 * not passed earlier in the course; null when every exercise of the course is passed.
 */
export function nextExercise(database: DbLike, userId: number, exerciseId: number) {
  const current = database
    .select({ courseId: exercises.courseId })
    .from(exercises)
    .where(eq(exercises.id, exerciseId))
    .get();
  if (!current) return null;
  const list = publishedExercises(database, [current.courseId]);
  const facts =
    exerciseFacts(
      database,
      eq(attempts.userId, userId),
      list.map((e) => e.id),
    ).get(userId) ?? new Map();
  const at = list.findIndex((e) => e.id === exerciseId);
  const open = (e: { id: number }) => e.id !== exerciseId && !facts.get(e.id)?.firstPassAt;
  const next = list.slice(at + 1).find(open) ?? list.slice(0, Math.max(at, 0)).find(open);
  if (!next) return null;
  return { slug: next.slug, title: titles(database, [next.id]).get(next.id) ?? next.slug };
}
