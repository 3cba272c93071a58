import { z } from "zod";
import { type FileLesson, fileLessonSchema } from "~/domain/lesson-file";
import type { LoadedLesson } from "~/exercises/lesson-files.server";
import { deleteKey, FILE_LESSONS_PREFIX, listKeys, readKey, writeKey } from "./authoring/store";
import type { DbLike } from "./db";

/**
 * Lessons written as files (`exercises/<course>/lessons/*.md`), as the sync stored them: one settings row per course,
 * replaced whole on every sync, so a deleted file disappears and an edited one shows at once. Lessons written in the
 * app stay under their own key (authoring/catalog.ts).
 */

const storedSchema = z.array(fileLessonSchema).max(200);

export function getFileLessons(database: DbLike, courseSlug: string): FileLesson[] {
  return readKey(database, FILE_LESSONS_PREFIX + courseSlug, storedSchema)?.value ?? [];
}

export function getFileLesson(database: DbLike, courseSlug: string, lessonSlug: string) {
  const all = getFileLessons(database, courseSlug);
  const index = all.findIndex((l) => l.slug === lessonSlug);
  if (index < 0) return null;
  return { lesson: all[index], previous: all[index - 1] ?? null, next: all[index + 1] ?? null };
}

/** Replaces every course's file lessons with `lessons`; courses left without any lose their row. */
export function storeFileLessons(database: DbLike, lessons: LoadedLesson[]): void {
  const byCourse = new Map<string, FileLesson[]>();
  for (const { course, slug, title, afterPosition, markdown } of lessons) {
    const list = byCourse.get(course) ?? [];
    list.push({ slug, title, afterPosition, markdown });
    byCourse.set(course, list);
  }
  for (const { name } of listKeys(database, FILE_LESSONS_PREFIX))
    if (!byCourse.has(name)) deleteKey(database, FILE_LESSONS_PREFIX + name);
  for (const [course, list] of byCourse) writeKey(database, FILE_LESSONS_PREFIX + course, list, null);
}
