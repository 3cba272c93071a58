import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  type FileLesson,
  LESSON_FILE_NAME,
  LESSONS_FOLDER,
  lessonFrontMatterSchema,
  MAX_LESSON_BODY_CHARS,
  MAX_LESSON_FILE_CHARS,
} from "~/domain/lesson-file";
import { priceRatioConflicts } from "~/domain/price-ratios";
import { type PricedModel, quotedPriceConflicts } from "~/domain/quoted-prices";
import { ExerciseFileError, parseWith } from "./load.server";

/**
 * Lesson files: `exercises/<course>/lessons/<NN>-<slug>.md`, YAML front matter (`title`, optional `after`) between
 * `---` lines, then Markdown. Errors name the file and the line, counted in the .md file itself.
 */

export interface LoadedLesson extends FileLesson {
  file: string;
  course: string;
}

type LessonParse = { ok: true; lesson: Omit<FileLesson, "slug"> } | { ok: false; errors: ExerciseFileError[] };

/** Parses one lesson file's text. `file` is the path shown in errors. */
export function parseLessonText(raw: string, file: string): LessonParse {
  const fail = (line: number, field: string, detail: string): LessonParse => ({
    ok: false,
    errors: [new ExerciseFileError(file, line, 1, field, detail)],
  });
  if (raw.length > MAX_LESSON_FILE_CHARS)
    return fail(1, "(file)", `is ${raw.length} characters; at most ${MAX_LESSON_FILE_CHARS}`);
  const lines = raw.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trim() !== "---")
    return fail(1, "(front matter)", 'must start with a line "---", then "title: ...", then a closing "---"');
  const close = lines.findIndex((line, i) => i > 0 && line.trim() === "---");
  if (close < 0) return fail(1, "(front matter)", 'is not closed: add a line "---" after it');
  const front = parseWith(lessonFrontMatterSchema, lines.slice(1, close).join("\n"), file);
  if (!front.result.ok) {
    // The front matter starts on the file's second line.
    const errors = front.result.errors.map((e) => new ExerciseFileError(file, e.line + 1, e.column, e.field, e.detail));
    return { ok: false, errors };
  }
  const markdown = lines
    .slice(close + 1)
    .join("\n")
    .trim();
  if (!markdown) return fail(close + 2, "(body)", "is empty: write the lesson in Markdown below the front matter");
  if (markdown.length > MAX_LESSON_BODY_CHARS)
    return fail(close + 2, "(body)", `is ${markdown.length} characters; at most ${MAX_LESSON_BODY_CHARS}`);
  return { ok: true, lesson: { title: front.result.value.title, afterPosition: front.result.value.after, markdown } };
}

export interface LessonLoadOptions {
  /** Check the prices per 1M tokens (and price ratios) a lesson quotes for a model against this catalogue. */
  catalogue?: readonly PricedModel[];
}

/** A lesson's prices and price ratios that disagree with the catalogue, at their line and column in the .md file. */
function priceErrors(text: string, file: string, catalogue: readonly PricedModel[]): ExerciseFileError[] {
  const problems = [...quotedPriceConflicts(text, catalogue), ...priceRatioConflicts(text, catalogue)];
  return problems
    .sort((a, b) => a.offset - b.offset)
    .map((p) => {
      const before = text.slice(0, p.offset);
      const line = before.split("\n").length;
      return new ExerciseFileError(file, line, p.offset - before.lastIndexOf("\n"), "(body)", p.message);
    });
}

/**
 * Every lesson under `<root>/<course>/lessons/`, for each course folder. Kept apart from `loadContent` (which this
 * module builds on), so callers that want lessons ask for them: `exercises:check` and the sync.
 */
export function loadLessons(
  root: string,
  options: LessonLoadOptions = {},
): { lessons: LoadedLesson[]; errors: ExerciseFileError[] } {
  const out: { lessons: LoadedLesson[]; errors: ExerciseFileError[] } = { lessons: [], errors: [] };
  if (!existsSync(root)) return out;
  const shown = root.replace(/\/+$/, "");
  for (const course of readdirSync(root).sort()) {
    const dir = join(root, course);
    if (course.startsWith(".") || !statSync(dir).isDirectory()) continue;
    const found = loadLessonFolder(join(dir, LESSONS_FOLDER), `${shown}/${course}/${LESSONS_FOLDER}`, course, options);
    out.lessons.push(...found.lessons);
    out.errors.push(...found.errors);
  }
  return out;
}

/**
 * Every lesson of one course folder. A position past the course's last exercise is not an error (exercises can be
 * archived or drafted in the app): the course page shows such a lesson after the last exercise.
 */
export function loadLessonFolder(
  dir: string,
  displayDir: string,
  course: string,
  options: LessonLoadOptions = {},
): { lessons: LoadedLesson[]; errors: ExerciseFileError[] } {
  const out: { lessons: LoadedLesson[]; errors: ExerciseFileError[] } = { lessons: [], errors: [] };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return out;
  const slugs = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".")) continue;
    const file = `${displayDir}/${name}`;
    const named = LESSON_FILE_NAME.exec(name);
    if (!named || statSync(join(dir, name)).isDirectory()) {
      out.errors.push(
        new ExerciseFileError(file, 1, 1, "(file)", "a lesson is a Markdown file named <NN>-<slug>.md, e.g. 01-why.md"),
      );
      continue;
    }
    const text = readFileSync(join(dir, name), "utf8");
    const parsed = parseLessonText(text, file);
    if (!parsed.ok) {
      out.errors.push(...parsed.errors);
      continue;
    }
    const slug = named[2];
    const first = slugs.get(slug);
    if (first !== undefined) {
      out.errors.push(new ExerciseFileError(file, 1, 1, "(file)", `duplicate lesson slug "${slug}", already ${first}`));
      continue;
    }
    slugs.set(slug, file);
    if (options.catalogue) {
      const wrong = priceErrors(text, file, options.catalogue);
      if (wrong.length > 0) {
        out.errors.push(...wrong);
        continue;
      }
    }
    out.lessons.push({ file, course, slug, ...parsed.lesson });
  }
  // Stable: by position in the course, then by file name (the NN prefix).
  out.lessons.sort((a, b) => a.afterPosition - b.afterPosition);
  return out;
}
