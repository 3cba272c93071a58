import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import type { ZodErrorMap, ZodIssue, ZodTypeAny, z } from "zod";
import { unknownBriefFigures } from "~/domain/brief-figures";
import {
  type CourseFile,
  courseFileSchema,
  type ExerciseFile,
  exerciseFileSchema,
  type Requirement,
  requirementSchema,
} from "~/domain/exercise";
import { exerciseCrossFieldIssues } from "~/domain/exercise-cross-fields";
import { isChatModel, type ModelInfo, modelCatalogueSchema, toModelInfo } from "~/domain/models";
import { safeRegexError } from "~/domain/safe-regex";
import { briefFigureProblems } from "./brief-check.server";

/**
 * Loads the hand-written YAML content (courses, exercises, the model catalogue) and validates it.
 * Every error names the file, the field as a dotted path (`checks[2].value`) and the line and
 * column in the YAML, because the people who fix these files are authors, not the code.
 */

type PathKey = string | number;

export class ExerciseFileError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted path of the field, e.g. `checks[2].value`; `(syntax)` for YAML errors, `(file)` for the file itself. */
  readonly field: string;
  readonly detail: string;

  constructor(file: string, line: number, column: number, field: string, detail: string) {
    super(`${file}:${line}:${column} ${field}: ${detail}`);
    this.name = "ExerciseFileError";
    this.file = file;
    this.line = line;
    this.column = column;
    this.field = field;
    this.detail = detail;
  }
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: ExerciseFileError[] };

