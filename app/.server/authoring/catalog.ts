import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { type CONTENT_STATUSES, courses, exercises, exerciseVersions } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import { type Db, type DbLike, writeTransaction } from "../db";
import { DRAFT_PREFIX, LESSONS_PREFIX, listKeys, readKey, writeKey } from "./store";
import { peekIdentity } from "./validate";

/**
 * Courses and exercises as their authors see them: every status, both sources (files and the app),
 * with the version learners currently get and whether an unpublished draft is waiting.
 */

export type ContentStatus = (typeof CONTENT_STATUSES)[number];

export interface AuthoringExercise {
  slug: string;
  title: string;
  status: ContentStatus;
  source: "file" | "app";
  position: number;
  version: number | null;
  hasDraft: boolean;
  lastChange: Date;
}

export interface AuthoringCourse {
  slug: string;
  title: string;
  description: string;
  status: ContentStatus;
  position: number;
  exercises: AuthoringExercise[];
}

export function listAuthoringCatalog(database: DbLike): AuthoringCourse[] {
  const courseRows = database.select().from(courses).orderBy(asc(courses.position), asc(courses.title)).all();
  const exerciseRows = database
    .select({
      courseId: exercises.courseId,
      slug: exercises.slug,
      status: exercises.status,
      source: exercises.source,
      position: exercises.position,
      createdAt: exercises.createdAt,
      version: exerciseVersions.version,
      content: exerciseVersions.content,
      versionAt: exerciseVersions.createdAt,
    })
    .from(exercises)
    .leftJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .orderBy(asc(exercises.position), asc(exercises.id))
    .all();
  const drafts = new Map(listKeys(database, DRAFT_PREFIX).map((d) => [d.name, d.updatedAt]));
  return courseRows.map((course) => ({
    slug: course.slug,
    title: course.title,
    description: course.description,
    status: course.status,
    position: course.position,
    exercises: exerciseRows
      .filter((e) => e.courseId === course.id)
      .map((e) => {
        const draftAt = drafts.get(e.slug);
        const times = [e.createdAt, e.versionAt, draftAt].filter((t): t is Date => t instanceof Date);
        return {
          slug: e.slug,
          title: (e.content as ExerciseFile | null)?.title ?? draftTitle(database, e.slug) ?? e.slug,
          status: e.status,
          source: e.source,
          position: e.position,
          version: e.version,
          hasDraft: draftAt !== undefined,
          lastChange: new Date(Math.max(...times.map((t) => t.getTime()))),
        };
      }),
  }));
}

function draftTitle(database: DbLike, slug: string): string | null {
  const draft = readKey(database, DRAFT_PREFIX + slug, z.object({ text: z.string() }));
  return draft ? peekIdentity(draft.value.text).title : null;
}

export const courseFieldsSchema = z.object({
  title: z.string().trim().min(3, "The title needs at least 3 characters").max(120, "At most 120 characters"),
  description: z.string().trim().min(1, "Write a one-paragraph description").max(2000, "At most 2,000 characters"),
});

export const newCourseSchema = courseFieldsSchema.extend({
  slug: z
    .string()
    .trim()
    .max(100, "At most 100 characters")
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Lower-case words joined by hyphens, e.g. caching-basics"),
});

/** A new course starts as a draft, so learners never see an empty course. */
export function createCourse(
  database: DbLike,
  input: z.infer<typeof newCourseSchema>,
): { ok: true } | { ok: false; errors: Record<string, string> } {
  if (database.select({ id: courses.id }).from(courses).where(eq(courses.slug, input.slug)).get())
    return { ok: false, errors: { slug: `There is already a course "${input.slug}"` } };
  const last = database
    .select({ position: courses.position })
    .from(courses)
    .orderBy(asc(courses.position))
    .all()
    .at(-1);
  database
    .insert(courses)
    .values({ ...input, position: (last?.position ?? 0) + 1, status: "draft" })
    .run();
  return { ok: true };
}

export const lessonSchema = z.object({
  /** How many exercises come before the lesson: 0 = before the first exercise. */
  afterPosition: z.number().int().min(0).max(1000),
  markdown: z.string().trim().min(1).max(20_000),
});
export type Lesson = z.infer<typeof lessonSchema>;
const lessonsSchema = z.array(lessonSchema).max(100);

export function getCourseLessons(database: DbLike, courseSlug: string): Lesson[] {
  return readKey(database, LESSONS_PREFIX + courseSlug, lessonsSchema)?.value ?? [];
}

/** Lessons live in `settings` under `course-lessons:<slug>` (there is no lessons table). */
export function setCourseLessons(database: DbLike, courseSlug: string, lessons: Lesson[], userId: number): void {
  const sorted = lessonsSchema.parse(lessons).sort((a, b) => a.afterPosition - b.afterPosition);
  writeKey(database, LESSONS_PREFIX + courseSlug, sorted, userId);
}

export function getCourseForEditing(database: DbLike, slug: string) {
  const course = database.select().from(courses).where(eq(courses.slug, slug)).get();
  if (!course) return null;
  const all = listAuthoringCatalog(database).find((c) => c.slug === slug);
  return { course, exercises: all?.exercises ?? [], lessons: getCourseLessons(database, slug) };
}

export function updateCourse(
  database: DbLike,
  slug: string,
  fields: z.infer<typeof courseFieldsSchema> & { status: ContentStatus },
): boolean {
  const res = database.update(courses).set(fields).where(eq(courses.slug, slug)).run();
  return res.changes > 0;
}

/**
 * Moves an exercise one place up or down in its course and renumbers the course 1..n, so
 * positions stay distinct whatever they were before (files may share an `order`).
 */
export function moveExercise(
  database: Db,
  courseSlug: string,
  exerciseSlug: string,
  direction: "up" | "down",
): boolean {
  return writeTransaction(database, (tx) => {
    const course = tx.select({ id: courses.id }).from(courses).where(eq(courses.slug, courseSlug)).get();
    if (!course) return false;
    const list = tx
      .select({ id: exercises.id, slug: exercises.slug })
      .from(exercises)
      .where(eq(exercises.courseId, course.id))
      .orderBy(asc(exercises.position), asc(exercises.id))
      .all();
    const from = list.findIndex((e) => e.slug === exerciseSlug);
    const to = direction === "up" ? from - 1 : from + 1;
    if (from < 0 || to < 0 || to >= list.length) return false;
    [list[from], list[to]] = [list[to], list[from]];
    list.forEach((e, i) => {
      tx.update(exercises)
        .set({ position: i + 1 })
        .where(eq(exercises.id, e.id))
        .run();
    });
    return true;
  });
}
