import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/**
 * The backup directory as the single record of what backups exist: one `tokenwise-<UTC time>.db` per backup, a
 * `.json` manifest beside it with what its check found, and `last-failure.json` while the latest attempt failed.
 * Nothing else is kept about backups (not in the database, which a restore replaces), and files that do not follow
 * these names are never touched.
 */

const NAME = /^tokenwise-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z(?:-(\d+))?\.db$/;
export const PARTIAL_SUFFIX = ".partial";
const FAILURE_FILE = "last-failure.json";

/** `tokenwise-2026-12-05T19-36-00Z.db`, or with `-2`, `-3`… when a backup of that second exists. */
export function backupFileName(at: Date, taken: (name: string) => boolean): string {
  const stamp = at.toISOString().slice(0, 19).replace(/:/g, "-");
  for (let n = 1; ; n++) {
    const name = `tokenwise-${stamp}Z${n === 1 ? "" : `-${n}`}.db`;
    if (!taken(name)) return name;
  }
}

export function isBackupName(name: string): boolean {
  return NAME.test(name);
}

export const manifestSchema = z.object({
  format: z.literal(1),
  file: z.string(),
  trigger: z.enum(["scheduled", "manual"]),
  /** When the copy's snapshot was taken: everything committed before then is in it. */
  takenAt: z.string().datetime(),
  durationMs: z.number().nonnegative(),
  /** Where the time went: counting the rows in the snapshot, copying it, checking the copy. */
  phasesMs: z.object({ count: z.number(), copy: z.number(), check: z.number() }).optional(),
  bytes: z.number().int().nonnegative(),
  source: z.string(),
  /** `PRAGMA integrity_check` of the copy: always "ok" in a manifest (a copy that fails is not kept). */
  integrity: z.literal("ok"),
  /** Rows per table, counted in the database in the copy's snapshot, and found equal in the copy. */
  tables: z.record(z.number().int().nonnegative()),
  migrations: z.object({ applied: z.number().int().nonnegative(), latest: z.number().nullable() }),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

export interface BackupEntry {
  file: string;
  path: string;
  bytes: number;
  /** The manifest's time when it has one, else the file's modification time. */
  takenAt: Date;
  manifest: BackupManifest | null;
  /** Why the backup counts as unchecked: no manifest, or one that does not parse or does not match the file. */
  problem: string | null;
}

function readManifest(
  path: string,
  file: string,
  bytes: number,
): { manifest: BackupManifest | null; problem: string | null } {
  const manifestPath = `${path}.json`;
  if (!existsSync(manifestPath)) return { manifest: null, problem: "it has no manifest, so it was never checked" };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch {
    return { manifest: null, problem: `its manifest ${file}.json is not valid JSON` };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success)
    return { manifest: null, problem: `its manifest ${file}.json is not a Tokenwise backup manifest` };
  if (parsed.data.file !== file || parsed.data.bytes !== bytes)
    return { manifest: null, problem: `its size or name differs from its manifest's (${parsed.data.bytes} bytes)` };
  return { manifest: parsed.data, problem: null };
}

/** Every backup in `dir`, newest first; an empty list when there is no such directory (yet). */
export function listBackups(dir: string): BackupEntry[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  const entries: BackupEntry[] = [];
  for (const file of readdirSync(dir)) {
    if (!isBackupName(file)) continue;
    const path = join(dir, file);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    const { manifest, problem } = readManifest(path, file, stat.size);
    entries.push({
      file,
      path,
      bytes: stat.size,
      takenAt: manifest ? new Date(manifest.takenAt) : stat.mtime,
      manifest,
      problem,
    });
  }
  return entries.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.file.localeCompare(a.file));
}

/**
 * Which backups retention deletes: checked backups beyond the `keep` newest. Unchecked ones are left for a person to
 * look at (they are never counted as one of the kept), so a run of bad copies can never push out the good ones.
 */
export function retentionVictims(entries: BackupEntry[], keep: number): BackupEntry[] {
  return entries.filter((e) => e.manifest).slice(keep);
}

export const failureSchema = z.object({
  at: z.string().datetime(),
  trigger: z.enum(["scheduled", "manual"]),
  message: z.string(),
});
export type BackupFailure = z.infer<typeof failureSchema>;

export function readFailure(dir: string): BackupFailure | null {
  try {
    const parsed = failureSchema.safeParse(JSON.parse(readFileSync(join(dir, FAILURE_FILE), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Best effort: a directory that cannot be written cannot hold its own failure either (the caller reports it). */
export function writeFailure(dir: string, failure: BackupFailure): void {
  try {
    writeJsonAtomically(join(dir, FAILURE_FILE), failure);
  } catch {
    // The scheduler keeps the failure in memory and the CLI prints it.
  }
}

export function failureFile(dir: string): string {
  return join(dir, FAILURE_FILE);
}

/** Written to a temporary name, then renamed: a reader never sees half a file. */
export function writeJsonAtomically(path: string, value: unknown): void {
  const tmp = `${path}${PARTIAL_SUFFIX}`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
}
