import type { UsageSource } from "#db/schema";

/**
 * A usage row as every source is turned into it before it is stored (usage/store.ts): who or what the charge
 * belongs to (its dimensions), when, how much was used and what it cost. Parsers of each format build these
 * and throw a RowError naming the field at fault for anything they cannot read.
 */

export type TagValue = string | number | boolean | null;

export interface UsageDims {
  source: UsageSource;
  provider: string;
  service: string;
  account: string | null;
  project: string | null;
  apiKey: string | null;
  workspace: string | null;
  user: string | null;
  model: string;
  tier: string;
  tags: Record<string, TagValue>;
}

export interface UsageRow {
  /** Stable for the same charge across imports of the same source. */
  key: string;
  dims: UsageDims;
  periodStart: number;
  periodEnd: number;
  calls: number | null;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costMicros: number;
  listCostMicros: number | null;
}

/** A row that cannot be read; `field` is the column or JSON path at fault. */
export class RowError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The longest dimension value kept; longer ones are refused rather than cut, so two never merge silently. */
export const MAX_TEXT = 512;

/**
 * A text value fit to store and compare: lone surrogates (invalid UTF-16) replaced, surrounding spaces trimmed,
 * empty as null; NUL and other control characters, and values over MAX_TEXT, refused.
 */
export function cleanText(value: unknown, field: string, max = MAX_TEXT): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
    throw new RowError(field, "must be text");
  const text = wellFormed(String(value)).trim();
  if (text === "") return null;
  if (text.length > max) throw new RowError(field, `is longer than ${max} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text))
    throw new RowError(field, "contains a control character");
  return text;
}

export function requiredText(value: unknown, field: string, max = MAX_TEXT): string {
  const text = cleanText(value, field, max);
  if (text === null) throw new RowError(field, "is missing");
  return text;
}

/** Lone surrogates (half a UTF-16 pair, which no encoder can write) become U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** A whole, non-negative count (tokens, requests), as a number or its decimal text. */
export function count(value: unknown, field: string): number {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0)
    throw new RowError(field, "must be a whole number of 0 or more");
  return n;
}

/** The canonical text of a dimension combination: the same dimensions always give the same key. */
export function dimKey(d: UsageDims): string {
  const tags = Object.keys(d.tags)
    .sort()
    .map((k) => [k, d.tags[k]]);
  return JSON.stringify([
    d.source,
    d.provider,
    d.service,
    d.account,
    d.project,
    d.apiKey,
    d.workspace,
    d.user,
    d.model,
    d.tier,
    tags,
  ]);
}

/** Tags as stored: a JSON object with keys in order. */
export function tagsJson(tags: Record<string, TagValue>): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(tags)
        .sort()
        .map((k) => [k, tags[k]]),
    ),
  );
}
