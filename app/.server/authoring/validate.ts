import { eq } from "drizzle-orm";
import { isMap, isPair, isScalar, LineCounter, parseDocument } from "yaml";
import { courses, exercises, models } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import { isChatModel } from "~/domain/models";
import { parseExerciseText } from "~/exercises/load.server";
import type { DbLike } from "../db";

/**
 * Validation of an exercise written in the app: first exactly what the sync runs on a file
 * (parseExerciseText: YAML syntax, the schema, regex phrases), then the rules the sync checks across
 * files, against the database instead (the course exists, the model is in the catalogue with that
 * tier, the slug belongs to no other exercise). Every error names a line, a column and a field.
 */

export interface FieldError {
  line: number;
  column: number;
  /** Dotted path such as `checks[2].value`; `(syntax)` for a YAML error. */
  field: string;
  message: string;
}

export type Validation =
  | { ok: true; exercise: ExerciseFile; errors: [] }
  | { ok: false; exercise: null; errors: FieldError[] };

export interface ValidateOptions {
  /** The exercise being edited: its own slug is not a collision. */
  editing?: { slug: string; hasVersions: boolean } | null;
  /** Shown in messages and used like the sync's file name. */
  fileName?: string;
}

export function validateExerciseText(database: DbLike, text: string, opts: ValidateOptions = {}): Validation {
  const parsed = parseExerciseText(text, opts.fileName ?? "exercise.yaml");
  if (!parsed.ok) {
    const schemaErrors = parsed.errors.map((e) => ({
      line: e.line,
      column: e.column,
      field: e.field,
      message: e.detail,
    }));
    // All at once, not in waves: the rules checked against the database run on whatever the text says of the
    // course, model, tier and slug, beside the schema's errors (not on a field the schema already refused).
    const syntax = schemaErrors.some((e) => e.field === "(syntax)");
    const refused = new Set(schemaErrors.map((e) => e.field));
    const more = syntax
      ? []
      : databaseRuleErrors(database, text, peekRuleFields(text), opts.editing ?? null).filter(
          (e) => !refused.has(e.field),
        );
    return { ok: false, exercise: null, errors: [...schemaErrors, ...more].sort(byPosition) };
  }
  const errors = databaseRuleErrors(database, text, parsed.exercise, opts.editing ?? null);
  if (errors.length > 0) return { ok: false, exercise: null, errors };
  return { ok: true, exercise: parsed.exercise, errors: [] };
}

const byPosition = (a: FieldError, b: FieldError) => a.line - b.line || a.column - b.column;

type RuleFields = Partial<Pick<ExerciseFile, "course" | "model" | "tier" | "slug">>;

/** The fields the database rules read, from a text the schema refused: only those that are strings. */
function peekRuleFields(text: string): RuleFields {
  let value: unknown;
  try {
    value = parseDocument(text).toJS();
  } catch {
    return {};
  }
  const record = value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
  return {
    course: str(record.course),
    model: str(record.model),
    tier: str(record.tier) as ExerciseFile["tier"] | undefined,
    slug: str(record.slug),
  };
}

/**
 * The exercise's model against the catalogue: it must exist, be a chat model (not an embeddings model) and have the
 * exercise's tier. Shared by validation and by calibration of a pasted draft.
 */
export function catalogueErrors(
  database: DbLike,
  text: string,
  ex: Pick<ExerciseFile, "model" | "tier">,
): FieldError[] {
  const model = database
    .select({ tier: models.tier, kind: models.kind })
    .from(models)
    .where(eq(models.id, ex.model))
    .get();
  const at = (field: "model" | "tier", message: string) => [{ ...locateKey(text, field), field, message }];
  if (!model) return at("model", `"${ex.model}" is not in the model catalogue`);
  if (!isChatModel(model)) return at("model", `"${ex.model}" is an embeddings model; an exercise runs on a chat model`);
  if (model.tier !== ex.tier)
    return at("tier", `must be "${model.tier}", the tier of ${ex.model} in the model catalogue`);
  return [];
}

function databaseRuleErrors(
  database: DbLike,
  text: string,
  ex: RuleFields,
  editing: ValidateOptions["editing"],
): FieldError[] {
  const errors: FieldError[] = [];
  const at = (field: keyof ExerciseFile, message: string) => errors.push({ ...locateKey(text, field), field, message });

  if (
    ex.course !== undefined &&
    !database.select({ id: courses.id }).from(courses).where(eq(courses.slug, ex.course)).get()
  )
    at("course", `"${ex.course}" is not a course; create it on the authoring page first`);

  if (ex.model !== undefined && ex.tier !== undefined)
    for (const e of catalogueErrors(database, text, { model: ex.model, tier: ex.tier })) errors.push(e);

  if (ex.slug === undefined) return errors.sort(byPosition);
  if (editing && ex.slug !== editing.slug && editing.hasVersions) {
    at("slug", `must stay "${editing.slug}": a published exercise keeps its slug (attempts and leaderboards use it)`);
  } else if (ex.slug !== editing?.slug) {
    const other = database
      .select({ source: exercises.source })
      .from(exercises)
      .where(eq(exercises.slug, ex.slug))
      .get();
    if (other)
      at(
        "slug",
        other.source === "file"
          ? `"${ex.slug}" is already used by an exercise file in exercises/; pick another slug`
          : `"${ex.slug}" is already used by another exercise made in the app; pick another slug`,
      );
  }
  return errors.sort(byPosition);
}

/** Line and column of a top-level key, or of the document start when the key is missing. */
export function locateKey(text: string, key: string): { line: number; column: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const root = doc.contents;
  if (isMap(root)) {
    const pair = root.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
    const offset = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The slug and course of a text that may not be valid yet, so a half-written draft can still be
 * saved under its name. Null fields when the YAML does not say (or cannot be read).
 */
export function peekIdentity(text: string): { slug: string | null; course: string | null; title: string | null } {
  let value: unknown;
  try {
    value = parseDocument(text).toJS();
  } catch {
    value = null;
  }
  const record = value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
  const slugOf = (v: unknown) => {
    const s = str(v);
    return s && SLUG.test(s) && s.length <= 100 ? s : null;
  };
  return { slug: slugOf(record.slug), course: slugOf(record.course), title: str(record.title)?.slice(0, 120) ?? null };
}
