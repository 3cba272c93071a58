import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { courses, exercises, exerciseVersions } from "#db/schema";
import { type ExerciseFile, type LearnerExercise, toLearnerExercise } from "~/domain/exercise";
import { storeExercise } from "../content";
import { type Db, type DbLike, writeTransaction } from "../db";
import { exerciseTokenCountsInPool } from "../exercise-tokens";
import { renameSamples } from "./calibration-samples";
import { buildReview, type PublishReview, reviewToken } from "./publish-review";
import { DRAFT_PREFIX, deleteKey, readKey, renameKey, writeKey } from "./store";
import { leftoverTemplateText } from "./template";
import { type FieldError, locateKey, peekIdentity, validateExerciseText } from "./validate";

/**
 * Exercises written in the app: a draft is the author's latest text, kept even when it does not
 * validate yet (in `settings` under `exercise-draft:<slug>`, as there is no drafts table for
 * exercises); publishing validates it and stores a new immutable version through the same
 * storeExercise the file sync uses, so the two paths cannot drift apart.
 */

export const MAX_EXERCISE_TEXT = 200_000;

/** The editor's form: save the text as a draft, or publish it. */
export const editorFormSchema = z.object({
  intent: z.enum(["save", "publish"]),
  text: z.string().max(MAX_EXERCISE_TEXT, `The file is longer than ${MAX_EXERCISE_TEXT} characters`),
  /** The review token the author confirmed (absent: show the review first). */
  confirm: z.string().max(100).optional(),
});

const draftSchema = z.object({ text: z.string().max(MAX_EXERCISE_TEXT) });

export interface ExerciseForEditing {
  id: number;
  slug: string;
  status: "draft" | "published" | "archived";
  source: "file" | "app";
  courseSlug: string;
  position: number;
  hasVersions: boolean;
  current: { id: number; version: number; createdAt: Date; sourceText: string; content: ExerciseFile } | null;
  draft: { text: string; updatedAt: Date } | null;
  /** What the editor opens with: the draft when there is one, else the published source. */
  text: string;
}

export function getExerciseForEditing(database: DbLike, slug: string): ExerciseForEditing | null {
  const row = database
    .select({
      id: exercises.id,
      slug: exercises.slug,
      status: exercises.status,
      source: exercises.source,
      position: exercises.position,
      courseSlug: courses.slug,
      currentVersionId: exercises.currentVersionId,
    })
    .from(exercises)
    .innerJoin(courses, eq(courses.id, exercises.courseId))
    .where(eq(exercises.slug, slug))
    .get();
  if (!row) return null;
  const version = row.currentVersionId
    ? database.select().from(exerciseVersions).where(eq(exerciseVersions.id, row.currentVersionId)).get()
    : undefined;
  const current = version
    ? {
        id: version.id,
        version: version.version,
        createdAt: version.createdAt,
        sourceText: version.sourceText,
        content: version.content as ExerciseFile,
      }
    : null;
  const draft = readDraft(database, slug);
  return { ...row, hasVersions: current !== null, current, draft, text: draft?.text ?? current?.sourceText ?? "" };
}

export function readDraft(database: DbLike, slug: string): { text: string; updatedAt: Date } | null {
  const entry = readKey(database, DRAFT_PREFIX + slug, draftSchema);
  return entry ? { text: entry.value.text, updatedAt: entry.updatedAt } : null;
}

/** Why a save, publish or import was refused: each error at its line, for the editor's markers. */
export interface Refusal {
  ok: false;
  status: 400 | 409;
  errors: FieldError[];
}

export type SaveResult = { ok: true; slug: string; created: boolean } | Refusal;

function refuse(status: 400 | 409, text: string, field: string, message: string): Refusal {
  return { ok: false, status, errors: [{ ...locateKey(text, field), field, message }] };
}

const FILE_EXERCISE =
  "is an exercise file in exercises/: edit the file in the repository (or import a copy under a new slug)";

