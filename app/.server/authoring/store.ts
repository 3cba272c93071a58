import { eq, like } from "drizzle-orm";
import type { z } from "zod";
import { settings } from "#db/schema";
import type { DbLike } from "../db";
import { log } from "../log";

/**
 * Authoring data that has no table of its own (exercise drafts, course lessons) lives in the
 * `settings` key/value table under a prefixed key. Every value is parsed with its schema on read,
 * so a hand-edited or outdated row reads as "absent" instead of breaking the page.
 */

export const DRAFT_PREFIX = "exercise-draft:";
export const LESSONS_PREFIX = "course-lessons:";
/** Lessons loaded from `exercises/<course>/lessons/*.md` by the sync (replaced whole on every sync). */
export const FILE_LESSONS_PREFIX = "course-file-lessons:";

export function readKey<S extends z.ZodTypeAny>(
  database: DbLike,
  key: string,
  schema: S,
): { value: z.infer<S>; updatedAt: Date } | null {
  const row = database
    .select({ value: settings.value, updatedAt: settings.updatedAt })
    .from(settings)
    .where(eq(settings.key, key))
    .get();
  if (!row) return null;
  const parsed = schema.safeParse(row.value);
  if (parsed.success) return { value: parsed.data, updatedAt: row.updatedAt };
  log.error(`settings row "${key}" does not fit its schema; ignoring it`, parsed.error.issues[0]?.message);
  return null;
}

export function writeKey(database: DbLike, key: string, value: unknown, userId: number | null): void {
  const values = { value, updatedAt: new Date(), updatedBy: userId };
  database
    .insert(settings)
    .values({ key, ...values })
    .onConflictDoUpdate({ target: settings.key, set: values })
    .run();
}

export function deleteKey(database: DbLike, key: string): void {
  database.delete(settings).where(eq(settings.key, key)).run();
}

/** Every row under a prefix, with the part of the key after it (e.g. the exercise slug). */
export function listKeys(database: DbLike, prefix: string): { name: string; updatedAt: Date }[] {
  // The prefixes above contain no LIKE wildcards, so a plain "prefix%" pattern is exact.
  return database
    .select({ key: settings.key, updatedAt: settings.updatedAt })
    .from(settings)
    .where(like(settings.key, `${prefix}%`))
    .all()
    .map((r) => ({ name: r.key.slice(prefix.length), updatedAt: r.updatedAt }));
}

export function renameKey(database: DbLike, from: string, to: string): void {
  database.update(settings).set({ key: to }).where(eq(settings.key, from)).run();
}
