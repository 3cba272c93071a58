import { eq } from "drizzle-orm";
import { z } from "zod";
import { settings } from "#db/schema";
import type { DbLike } from "./db";
import { log } from "./log";

/**
 * Organisation settings, one row per key in the `settings` table. Each key has a schema and a
 * default, so a missing row reads as the default and a value that no longer fits its schema (an
 * older shape, a hand edit) falls back to the default instead of breaking every page that reads it.
 */
const SCHEMAS = {
  /** When on, only managers and admins see names outside a learner's own team on leaderboards. */
  privacyMode: z.boolean(),
  /** When on, the FOCUS export's Tags carry users' e-mail addresses; off (the default), a keyed hash of them. */
  focusExportEmails: z.boolean(),
  /** Internal: what production usage was last attributed under (app/.server/usage/fingerprint.ts). */
  usageAttributionFingerprint: z.string(),
  /** Internal: the graded attempts team_training was last computed from (app/.server/usage/training-dates.ts). */
  teamTrainingMarker: z.string(),
  /**
   * Internal: when history was marked for attribution again and how many days were marked (since "" when no
   * re-attribution is under way; app/.server/usage/reattribution.ts).
   */
  usageReattribution: z.object({ since: z.string(), days: z.number().int().min(0) }),
} satisfies Record<string, z.ZodTypeAny>;

export type Settings = { [K in keyof typeof SCHEMAS]: z.infer<(typeof SCHEMAS)[K]> };
export type SettingKey = keyof Settings;

export const SETTING_DEFAULTS: Settings = {
  privacyMode: false,
  focusExportEmails: false,
  usageAttributionFingerprint: "",
  teamTrainingMarker: "",
  usageReattribution: { since: "", days: 0 },
};

export const SETTING_KEYS = Object.keys(SCHEMAS) as SettingKey[];

export function getSetting<K extends SettingKey>(database: DbLike, key: K): Settings[K] {
  const row = database.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get();
  if (!row) return SETTING_DEFAULTS[key];
  const parsed = SCHEMAS[key].safeParse(row.value);
  if (parsed.success) return parsed.data as Settings[K];
  log.error(`setting "${key}" holds an invalid value; using the default`, parsed.error.issues[0]?.message);
  return SETTING_DEFAULTS[key];
}

export function getSettings(database: DbLike): Settings {
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, getSetting(database, k)])) as Settings;
}

/** Validates against the key's schema (throws a ZodError on a bad value) and records who changed it (null: the app). */
export function setSetting<K extends SettingKey>(
  database: DbLike,
  key: K,
  value: Settings[K],
  userId: number | null,
): void {
  const parsed = SCHEMAS[key].parse(value);
  const values = { value: parsed, updatedAt: new Date(), updatedBy: userId };
  database
    .insert(settings)
    .values({ key, ...values })
    .onConflictDoUpdate({ target: settings.key, set: values })
    .run();
}
