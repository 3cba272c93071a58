import { createHash } from "node:crypto";
import { and, eq, notInArray } from "drizzle-orm";
import { courses, exercises, exerciseVersions } from "#db/schema";
import type { CourseFile, ExerciseFile } from "~/domain/exercise";
import { loadLessons } from "~/exercises/lesson-files.server";
import { loadContent } from "~/exercises/load.server";
import { config } from "./config";
import { type Db, type DbLike, writeTransaction } from "./db";
import { backfillTokenCounts, type ExerciseTokenCounts, exerciseTokenCounts } from "./exercise-tokens";
import { storeFileLessons } from "./file-lessons";

export interface SyncReport {
  courses: number;
  exercises: number;
  lessons: number;
  newVersions: string[];
  archived: string[];
}

export class ContentError extends Error {}

/**
 * Loads exercises/ into the database. A new exercise version is stored only when the validated
 * content changed, so attempts keep pointing at the exact version they were graded against.
 * File-backed exercises whose file disappeared are archived, never deleted.
 */
export function syncContent(database: Db, root: string): SyncReport {
  const loaded = loadContent(root, config().MODELS_FILE);
  const lessons = loadLessons(root);
  const errors = [...loaded.errors, ...lessons.errors];
  if (errors.length > 0) {
    throw new ContentError(`Exercise files have errors:\n${errors.map((e) => `  ${e.message}`).join("\n")}`);
  }
  return writeTransaction(database, (tx) => {
    const courseIds = new Map<string, number>();
    for (const course of loaded.courses) courseIds.set(course.slug, upsertCourse(tx, course));
    const report: SyncReport = {
      courses: loaded.courses.length,
      exercises: 0,
      lessons: lessons.lessons.length,
      newVersions: [],
      archived: [],
    };
    for (const { exercise, sourceText } of loaded.exercises) {
      const courseId = courseIds.get(exercise.course);
      if (courseId === undefined) throw new ContentError(`${exercise.slug}: unknown course ${exercise.course}`);
      if (storeExercise(tx, courseId, exercise, sourceText, "file")) report.newVersions.push(exercise.slug);
      report.exercises++;
    }
    const present = loaded.exercises.map((e) => e.exercise.slug);
    const gone = tx
      .select({ slug: exercises.slug })
      .from(exercises)
      .where(
        and(
          eq(exercises.source, "file"),
          eq(exercises.status, "published"),
          present.length ? notInArray(exercises.slug, present) : undefined,
        ),
      )
      .all();
    for (const { slug } of gone) {
      tx.update(exercises).set({ status: "archived" }).where(eq(exercises.slug, slug)).run();
      report.archived.push(slug);
    }
    storeFileLessons(tx, lessons.lessons);
    backfillTokenCounts(tx);
    return report;
  });
}

function upsertCourse(database: DbLike, course: CourseFile): number {
  const row = database
    .insert(courses)
    .values({ slug: course.slug, title: course.title, description: course.description, position: course.order })
    .onConflictDoUpdate({
      target: courses.slug,
      set: { title: course.title, description: course.description, position: course.order },
    })
    .returning({ id: courses.id })
    .get();
  return row.id;
}

export function contentHash(exercise: ExerciseFile): string {
  return createHash("sha256").update(JSON.stringify(exercise)).digest("hex");
}

/**
 * Returns true when a new version was stored. `counts` are the version's token counts when the caller computed them
 * off the event loop (publishing in a request does, on the CPU pool); the start-up sync counts here.
 */
export function storeExercise(
  database: DbLike,
  courseId: number,
  exercise: ExerciseFile,
  sourceText: string,
  source: "file" | "app",
  counts?: ExerciseTokenCounts,
): boolean {
  const hash = contentHash(exercise);
  const existing = database.select().from(exercises).where(eq(exercises.slug, exercise.slug)).get();
  const exerciseId =
    existing?.id ??
    database
      .insert(exercises)
      .values({ slug: exercise.slug, courseId, position: exercise.order, source, status: "published" })
      .returning({ id: exercises.id })
      .get().id;
  const current = existing?.currentVersionId
    ? database.select().from(exerciseVersions).where(eq(exerciseVersions.id, existing.currentVersionId)).get()
    : undefined;
  const changed = current?.contentHash !== hash;
  let versionId = current?.id;
  if (changed) {
    versionId = database
      .insert(exerciseVersions)
      .values({
        exerciseId,
        version: (current?.version ?? 0) + 1,
        contentHash: hash,
        content: exercise,
        sourceText,
        tokenCounts: counts ?? exerciseTokenCounts(exercise),
      })
      .returning({ id: exerciseVersions.id })
      .get().id;
  }
  database
    .update(exercises)
    .set({
      courseId,
      position: exercise.order,
      currentVersionId: versionId,
      ...(existing?.status === "archived" && source === "file" ? { status: "published" as const } : {}),
    })
    .where(eq(exercises.id, exerciseId))
    .run();
  return changed;
}