export function formatPath(path: readonly PathKey[]): string {
  if (path.length === 0) return "(root)";
  return path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`;
    return out ? `${out}.${key}` : key;
  }, "");
}

/** A parsed YAML file that can point any field path back to its line and column. */
class SourceFile {
  readonly lineCounter = new LineCounter();
  readonly doc: Document.Parsed;

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: true });
  }

  /** Only the first: after a syntax error the parser's later complaints are mostly its consequences. */
  syntaxErrors(): ExerciseFileError[] {
    return this.doc.errors.slice(0, 1).map((e) => {
      const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
      const firstLine = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      return new ExerciseFileError(this.file, pos.line, pos.col, "(syntax)", firstLine);
    });
  }

  /**
   * Where a field is written. A map entry points at its key (the line an author looks for), a list
   * item at the item. A missing field points at the nearest parent that exists.
   */
  locate(path: readonly PathKey[]): { line: number; column: number; found: boolean } {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const key of path) {
      let next: unknown;
      let anchor: number | undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? p.key.value : p.key) === key);
        if (pair) {
          next = pair.value;
          anchor = rangeStart(pair.key) ?? rangeStart(pair.value);
        }
      } else if (isSeq(node) && typeof key === "number") {
        next = node.items[key];
        anchor = rangeStart(next);
      }
      if (anchor === undefined) return { ...this.position(offset), found: false };
      node = next;
      offset = anchor;
    }
    return { ...this.position(offset), found: true };
  }

  /**
   * An error at a character offset inside a text field: for a block scalar (`brief: |`) the line of the text
   * itself, counted from the line after the key; for any other scalar, the field's own line.
   */
  errorInText(path: readonly PathKey[], offset: number, detail: string): ExerciseFileError {
    const node = this.doc.getIn(path, true);
    const start = rangeStart(node);
    if (!isScalar(node) || start === undefined) return this.error(path, detail);
    const at = this.position(start);
    const block = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
    const before = String(node.value).slice(0, offset);
    const line = block ? at.line + 1 + (before.match(/\n/g)?.length ?? 0) : at.line;
    return new ExerciseFileError(this.file, line, 1, formatPath(path), detail);
  }

  /** Where the first alias (`*name`) is written, for the alias-bomb error. */
  firstAlias(): { line: number; column: number } {
    let offset = 0;
    visit(this.doc, {
      Alias(_, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    return this.position(offset);
  }

  error(path: readonly PathKey[], detail: string): ExerciseFileError {
    const at = this.locate(path);
    return new ExerciseFileError(this.file, at.line, at.column, formatPath(path), detail);
  }

  private position(offset: number): { line: number; column: number } {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

/** Messages written for YAML authors; messages set in the schema itself take precedence over these. */
const authorErrorMap: ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.received === "undefined") return { message: "is required" };
      if (issue.expected === "integer") return { message: `must be a whole number, not ${issue.received}` };
      return { message: `must be ${withArticle(issue.expected)}, not ${withArticle(issue.received)}` };
    case "invalid_enum_value":
      return { message: `must be one of ${issue.options.join(", ")} (got ${JSON.stringify(issue.received)})` };
    case "invalid_union_discriminator":
      return { message: `must be one of ${issue.options.map(String).join(", ")}` };
    case "invalid_literal":
      return { message: `must be ${JSON.stringify(issue.expected)}` };
    case "too_small":
      if (issue.type === "string")
        return {
          message: Number(issue.minimum) <= 1 ? "must not be empty" : `must be at least ${issue.minimum} characters`,
        };
      if (issue.type === "array")
        return { message: `must have at least ${issue.minimum} item${issue.minimum === 1 ? "" : "s"}` };
      return { message: `must be ${issue.inclusive ? "at least" : "greater than"} ${issue.minimum}` };
    case "too_big":
      if (issue.type === "string") return { message: `must be at most ${issue.maximum} characters` };
      if (issue.type === "array") return { message: `must have at most ${issue.maximum} items` };
      return { message: `must be ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}` };
    default:
      return { message: ctx.defaultError };
  }
};

function withArticle(type: string): string {
  if (type === "null" || type === "undefined") return type;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function issuesToErrors(source: SourceFile, issues: ZodIssue[]): ExerciseFileError[] {
  const errors: ExerciseFileError[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) errors.push(source.error([...issue.path, key], "is not a known field"));
      continue;
    }
    const missing = !source.locate(issue.path).found;
    const detail =
      missing && issue.code === "invalid_union_discriminator" ? `is required: ${issue.message}` : issue.message;
    errors.push(source.error(issue.path, detail));
  }
  return errors;
}

function byPosition(a: ExerciseFileError, b: ExerciseFileError): number {
  return a.line - b.line || a.column - b.column;
}

/** Longest YAML file read (an exercise is a few KB; the authoring editor allows 200,000 characters). */
export const MAX_YAML_CHARS = 250_000;
/** Aliases (`*name`) resolved per file: enough for any real reuse, far below what an alias bomb needs. */
const MAX_ALIAS_COUNT = 100;

export function parseWith<S extends ZodTypeAny>(
  schema: S,
  text: string,
  file: string,
): { source: SourceFile; result: ParseResult<z.output<S>> } {
  if (text.length > MAX_YAML_CHARS) {
    const error = new ExerciseFileError(
      file,
      1,
      1,
      "(file)",
      `is ${text.length} characters; at most ${MAX_YAML_CHARS}`,
    );
    return { source: new SourceFile(file, ""), result: { ok: false, errors: [error] } };
  }
  const source = new SourceFile(file, text);
  const syntax = source.syntaxErrors();
  if (syntax.length > 0) return { source, result: { ok: false, errors: syntax } };
  let value: unknown;
  try {
    value = source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    // yaml refuses to expand aliases past the count (a "billion laughs" file) or one that refers to itself.
    const at = source.firstAlias();
    const detail = "uses aliases (*name) that expand too far or refer to themselves; write the values out instead";
    return {
      source,
      result: { ok: false, errors: [new ExerciseFileError(file, at.line, at.column, "(syntax)", detail)] },
    };
  }
  const parsed = schema.safeParse(value, { errorMap: authorErrorMap });
  if (!parsed.success)
    return { source, result: { ok: false, errors: issuesToErrors(source, parsed.error.issues).sort(byPosition) } };
  return { source, result: { ok: true, value: parsed.data } };
}

/** How the offline judge recognises a regular-expression phrase: "/source/flags". */
const REGEX_PHRASE = /^\/(.+)\/([a-z]*)$/s;

/** A requirement with its index in the file (a refused file's valid requirements keep their own index). */
type IndexedRequirement = { req: Requirement; index: number };

/** Every phrase of a requirement (all_of, topic, broken_by) with its path in the file. */
function requirementPhrases(requirements: readonly IndexedRequirement[]): { path: PathKey[]; phrase: string }[] {
  const out: { path: PathKey[]; phrase: string }[] = [];
  const groups = (path: PathKey[], list: readonly (readonly string[])[]) => {
    list.forEach((group, g) => {
      group.forEach((phrase, p) => {
        out.push({ path: [...path, g, p], phrase });
      });
    });
  };
  for (const { req, index: r } of requirements) {
    groups(["requirements", r, "all_of"], req.all_of);
    if (req.topic) groups(["requirements", r, "topic"], req.topic);
    req.broken_by.forEach((entry, b) => {
      if (Array.isArray(entry)) {
        entry.forEach((phrase, p) => {
          out.push({ path: ["requirements", r, "broken_by", b, p], phrase });
        });
      } else groups(["requirements", r, "broken_by", b, "all_of"], entry.all_of);
    });
  }
  return out;
}

/** Checks the schema cannot express: a requirement phrase written as /regex/flags must compile. */
function requirementPatternErrors(
  source: SourceFile,
  requirements: readonly IndexedRequirement[],
): ExerciseFileError[] {
  const errors: ExerciseFileError[] = [];
  for (const { path, phrase } of requirementPhrases(requirements)) {
    const rx = REGEX_PHRASE.exec(phrase.trim());
    if (!rx) continue;
    const badFlag = rx[2].replace(/[gimsuc]/g, "");
    if (badFlag) {
      errors.push(source.error(path, `uses the unknown regular-expression flag "${badFlag[0]}"`));
      continue;
    }
    // Case-insensitive unless the author asks for case with `c`, as the judge reads it.
    const error = safeRegexError(rx[1], rx[2].includes("c") ? rx[2].replace(/c/g, "") : `${rx[2]}i`);
    if (error) errors.push(source.error(path, error));
  }
  return errors;
}

function parseExerciseSource(
  text: string,
  file: string,
): { source: SourceFile; result: { ok: true; exercise: ExerciseFile } | { ok: false; errors: ExerciseFileError[] } } {
  const { source, result } = parseWith(exerciseFileSchema, text, file);
  if (!result.ok) {
    if (result.errors.some((e) => e.field === "(syntax)" || e.field === "(file)")) return { source, result };
    return { source, result: { ok: false, errors: withRulesOnRefused(source, result.errors) } };
  }
  const errors = [
    ...requirementPatternErrors(
      source,
      result.value.requirements.map((req, index) => ({ req, index })),
    ),
    ...briefErrors(source, result.value.brief),
  ];
  if (errors.length > 0) return { source, result: { ok: false, errors } };
  return { source, result: { ok: true, exercise: result.value } };
}

const briefErrors = (source: SourceFile, brief: string) =>
  unknownBriefFigures(brief).map((p) => source.errorInText(["brief"], p.offset, p.message));

/**
 * All at once, not in waves: when the schema refuses a file, the rules it never reached (across fields, regex
 * phrases, brief figures) still run on whatever the file holds, so an author who fixes the field errors does not
 * meet a second round. Zod skips a refinement once a field has the wrong type, so these run here on the raw value.
 */
function withRulesOnRefused(source: SourceFile, schemaErrors: ExerciseFileError[]): ExerciseFileError[] {
  const raw = source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  const ex = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const requirements = (Array.isArray(ex.requirements) ? ex.requirements : []).flatMap((r, index) => {
    const parsed = requirementSchema.safeParse(r);
    return parsed.success ? [{ req: parsed.data, index }] : [];
  });
  const more = [
    ...exerciseCrossFieldIssues(raw).map((i) => source.error(i.path, i.message)),
    ...requirementPatternErrors(source, requirements),
    ...(typeof ex.brief === "string" ? briefErrors(source, ex.brief) : []),
  ];
  // The schema may have run the cross-field rules itself (when no field had the wrong type): one error each.
  const seen = new Set<string>();
  return [...schemaErrors, ...more]
    .filter((e) => {
      const key = `${e.field}\n${e.detail}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(byPosition);
}

