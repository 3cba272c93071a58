import type { z } from "zod";
import {
  exerciseFileSchema,
  outputCheckSchema,
  promptCheckSchema,
  requirementSchema,
  rubricCriterionSchema,
  SKILL_AREAS,
  TASK_ACTIONS,
  TASK_FIELDS,
  TASK_OUTPUTS,
  TIERS,
  testInputSchema,
} from "~/domain/exercise";

/**
 * Field-name completions for the exercise editor, read from the one schema so a new field shows
 * up here without anyone remembering to list it. Pure, so the editor's behaviour is unit-tested.
 */

export interface FieldSuggestion {
  label: string;
  /** "field" inserts `label: `, "value" inserts the label itself. */
  kind: "field" | "value";
  detail: string;
}

const top = exerciseFileSchema.innerType().shape;

function keysOf(...objects: z.ZodObject<z.ZodRawShape>[]): string[] {
  return [...new Set(objects.flatMap((o) => Object.keys(o.shape)))];
}

function elementObject(schema: z.ZodTypeAny): z.ZodObject<z.ZodRawShape> {
  let inner: z.ZodTypeAny = schema;
  while ("innerType" in inner._def) inner = inner._def.innerType as z.ZodTypeAny;
  return (inner as z.ZodArray<z.ZodObject<z.ZodRawShape>>).element;
}

export const TOP_LEVEL_FIELDS = Object.keys(top);

/** Keys of the objects inside a top-level field (list items or a nested map). */
export const NESTED_FIELDS: Record<string, string[]> = {
  volume: keysOf(top.volume),
  output_tokens: keysOf(top.output_tokens),
  test_inputs: keysOf(testInputSchema),
  checks: keysOf(...promptCheckSchema.options),
  output_checks: keysOf(...outputCheckSchema.options),
  rubric: keysOf(rubricCriterionSchema),
  requirements: keysOf(requirementSchema),
  unused_context: keysOf(elementObject(top.unused_context)),
  task: TASK_FIELDS,
};

const VALUES: Record<string, readonly string[]> = {
  skill: SKILL_AREAS,
  tier: TIERS,
  action: TASK_ACTIONS,
  output: TASK_OUTPUTS,
  per: ["day", "month"],
  "checks.kind": promptCheckSchema.options.map((o) => o.shape.kind.value),
  "output_checks.kind": outputCheckSchema.options.map((o) => o.shape.kind.value),
  format_instruction: ["true", "false"],
  case_sensitive: ["true", "false"],
  required: ["true", "false"],
};

const KEY_POSITION = /^(\s*)(-\s+)?([A-Za-z_]*)$/;
const VALUE_POSITION = /^\s*(?:-\s+)?([A-Za-z_]+):\s*([A-Za-z_-]*)$/;
const TOP_KEY = /^([A-Za-z_]+)\s*:/;

/**
 * What to suggest with the cursor at `column` (0-based, into `lines[lineIndex]`): field names at
 * the start of a line (top-level ones at column 0, the section's own fields when indented), or the
 * allowed values after `skill:`, `tier:`, `per:`, `kind:` and the booleans.
 */
export function suggestFields(lines: string[], lineIndex: number, column: number): FieldSuggestion[] {
  const before = (lines[lineIndex] ?? "").slice(0, column);
  const section = sectionAt(lines, lineIndex);

  const value = VALUE_POSITION.exec(before);
  if (value) {
    const key = value[1];
    const options = VALUES[section ? `${section}.${key}` : key] ?? VALUES[key];
    return (options ?? []).map((label) => ({ label, kind: "value", detail: `${key} value` }));
  }

  const at = KEY_POSITION.exec(before);
  if (!at) return [];
  const indented = at[1].length > 0 || at[2] !== undefined;
  if (!indented) return TOP_LEVEL_FIELDS.map((label) => ({ label, kind: "field", detail: "exercise field" }));
  const nested = section ? NESTED_FIELDS[section] : undefined;
  return (nested ?? []).map((label) => ({ label, kind: "field", detail: `${section} field` }));
}

/** The top-level field whose block contains the line: the nearest unindented key above it. */
export function sectionAt(lines: string[], lineIndex: number): string | null {
  for (let i = lineIndex - 1; i >= 0; i--) {
    const line = lines[i];
    if (line.trim() === "" || /^\s/.test(line) || line.startsWith("#")) continue;
    return TOP_KEY.exec(line)?.[1] ?? null;
  }
  return null;
}