/**
 * Saves the text as the draft of `slug` (the exercise being edited) or, when `slug` is null, of a
 * new exercise named by the text's own `slug` and `course` fields, which are all a draft needs.
 * A draft that was never published may still change its slug.
 */
export function saveExerciseDraft(
  database: DbLike,
  input: { text: string; slug: string | null; userId: number },
): SaveResult {
  const { text, userId } = input;
  const identity = peekIdentity(text);
  if (input.slug === null) {
    if (!identity.slug)
      return refuse(400, text, "slug", "a draft needs a slug (lower-case words joined by hyphens) to be saved");
    if (database.select({ id: exercises.id }).from(exercises).where(eq(exercises.slug, identity.slug)).get())
      return refuse(409, text, "slug", `"${identity.slug}" is already used by another exercise; pick another slug`);
    const course = identity.course ? courseBySlug(database, identity.course) : undefined;
    if (!course) return refuse(400, text, "course", "a draft needs the slug of an existing course to be saved");
    database
      .insert(exercises)
      .values({
        slug: identity.slug,
        courseId: course.id,
        position: nextPosition(database, course.id),
        source: "app",
        status: "draft",
      })
      .run();
    writeKey(database, DRAFT_PREFIX + identity.slug, { text }, userId);
    return { ok: true, slug: identity.slug, created: true };
  }

  const existing = getExerciseForEditing(database, input.slug);
  if (!existing) return refuse(400, text, "slug", `there is no exercise "${input.slug}"`);
  if (existing.source === "file") return refuse(409, text, "slug", `"${existing.slug}" ${FILE_EXERCISE}`);
  let slug = existing.slug;
  if (!existing.hasVersions) {
    if (identity.slug && identity.slug !== slug) {
      if (database.select({ id: exercises.id }).from(exercises).where(eq(exercises.slug, identity.slug)).get())
        return refuse(409, text, "slug", `"${identity.slug}" is already used by another exercise; pick another slug`);
      database.update(exercises).set({ slug: identity.slug }).where(eq(exercises.id, existing.id)).run();
      renameKey(database, DRAFT_PREFIX + slug, DRAFT_PREFIX + identity.slug);
      renameSamples(database, slug, identity.slug);
      slug = identity.slug;
    }
    const course = identity.course ? courseBySlug(database, identity.course) : undefined;
    if (course) database.update(exercises).set({ courseId: course.id }).where(eq(exercises.id, existing.id)).run();
  }
  writeKey(database, DRAFT_PREFIX + slug, { text }, userId);
  return { ok: true, slug, created: false };
}

/** A valid text that is not published yet: the author must see this review and confirm it. */
export interface NeedsReview {
  ok: false;
  status: 200 | 409;
  review: PublishReview;
  /** A confirmation was sent, but for another text or another live version. */
  stale: boolean;
}

export type PublishResult = { ok: true; slug: string; version: number; newVersion: boolean } | Refusal | NeedsReview;

/**
 * Validates the text and, when it is valid, stores it as the exercise's new published version
 * (attempts already made keep pointing at the version they were graded against). `slug` is the
 * exercise being edited, or null for a new one (whose slug must then be free).
 */
