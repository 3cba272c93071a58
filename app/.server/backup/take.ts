import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { holdDatabase, LockBusyError, takeExclusive } from "../db-lock";
import { describeBackupError } from "./errors";
import {
  type BackupManifest,
  backupFileName,
  failureFile,
  listBackups,
  PARTIAL_SUFFIX,
  retentionVictims,
  writeFailure,
  writeJsonAtomically,
} from "./files";
import { countDifferences, countRows, integrityProblems, migrationsOf } from "./inspect";

/**
 * One online backup: a consistent copy of the live database taken with SQLite's online backup API while the app
 * keeps serving, checked, then kept beside the others.
 *
 * Why the copy holds a read transaction: the backup API copies the database in steps, and a write by any other
 * connection between two steps makes it start over. The app writes all the time, so a copy that let go between
 * steps could restart for ever (measured: 5,213 steps instead of 165 while another process inserted, finishing
 * only when the writer stopped). A read transaction held across the steps pins one WAL snapshot: the app's writers
 * carry on (WAL lets them), the copy never restarts, and it holds exactly what was committed when it began. The
 * rows are counted in that same snapshot, so the check can demand the copy hold the same numbers.
 */

export class BackupError extends Error {
  /** Refused because another backup or a restore held the lock: not a failure of the backup itself. */
  readonly busy: boolean;
  constructor(message: string, options: { busy?: boolean } = {}) {
    super(message);
    this.busy = options.busy ?? false;
  }
}

export interface BackupOptions {
  databasePath: string;
  backupDir: string;
  keep: number;
  trigger: "scheduled" | "manual";
  /** Pages copied per step; the event loop runs between steps, so an in-process backup never stalls the app. */
  pagesPerStep?: number;
  clock?: () => Date;
}

export interface BackupResult {
  manifest: BackupManifest;
  path: string;
  /** Older backups deleted by retention. */
  deleted: string[];
}

const PAGES_PER_STEP = 1_000;

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Leftovers of a backup that was killed mid-copy: never valid, removed by the next run (under the directory lock). */
function removePartials(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith("tokenwise-") && name.endsWith(PARTIAL_SUFFIX)) rmSync(join(dir, name), { force: true });
  }
}

/** Copies the database in one snapshot; returns the snapshot's row counts and migrations, and when it was taken. */
async function copySnapshot(databasePath: string, to: string, pagesPerStep: number, clock: () => Date) {
  if (!existsSync(databasePath)) throw new BackupError(`There is no database at ${databasePath} to back up.`);
  const source = new Database(databasePath, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    source.exec("BEGIN");
    // The first read starts the snapshot: these counts and the copy are of the same moment.
    const t0 = performance.now();
    const tables = countRows(source);
    const takenAt = clock();
    const migrations = migrationsOf(source);
    const t1 = performance.now();
    await source.backup(to, { progress: () => pagesPerStep });
    source.exec("COMMIT");
    return { tables, takenAt, migrations, countMs: t1 - t0, copyMs: performance.now() - t1 };
  } finally {
    source.close();
  }
}

/** A self-contained file (rollback journal, not WAL), so it opens anywhere, read-only media included; then checked. */
function checkCopy(path: string, expected: Record<string, number>): void {
  const copy = new Database(path, { fileMustExist: true });
  try {
    copy.pragma("journal_mode = DELETE");
    const problems = integrityProblems(copy);
    if (problems.length > 0)
      throw new BackupError(`The copy failed SQLite's integrity check: ${problems.slice(0, 3).join("; ")}.`);
    const differences = countDifferences(expected, countRows(copy));
    if (differences.length > 0)
      throw new BackupError(`The copy does not hold what the database held when it began: ${differences.join("; ")}.`);
  } finally {
    copy.close();
  }
}

export async function takeBackup(options: BackupOptions): Promise<BackupResult> {
  const clock = options.clock ?? (() => new Date());
  const dir = resolve(options.backupDir);
  const databasePath = resolve(options.databasePath);
  const started = performance.now();
  const releases: (() => void)[] = [];
  let partial: string | null = null;
  try {
    mkdirSync(dir, { recursive: true });
    releases.push(
      takeExclusive(
        join(dir, ".backup.lock"),
        `Another backup into ${dir} is still running; this one was not started.`,
      ),
    );
    // Held while copying, so a restore cannot swap the file underneath.
    releases.push(holdDatabase(databasePath));
    removePartials(dir);
    const name = backupFileName(clock(), (n) => existsSync(join(dir, n)));
    partial = join(dir, `${name}${PARTIAL_SUFFIX}`);
    const snapshot = await copySnapshot(databasePath, partial, options.pagesPerStep ?? PAGES_PER_STEP, clock);
    const checkStarted = performance.now();
    checkCopy(partial, snapshot.tables);
    const checkMs = performance.now() - checkStarted;
    fsyncPath(partial);
    const path = join(dir, name);
    const manifest: BackupManifest = {
      format: 1,
      file: name,
      trigger: options.trigger,
      takenAt: snapshot.takenAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      phasesMs: {
        count: Math.round(snapshot.countMs),
        copy: Math.round(snapshot.copyMs),
        check: Math.round(checkMs),
      },
      bytes: statSync(partial).size,
      source: databasePath,
      integrity: "ok",
      tables: snapshot.tables,
      migrations: snapshot.migrations,
    };
    // The manifest first: a backup file with a name of ours and no manifest is one whose check never finished.
    writeJsonAtomically(`${path}.json`, manifest);
    renameSync(partial, path);
    partial = null;
    fsyncPath(dir);
    const deleted: string[] = [];
    for (const old of retentionVictims(listBackups(dir), options.keep)) {
      rmSync(old.path, { force: true });
      rmSync(`${old.path}.json`, { force: true });
      deleted.push(old.file);
    }
    rmSync(failureFile(dir), { force: true });
    return { manifest, path, deleted };
  } catch (err) {
    if (partial) rmSync(partial, { force: true });
    const message = describeBackupError(err, { backupDir: dir, databasePath });
    // A backup refused because another is running is not a failure: that other one decides the record.
    const busy = err instanceof LockBusyError;
    if (!busy && existsSync(dir)) writeFailure(dir, { at: clock().toISOString(), trigger: options.trigger, message });
    throw new BackupError(message, { busy });
  } finally {
    for (const release of releases.reverse()) release();
  }
}
