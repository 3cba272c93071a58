import { and, asc, eq, sql } from "drizzle-orm";
import { attempts, courses, drafts, exercises, exerciseVersions } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import type { DbLike } from "./db";
import type { ExerciseTokenCounts } from "./exercise-tokens";

/** Courses and exercises as learners see them: published only, with the learner's own progress. */

export interface CourseSummary {
  slug: string;
  title: string;
  description: string;
  exercises: number;
  passed: number;
  attempted: number;
}

export function listCourses(database: DbLike, userId: number): CourseSummary[] {
  const rows = database
    .select({
      slug: courses.slug,
      title: courses.title,
      description: courses.description,
      exercises: sql<number>`count(distinct ${exercises.id})`,
      passed: sql<number>`count(distinct case when ${attempts.passed} = 1 then ${attempts.exerciseId} end)`,
      attempted: sql<number>`count(distinct ${attempts.exerciseId})`,
    })
    .from(courses)
    .innerJoin(exercises, and(eq(exercises.courseId, courses.id), eq(exercises.status, "published")))
    .leftJoin(attempts, and(eq(attempts.exerciseId, exercises.id), eq(attempts.userId, userId)))
    .where(eq(courses.status, "published"))
    .groupBy(courses.id)
    .orderBy(asc(courses.position), asc(courses.title))
    .all();
  return rows;
}

export interface ExerciseSummary {
  slug: string;
  title: string;
  skill: string;
  difficulty: number;
  tier: string;
  attempts: number;
  bestScore: number | null;
  passed: boolean;
}

export function getCourseWithExercises(database: DbLike, courseSlug: string, userId: number) {
  const course = database
    .select()
    .from(courses)
    .where(and(eq(courses.slug, courseSlug), eq(courses.status, "published")))
    .get();
  if (!course) return null;
  const rows = database
    .select({
      slug: exercises.slug,
      content: exerciseVersions.content,
      attempts: sql<number>`(select count(*) from ${attempts} a where a.exercise_id = ${exercises.id} and a.user_id = ${userId})`,
      bestScore: sql<
        number | null
      >`(select max(a.score) from ${attempts} a where a.exercise_id = ${exercises.id} and a.user_id = ${userId} and a.passed = 1)`,
    })
    .from(exercises)
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .where(and(eq(exercises.courseId, course.id), eq(exercises.status, "published")))
    .orderBy(asc(exercises.position))
    .all();
  const list: ExerciseSummary[] = rows.map((r) => {
    const ex = r.content as ExerciseFile;
    return {
      slug: r.slug,
      title: ex.title,
      skill: ex.skill,
      difficulty: ex.difficulty,
      tier: ex.tier,
      attempts: r.attempts,
      bestScore: r.bestScore,
      passed: r.bestScore !== null,
    };
  });
  return { course, exercises: list };
}

export interface PublishedExercise {
  id: number;
  courseId: number;
  courseSlug: string;
  courseTitle: string;
  versionId: number;
  version: number;
  content: ExerciseFile;
  /** Null only for a version stored before counts were kept and not yet backfilled. */
  tokenCounts: ExerciseTokenCounts | null;
}

/** The current published version of an exercise, or null (drafts and archived ones are refused to learners). */
export function getPublishedExercise(database: DbLike, slug: string): PublishedExercise | null {
  const row = database
    .select({
      id: exercises.id,
      courseId: exercises.courseId,
      courseSlug: courses.slug,
      courseTitle: courses.title,
      versionId: exerciseVersions.id,
      version: exerciseVersions.version,
      content: exerciseVersions.content,
      tokenCounts: exerciseVersions.tokenCounts,
    })
    .from(exercises)
    .innerJoin(courses, eq(courses.id, exercises.courseId))
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .where(and(eq(exercises.slug, slug), eq(exercises.status, "published"), eq(courses.status, "published")))
    .get();
  return row
    ? { ...row, content: row.content as ExerciseFile, tokenCounts: row.tokenCounts as ExerciseTokenCounts | null }
    : null;
}

export function getDraft(database: DbLike, userId: number, exerciseId: number): string | null {
  return (
    database
      .select({ prompt: drafts.prompt })
      .from(drafts)
      .where(and(eq(drafts.userId, userId), eq(drafts.exerciseId, exerciseId)))
      .get()?.prompt ?? null
  );
}

export function saveDraft(database: DbLike, userId: number, exerciseId: number, prompt: string): void {
  const updatedAt = new Date();
  database
    .insert(drafts)
    .values({ userId, exerciseId, prompt, updatedAt })
    .onConflictDoUpdate({ target: [drafts.userId, drafts.exerciseId], set: { prompt, updatedAt } })
    .run();
}
