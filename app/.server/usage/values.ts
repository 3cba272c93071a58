import { DecimalError, numberText, scaledInteger } from "~/domain/decimal";
import { cleanText, RowError, type TagValue } from "./row";

/**
 * Reading single values of imported rows, whatever the file carried them as: CSV gives text, Parquet gives
 * numbers, BigInts, Dates and objects, JSON gives numbers and strings. Each reader names the field it fails on.
 */

/** A UTC instant: an ISO 8601 date-time with "Z" or an offset (a space for the "T" is accepted), or a Date. */
export function instant(value: unknown, field: string): number {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RowError(field, "is not a valid date");
    return value.getTime();
  }
  if (typeof value !== "string" || value.trim() === "") throw new RowError(field, "is missing");
  const text = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.exec(text);
  if (!m) {
    const naive = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(text);
    throw new RowError(
      field,
      naive
        ? `"${clip(text)}" has no time zone: write it in UTC ending in Z, e.g. 2025-01-31T00:00:00Z`
        : `"${clip(text)}" is not a date-time such as 2025-01-31T00:00:00Z`,
    );
  }
  const ms = Date.parse(text.replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  const [, y, mo, d, h, mi, s = "00"] = m;
  if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    throw new RowError(field, `"${clip(text)}" is not a real date-time`);
  if (Number(y) < 2000 || Number(y) > 2100) throw new RowError(field, `"${clip(text)}" is outside 2000–2100`);
  return ms;
}

/** A decimal amount or quantity × 10^scale, exactly (see app/domain/decimal.ts); null when empty. */
export function decimal(value: unknown, field: string, scale: number): number | null {
  if (value === null || value === undefined || value === "") return null;
  try {
    if (typeof value === "bigint") return scaledInteger(value.toString(), scale);
    if (typeof value === "number") return scaledInteger(numberText(value), scale);
    if (typeof value === "string") return scaledInteger(value, scale);
  } catch (error) {
    if (error instanceof DecimalError) throw new RowError(field, error.message);
    throw error;
  }
  throw new RowError(field, "must be a number");
}

export function requiredDecimal(value: unknown, field: string, scale: number): number {
  const n = decimal(value, field, scale);
  if (n === null) throw new RowError(field, "is missing");
  return n;
}

const MAX_TAGS = 200;

/**
 * A key-value object (FOCUS KeyValueFormat: a JSON object whose values are strings, numbers, booleans or null),
 * from its JSON text or an object; an array of `{ key, value }` pairs (how Parquet maps may arrive) is accepted.
 */
export function tagObject(value: unknown, field: string): Record<string, TagValue> {
  if (value === null || value === undefined || value === "") return {};
  let parsed: unknown = value;
  if (typeof value === "string") {
    if (value.length > 65_536) throw new RowError(field, "is longer than 64 KB");
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new RowError(field, "is not valid JSON");
    }
  }
  if (Array.isArray(parsed) && parsed.every((p) => p && typeof p === "object" && "key" in p))
    parsed = Object.fromEntries(parsed.map((p: { key: unknown; value: unknown }) => [String(p.key), p.value ?? null]));
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new RowError(field, "must be a JSON object of keys and values");
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > MAX_TAGS) throw new RowError(field, `has more than ${MAX_TAGS} keys`);
  const tags: Record<string, TagValue> = {};
  for (const [rawKey, v] of entries) {
    const key = cleanText(rawKey, `${field} key`, 256);
    if (key === null) throw new RowError(field, "has an empty key");
    const at = `${field}.${clip(key)}`;
    if (v !== null && typeof v === "object")
      throw new RowError(at, "must be a string, number, true, false or null, not an object or array");
    if (typeof v === "string") tags[key] = cleanText(v, at) ?? "";
    else if (typeof v === "bigint") tags[key] = v.toString();
    else if (typeof v === "number" && !Number.isFinite(v)) throw new RowError(at, "is not a finite number");
    else tags[key] = v as TagValue;
  }
  return tags;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