export async function publishExercise(
  database: Db,
  input: { text: string; slug: string | null; userId: number; confirm?: string },
): Promise<PublishResult> {
  const { text } = input;
  const existing = input.slug === null ? null : getExerciseForEditing(database, input.slug);
  if (input.slug !== null && !existing) return refuse(400, text, "slug", `there is no exercise "${input.slug}"`);
  if (existing?.source === "file") return refuse(409, text, "slug", `"${existing.slug}" ${FILE_EXERCISE}`);
  const validation = validateExerciseText(database, text, {
    editing: existing ? { slug: existing.slug, hasVersions: existing.hasVersions } : null,
    fileName: `${input.slug ?? "new-exercise"}.yaml`,
  });
  const leftovers = leftoverTemplateText(text);
  if (!validation.ok || leftovers.length > 0)
    return { ok: false, status: 400, errors: mergeErrors(validation.errors, leftovers) };
  const exercise = validation.exercise;
  const live = existing?.current ?? null;
  if (input.confirm !== reviewToken(text, live))
    return {
      ok: false,
      status: input.confirm ? 409 : 200,
      review: buildReview(text, exercise, live),
      stale: Boolean(input.confirm),
    };
  const counts = await exerciseTokenCountsInPool(exercise);

  return writeTransaction(database, (tx) => {
    if (existing && existing.slug !== exercise.slug) {
      // A never-published draft being renamed (validation refuses it for a published exercise).
      tx.update(exercises).set({ slug: exercise.slug }).where(eq(exercises.id, existing.id)).run();
      deleteKey(tx, DRAFT_PREFIX + existing.slug);
      renameSamples(tx, existing.slug, exercise.slug);
    }
    const course = courseBySlug(tx, exercise.course)!;
    const newVersion = storeExercise(tx, course.id, exercise, text, "app", counts);
    // storeExercise places the exercise at its `order`; once it has been published, the course
    // page's ordering is what authors expect to keep.
    const position = existing?.hasVersions ? existing.position : undefined;
    tx.update(exercises)
      .set({ status: "published", source: "app", ...(position === undefined ? {} : { position }) })
      .where(eq(exercises.slug, exercise.slug))
      .run();
    deleteKey(tx, DRAFT_PREFIX + exercise.slug);
    const version = tx
      .select({ version: exerciseVersions.version })
      .from(exercises)
      .innerJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
      .where(eq(exercises.slug, exercise.slug))
      .get()!.version;
    return { ok: true as const, slug: exercise.slug, version, newVersion };
  });
}

/** The text an author is working on (draft, else published source) and whether it validates; for calibration. */
export function getWorkingExercise(
  database: DbLike,
  slug: string,
): { text: string; fromDraft: boolean; exercise: ExerciseFile | null; errors: FieldError[] } | null {
  const found = getExerciseForEditing(database, slug);
  if (!found) return null;
  const validation = validateExerciseText(database, found.text, {
    editing: { slug: found.slug, hasVersions: found.hasVersions },
  });
  return {
    text: found.text,
    fromDraft: found.draft !== null,
    exercise: validation.exercise,
    errors: validation.errors,
  };
}

/**
 * Live validation for the editor: the errors, and the learner's view of the exercise when it is
 * valid (through toLearnerExercise, so the reference solution never reaches the preview).
 */
export function validateForEditor(
  database: DbLike,
  text: string,
  slug: string | null,
): { errors: FieldError[]; preview: LearnerExercise | null } {
  const existing = slug ? getExerciseForEditing(database, slug) : null;
  const validation = validateExerciseText(database, text, {
    editing: existing ? { slug: existing.slug, hasVersions: existing.hasVersions } : null,
  });
  // Leftover template text blocks publishing but not the preview: the author sees both while replacing it.
  return {
    errors: mergeErrors(validation.errors, leftoverTemplateText(text)),
    preview: validation.ok ? toLearnerExercise(validation.exercise) : null,
  };
}

function mergeErrors(a: FieldError[], b: FieldError[]): FieldError[] {
  return [...a, ...b].sort((x, y) => x.line - y.line || x.column - y.column);
}

function courseBySlug(database: DbLike, slug: string) {
  return database.select({ id: courses.id }).from(courses).where(eq(courses.slug, slug)).get();
}

function nextPosition(database: DbLike, courseId: number): number {
  const row = database
    .select({ max: sql<number | null>`max(${exercises.position})` })
    .from(exercises)
    .where(eq(exercises.courseId, courseId))
    .get();
  return (row?.max ?? 0) + 1;
}
