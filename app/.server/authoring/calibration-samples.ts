import { z } from "zod";
import type { DbLike } from "../db";
import type { Sample } from "./calibration/rules";
import { deleteKey, readKey, renameKey, writeKey } from "./store";

/**
 * The sample prompts an instructor calibrated an exercise with, kept per exercise (in `settings` under
 * `calibration-samples:<slug>`, as drafts are): the calibration page starts from them next time, and the exercise's
 * authoring page lists them, so the set grows into the exercise's regression suite instead of being typed again.
 */

export const SAMPLES_PREFIX = "calibration-samples:";

const storedSchema = z.object({
  samples: z.array(
    z.object({
      prompt: z.string(),
      expect: z.enum(["pass", "fail"]),
      minScore: z.number().int().optional(),
      maxScore: z.number().int().optional(),
    }),
  ),
});

export interface KeptSamples {
  samples: Sample[];
  updatedAt: Date;
}

export function keptSamples(database: DbLike, slug: string): KeptSamples | null {
  const entry = readKey(database, SAMPLES_PREFIX + slug, storedSchema);
  return entry && entry.value.samples.length > 0 ? { samples: entry.value.samples, updatedAt: entry.updatedAt } : null;
}

/** The set calibrated last replaces the kept one; an empty set keeps the previous (a run of only the fixed prompts). */
export function keepSamples(database: DbLike, slug: string, samples: Sample[], userId: number): void {
  if (samples.length === 0) return;
  writeKey(database, SAMPLES_PREFIX + slug, { samples }, userId);
}

export function renameSamples(database: DbLike, from: string, to: string): void {
  deleteKey(database, SAMPLES_PREFIX + to);
  renameKey(database, SAMPLES_PREFIX + from, SAMPLES_PREFIX + to);
}
