import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { type CheckResult, runPromptChecks } from "./checks";
import type { OutputCheck, PromptCheck } from "./exercise";

/**
 * The exercise's deterministic checks on a model's OUTPUT (live grading). They run before the
 * judge: a failed required check skips the judge call, so no money is spent grading a known fail.
 *
 * contains / not_contains / regex have the same shape and meaning as the prompt checks, so they are
 * delegated to `runPromptChecks` (one implementation, the same details). json_schema and
 * max_output_tokens exist only for outputs and are evaluated here.
 */

/** A CheckResult whose kind is an output check's kind (checks.ts types `kind` as a prompt check's). */
export type OutputCheckResult = Omit<CheckResult, "kind"> & { kind: OutputCheck["kind"] };

type TextCheck = Extract<OutputCheck, { kind: "contains" | "not_contains" | "regex" }>;

const isTextCheck = (check: OutputCheck): check is TextCheck =>
  check.kind === "contains" || check.kind === "not_contains" || check.kind === "regex";

/**
 * The text checks of a list, as one stable array per list: runPromptChecks memoises its compiled
 * regexes by array identity, so handing it a fresh `filter()` on every call would recompile them.
 */
const textChecksOf = new WeakMap<readonly OutputCheck[], PromptCheck[]>();

function textChecks(checks: readonly OutputCheck[]): PromptCheck[] {
  let list = textChecksOf.get(checks);
  if (!list) {
    list = checks.filter(isTextCheck);
    textChecksOf.set(checks, list);
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// JSON Schema
// ---------------------------------------------------------------------------------------------

/**
 * strict: false and logger: false so that an author's harmless extra keyword or an unknown `format`
 * is ignored instead of failing every learner; addUsedSchema: false so two exercises (or two
 * versions of one) that reuse a `$id` do not collide in the shared instance.
 */
const ajv = new Ajv2020({ allErrors: false, strict: false, logger: false, addUsedSchema: false });

type Compiled = { validate: ValidateFunction; schema: object } | { error: string; schema: object };

/** Keyed by the schema's JSON text, so exercises re-parsed from the database reuse the compiled validator. */
const compiledSchemas = new Map<string, Compiled>();
const MAX_COMPILED_SCHEMAS = 256;

function compileSchema(schema: Record<string, unknown>): Compiled {
  const key = JSON.stringify(schema);
  const hit = compiledSchemas.get(key);
  if (hit) return hit;
  let compiled: Compiled;
  try {
    compiled = { validate: ajv.compile(schema), schema };
  } catch (e) {
    compiled = { error: e instanceof Error ? e.message : String(e), schema };
  }
  if (compiledSchemas.size >= MAX_COMPILED_SCHEMAS) {
    // Evict the oldest, from Ajv's own cache too (it holds every schema object it compiled).
    const [oldKey, old] = compiledSchemas.entries().next().value as [string, Compiled];
    compiledSchemas.delete(oldKey);
    ajv.removeSchema(old.schema);
  }
  compiledSchemas.set(key, compiled);
  return compiled;
}

/**
 * Why an exercise's json_schema cannot be used, or null when Ajv compiles it. For the exercise
 * loader and its tests: an invalid schema is an authoring error, not the learner's.
 */
export function outputSchemaError(schema: Record<string, unknown>): string | null {
  const compiled = compileSchema(schema);
  return "error" in compiled ? compiled.error : null;
}

const FENCED = /^```(?:json)?[ \t]*\r?\n([\s\S]*?)\r?\n?```$/i;

/** The output as JSON text: trimmed, and unwrapped from one ```json (or bare ```) fence if that is all there is. */
export function unfenceJson(output: string): string {
  const trimmed = output.trim();
  const m = FENCED.exec(trimmed);
  return m && !m[1].includes("```") ? m[1].trim() : trimmed;
}

function short(text: string, max = 100): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function describeSchemaError(err: ErrorObject): string {
  const at = err.instancePath === "" ? "(root)" : err.instancePath;
  let message = err.message ?? "is invalid";
  const params = err.params as Record<string, unknown>;
  if (err.keyword === "enum" && Array.isArray(params.allowedValues))
    message += `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  else if (err.keyword === "const") message += `: ${JSON.stringify(params.allowedValue)}`;
  else if (err.keyword === "additionalProperties") message += `: "${String(params.additionalProperty)}"`;
  return `at ${at}: ${message}`;
}

function checkJsonSchema(output: string, schema: Record<string, unknown>): { passed: boolean; detail: string } {
  const compiled = compileSchema(schema);
  if ("error" in compiled)
    return { passed: false, detail: `the exercise's JSON Schema is invalid (${short(compiled.error)})` };
  const text = unfenceJson(output);
  if (text === "") return { passed: false, detail: "not JSON: the output is empty" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { passed: false, detail: `not valid JSON (${short(e instanceof Error ? e.message : String(e))})` };
  }
  if (compiled.validate(value)) return { passed: true, detail: "valid JSON that matches the schema" };
  const first = compiled.validate.errors?.[0];
  return { passed: false, detail: first ? describeSchemaError(first) : "does not match the schema" };
}

// ---------------------------------------------------------------------------------------------

export function runOutputChecks(output: string, checks: OutputCheck[], outputTokens: number): OutputCheckResult[] {
  const text = textChecks(checks);
  const textResults = text.length > 0 ? runPromptChecks(output, text, outputTokens) : [];
  let next = 0;
  return checks.map((check): OutputCheckResult => {
    if (isTextCheck(check)) return { ...textResults[next++], kind: check.kind };
    const base = { id: check.id, label: check.label, kind: check.kind, required: check.required };
    if (check.kind === "json_schema") return { ...base, ...checkJsonSchema(output, check.schema) };
    const passed = outputTokens <= check.value;
    const over = passed ? "" : ` (${outputTokens - check.value} over)`;
    return { ...base, passed, detail: `${outputTokens} output tokens, limit ${check.value}${over}` };
  });
}

/** The required checks that failed: any one of them means the output is not worth a judge call. */
export function failedRequiredChecks(results: readonly OutputCheckResult[]): OutputCheckResult[] {
  return results.filter((r) => r.required && !r.passed);
}
