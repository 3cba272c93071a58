import { z } from "zod";

/**
 * The one schema for a lesson file (`exercises/<course>/lessons/<NN>-<slug>.md`): YAML front matter between
 * `---` lines, then the lesson in Markdown. See exercises/README.md.
 */

/** `NN-slug.md`: NN orders the lessons shown at the same place; the slug is the lesson's address. */
export const LESSON_FILE_NAME = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;
export const LESSONS_FOLDER = "lessons";
/** Same ceiling as a lesson written in the app (app/.server/authoring/catalog.ts). */
export const MAX_LESSON_BODY_CHARS = 20_000;
/** A file past this is refused before it is split or parsed. */
export const MAX_LESSON_FILE_CHARS = 25_000;

export const lessonFrontMatterSchema = z
  .object({
    title: z.string().trim().min(3).max(120),
    /** The exercise position after which the lesson shows on the course page: 0 = before the first exercise. */
    after: z.number().int().min(0).max(1000).default(0),
  })
  .strict();
export type LessonFrontMatter = z.infer<typeof lessonFrontMatterSchema>;

/** A lesson as it is stored and shown (the sync writes these; the course and lesson pages read them). */
export const fileLessonSchema = z.object({
  slug: z.string().min(1).max(100),
  title: z.string().min(1).max(120),
  afterPosition: z.number().int().min(0).max(1000),
  markdown: z.string().min(1).max(MAX_LESSON_BODY_CHARS),
});
export type FileLesson = z.infer<typeof fileLessonSchema>;
