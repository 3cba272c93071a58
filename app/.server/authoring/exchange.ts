import { and, eq } from "drizzle-orm";
import { exercises, exerciseVersions } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import type { DbLike } from "../db";
import { getExerciseForEditing, MAX_EXERCISE_TEXT, type Refusal, saveExerciseDraft } from "./drafts";
import { peekIdentity, validateExerciseText } from "./validate";

/**
 * Exercises move between the app and exercises/ as the very same YAML file: export hands out the
 * stored source text of a version (comments and layout included), import runs the sync's own
 * validation on an uploaded file, so a file that imports is a file the sync accepts.
 */

export interface ExportedFile {
  fileName: string;
  text: string;
}

/** A version's source (the current one by default); for a never-published exercise, its draft. */
export function exportExercise(database: DbLike, slug: string, version?: number): ExportedFile | null {
  if (version !== undefined) {
    const row = database
      .select({ sourceText: exerciseVersions.sourceText, content: exerciseVersions.content })
      .from(exerciseVersions)
      .innerJoin(exercises, eq(exercises.id, exerciseVersions.exerciseId))
      .where(and(eq(exercises.slug, slug), eq(exerciseVersions.version, version)))
      .get();
    return row ? { fileName: fileNameFor(slug, (row.content as ExerciseFile).order), text: row.sourceText } : null;
  }
  const found = getExerciseForEditing(database, slug);
  if (!found) return null;
  if (found.current)
    return { fileName: fileNameFor(slug, found.current.content.order), text: found.current.sourceText };
  return found.draft ? { fileName: `${slug}.yaml`, text: found.draft.text } : null;
}

/** The sync wants `<NN>-<slug>.yaml` inside the course folder; NN is the exercise's `order`. */
export function fileNameFor(slug: string, order: number): string {
  return `${String(order).padStart(2, "0")}-${slug}.yaml`;
}

export type ImportResult = { ok: true; slug: string; review: boolean } | (Refusal & { fileName: string });

/**
 * Imports an uploaded exercise file: refused with line-numbered errors unless it validates. A new
 * slug becomes a new app exercise; the slug of an app exercise updates its draft (or publishes it);
 * the slug of a file exercise is refused, because the next sync would overwrite it.
 */
export async function importExercise(
  database: DbLike,
  input: { fileName: string; text: string; publish: boolean; userId: number },
): Promise<ImportResult> {
  const { fileName, text, publish, userId } = input;
  if (text.length > MAX_EXERCISE_TEXT)
    return {
      ok: false,
      status: 400,
      fileName,
      errors: [{ line: 1, column: 1, field: "(file)", message: "is too large for an exercise file" }],
    };
  const claimed = peekIdentity(text).slug;
  const existing = claimed ? getExerciseForEditing(database, claimed) : null;
  const editing = existing?.source === "app" ? existing : null;
  const validation = validateExerciseText(database, text, {
    fileName,
    editing: editing ? { slug: editing.slug, hasVersions: editing.hasVersions } : null,
  });
  if (!validation.ok) return { ok: false, status: 400, fileName, errors: validation.errors };

  // "Publish" imports the file as the draft and opens its review (learner preview, diff, confirm), as the editor does.
  const saved = saveExerciseDraft(database, { text, slug: editing?.slug ?? null, userId });
  return saved.ok ? { ok: true, slug: saved.slug, review: publish } : { ...saved, fileName };
}
