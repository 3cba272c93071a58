import { eq } from "drizzle-orm";
import { courses, exercises, exerciseVersions } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import { parseExerciseText } from "~/exercises/load.server";
import type { DbLike } from "../../db";
import { catalogueErrors, type FieldError, locateKey } from "../validate";

/**
 * What is calibrated: the exercise's current version, or a draft posted with the form, checked like a
 * file plus the one catalogue rule calibration depends on.
 */

/** A draft's error, line-numbered like the sync's (plain data, so it survives the trip to the page). */
export type DraftError = FieldError;

export interface CalibrationSubject {
  exercise: ExerciseFile;
  source: { kind: "version"; version: number; status: string } | { kind: "draft" };
  /** For the ledger tags; null for a draft of an exercise that is not stored yet. */
  exerciseId: number | null;
  courseId: number | null;
}

/** The exercise as stored: its status and current version (whatever its status), or null when unknown. */
export function storedExercise(database: DbLike, slug: string) {
  return (
    database
      .select({
        id: exercises.id,
        courseId: exercises.courseId,
        status: exercises.status,
        version: exerciseVersions.version,
        content: exerciseVersions.content,
      })
      .from(exercises)
      .leftJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
      .where(eq(exercises.slug, slug))
      .get() ?? null
  );
}

/** An error at a top-level key of the draft (the line the instructor has to change). */
function errorAt(text: string, field: string, message: string): DraftError {
  return { ...locateKey(text, field), field, message };
}

/**
 * The exercise to calibrate: the posted draft when there is one (validated exactly like a file),
 * else the stored current version. Null when neither exists (the page answers 404).
 */
export function calibrationSubject(
  database: DbLike,
  slug: string,
  draft?: string,
): { ok: true; subject: CalibrationSubject } | { ok: false; errors: DraftError[] } | null {
  const stored = storedExercise(database, slug);
  if (draft !== undefined) {
    const parsed = parseExerciseText(draft, `${slug}.yaml`);
    if (!parsed.ok)
      return {
        ok: false,
        errors: parsed.errors.map((e) => ({ line: e.line, column: e.column, field: e.field, message: e.detail })),
      };
    // The ledger rows of the run are tagged with this page's exercise, so the draft must be that exercise.
    if (parsed.exercise.slug !== slug)
      return { ok: false, errors: [errorAt(draft, "slug", `must be "${slug}", the exercise this page calibrates`)] };
    const errors = catalogueErrors(database, draft, parsed.exercise);
    if (errors.length > 0) return { ok: false, errors };
    const courseId =
      stored?.courseId ??
      database.select({ id: courses.id }).from(courses).where(eq(courses.slug, parsed.exercise.course)).get()?.id ??
      null;
    return {
      ok: true,
      subject: { exercise: parsed.exercise, source: { kind: "draft" }, exerciseId: stored?.id ?? null, courseId },
    };
  }
  if (!stored?.content || stored.version === null) return null;
  return {
    ok: true,
    subject: {
      exercise: stored.content as ExerciseFile,
      source: { kind: "version", version: stored.version, status: stored.status },
      exerciseId: stored.id,
      courseId: stored.courseId,
    },
  };
}