/** Validates one exercise file on its own (no cross-file rules: course folder, catalogue, unique slugs). */
export function parseExerciseText(
  text: string,
  file: string,
): { ok: true; exercise: ExerciseFile } | { ok: false; errors: ExerciseFileError[] } {
  return parseExerciseSource(text, file).result;
}

export function parseCourseText(
  text: string,
  file: string,
): { ok: true; course: CourseFile } | { ok: false; errors: ExerciseFileError[] } {
  const { result } = parseWith(courseFileSchema, text, file);
  return result.ok ? { ok: true, course: result.value } : result;
}

export function parseModelCatalogueText(
  text: string,
  file: string,
): { ok: true; models: ModelInfo[] } | { ok: false; errors: ExerciseFileError[] } {
  const { source, result } = parseWith(modelCatalogueSchema, text, file);
  if (!result.ok) return result;
  const seen = new Set<string>();
  const errors: ExerciseFileError[] = [];
  result.value.models.forEach((m, i) => {
    if (seen.has(m.id)) errors.push(source.error(["models", i, "id"], `duplicate model id "${m.id}"`));
    seen.add(m.id);
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, models: result.value.models.map(toModelInfo) };
}

export class ModelCatalogueError extends Error {
  constructor(readonly errors: ExerciseFileError[]) {
    super(`The model catalogue has errors:\n${errors.map((e) => `  ${e.message}`).join("\n")}`);
    this.name = "ModelCatalogueError";
  }
}

/** The model catalogue; throws ModelCatalogueError (listing every error) when the file is invalid. */
export function loadModelCatalogue(path = "db/models.yaml"): ModelInfo[] {
  const result = readCatalogue(path);
  if (!result.ok) throw new ModelCatalogueError(result.errors);
  return result.models;
}

function readCatalogue(path: string): ReturnType<typeof parseModelCatalogueText> {
  const file = displayPath(path);
  if (!existsSync(path)) return { ok: false, errors: [new ExerciseFileError(file, 1, 1, "(file)", "does not exist")] };
  return parseModelCatalogueText(readFileSync(path, "utf8"), file);
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

export interface LoadedExercise {
  file: string;
  exercise: ExerciseFile;
  sourceText: string;
}

export interface LoadedContent {
  courses: CourseFile[];
  exercises: LoadedExercise[];
  errors: ExerciseFileError[];
}

export const COURSE_FILE = "course.yaml";

/** The catalogue as the cross-file rules see it: null models when the catalogue itself is invalid. */
interface Catalogue {
  file: string;
  byId: Map<string, ModelInfo> | null;
}

/**
 * Loads `<root>/<course-slug>/course.yaml` and `<root>/<course-slug>/<NN>-<slug>.yaml`, checks each
 * file and the rules across files, and returns everything valid plus every error found. It never
 * throws on bad content, so one run shows an author all that needs fixing.
 */
export interface LoadOptions {
  /** Count tokens to check the brief's literal figures against the exercise's data (`exercises:check` does). */
  figures?: boolean;
}

export function loadContent(
  root = "exercises",
  modelsFile = "db/models.yaml",
  options: LoadOptions = {},
): LoadedContent {
  const out: LoadedContent = { courses: [], exercises: [], errors: [] };
  const catalogue = readCatalogue(modelsFile);
  if (!catalogue.ok) out.errors.push(...catalogue.errors);
  // With a broken catalogue every model would look unknown; the catalogue's own errors say enough.
  const models: Catalogue = {
    file: displayPath(modelsFile),
    byId: catalogue.ok ? new Map(catalogue.models.map((m) => [m.id, m])) : null,
  };
  if (!existsSync(root)) {
    out.errors.push(new ExerciseFileError(displayPath(root), 1, 1, "(file)", "the exercises folder does not exist"));
    return out;
  }
  const slugs = new Map<string, string>();
  for (const entry of readdirSync(root).sort()) {
    if (entry.startsWith(".")) continue;
    const dir = join(root, entry);
    if (!statSync(dir).isDirectory()) {
      if (/\.ya?ml$/.test(entry))
        out.errors.push(
          new ExerciseFileError(
            displayPath(dir),
            1,
            1,
            "(file)",
            "must be inside a course folder: exercises/<course-slug>/",
          ),
        );
      continue;
    }
    loadCourseFolder(dir, entry, { ...models, figures: options.figures ?? false }, slugs, out);
  }
  return out;
}

function loadCourseFolder(
  dir: string,
  courseSlug: string,
  models: Catalogue & { figures: boolean },
  slugs: Map<string, string>,
  out: LoadedContent,
): void {
  const courseFile = join(dir, COURSE_FILE);
  if (!existsSync(courseFile)) {
    out.errors.push(
      new ExerciseFileError(displayPath(courseFile), 1, 1, "(file)", "is missing: every course folder needs one"),
    );
  } else {
    const { source, result } = parseWith(courseFileSchema, readFileSync(courseFile, "utf8"), displayPath(courseFile));
    if (!result.ok) out.errors.push(...result.errors);
    else if (result.value.slug !== courseSlug)
      out.errors.push(source.error(["slug"], `must equal its folder name "${courseSlug}"`));
    else out.courses.push(result.value);
  }

  for (const name of readdirSync(dir).sort()) {
    if (name === COURSE_FILE) continue;
    const path = join(dir, name);
    const file = displayPath(path);
    if (name.endsWith(".yml")) {
      out.errors.push(new ExerciseFileError(file, 1, 1, "(file)", "must use the .yaml extension"));
      continue;
    }
    if (!name.endsWith(".yaml")) continue;
    const sourceText = readFileSync(path, "utf8");
    const { source, result } = parseExerciseSource(sourceText, file);
    if (!result.ok) {
      out.errors.push(...result.errors);
      continue;
    }
    const errors = crossFileErrors(source, name, courseSlug, result.exercise, models, slugs);
    if (errors.length > 0) out.errors.push(...errors);
    else out.exercises.push({ file, exercise: result.exercise, sourceText });
  }
}

function crossFileErrors(
  source: SourceFile,
  fileName: string,
  courseSlug: string,
  ex: ExerciseFile,
  models: Catalogue & { figures: boolean },
  slugs: Map<string, string>,
): ExerciseFileError[] {
  const errors: ExerciseFileError[] = [];
  if (ex.course !== courseSlug) errors.push(source.error(["course"], `must equal its folder name "${courseSlug}"`));
  if (fileName !== `${ex.slug}.yaml` && !fileName.endsWith(`-${ex.slug}.yaml`))
    errors.push(source.error(["slug"], `must match the file name: expected a file named <NN>-${ex.slug}.yaml`));
  const firstFile = slugs.get(ex.slug);
  if (firstFile !== undefined)
    errors.push(source.error(["slug"], `duplicate slug "${ex.slug}", already used by ${firstFile}`));
  else slugs.set(ex.slug, source.file);
  const model = models.byId?.get(ex.model);
  if (!model) {
    if (models.byId)
      errors.push(source.error(["model"], `"${ex.model}" is not in the model catalogue (${models.file})`));
  } else if (!isChatModel(model)) {
    errors.push(source.error(["model"], `"${ex.model}" is an embeddings model; an exercise runs on a chat model`));
  } else if (model.tier !== ex.tier) {
    errors.push(source.error(["tier"], `must be "${model.tier}", the tier of ${ex.model} in the model catalogue`));
  } else if (models.figures) {
    for (const problem of briefFigureProblems(ex, model, models.byId?.values() ?? []))
      errors.push(source.errorInText(["brief"], problem.offset, problem.message));
  }
  return errors.sort(byPosition);
}
