import { copyFileSync, existsSync, linkSync, readFileSync, renameSync, rmSync, statfsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";
import { openDb } from "../db";
import { lockFileOf, takeExclusive } from "../db-lock";
import { type BackupManifest, manifestSchema } from "./files";
import { countDifferences, countRows, hasMigrationsTable, integrityProblems, migrationsOf } from "./inspect";

/**
 * `npm run db:restore -- <file>`: puts a backup in the database's place. Only while no Tokenwise process has the
 * database open (it takes the exclusive lock of app/.server/db-lock.ts, which the app holds shared while it runs),
 * and only a backup that passes the checks: a SQLite file, sound (`PRAGMA integrity_check`), a Tokenwise database
 * no newer than this code, and equal to its manifest when it has one. The checks and the migrations run on a copy
 * beside the database; the database is touched only at the end, when it is moved aside (never deleted) and the
 * copy renamed into its place.
 */

export class RestoreError extends Error {}

export interface RestoreOptions {
  file: string;
  databasePath: string;
  migrationsFolder?: string;
  clock?: () => Date;
}

export interface RestoreReport {
  file: string;
  databasePath: string;
  /** The backup's manifest, when it has one (and the copy matched it). */
  manifest: BackupManifest | null;
  /** Migrations the restored database lacked, applied now (their tags). */
  migrationsApplied: string[];
  tables: Record<string, number>;
  newestAttemptAt: Date | null;
  /** Attempts the backup held as queued or grading: the app takes them up as it does after a crash. */
  ungradedAttempts: number;
  /** Where the database that was replaced now is; null when there was none. */
  replacedKeptAt: string | null;
}

const journalSchema = z.object({ entries: z.array(z.object({ tag: z.string(), when: z.number() })) });

function knownMigrations(folder: string) {
  return journalSchema.parse(JSON.parse(readFileSync(resolve(folder, "meta/_journal.json"), "utf8"))).entries;
}

function stamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace(/:/g, "-");
}

function readManifestBeside(file: string): BackupManifest | null {
  const path = `${file}.json`;
  if (!existsSync(path)) return null;
  let raw: unknown = null;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    // Not JSON: refused below like any manifest that is not ours.
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new RestoreError(`${path} is not a Tokenwise backup manifest; move it away to restore without it.`);
  return parsed.data;
}

function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "ENOSPC" || code === "SQLITE_FULL" || code === "EDQUOT";
}

function megabytes(bytes: number): string {
  return `${Math.ceil(bytes / 1e6).toLocaleString("en-US")} MB`;
}

function noRoom(databasePath: string, err: unknown): RestoreError {
  return new RestoreError(
    `The disk holding ${dirname(databasePath)} is full: there was no room for the restored copy beside the database (${(err as Error).message}). Free some space there and run the restore again.`,
  );
}

/**
 * Refuses at once when the database's disk has less free space than the backup takes: the copy, checked and
 * migrated, is written beside the database before it replaces it. (A disk that fills up later is caught too.)
 */
function checkRoom(file: string, databasePath: string): void {
  const dir = dirname(databasePath);
  if (!existsSync(dir)) return;
  const { bavail, bsize } = statfsSync(dir);
  const free = bavail * bsize;
  const needed = statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
  if (free < needed)
    throw new RestoreError(
      `The disk holding ${dir} has ${megabytes(free)} free, and restoring ${file} needs about ${megabytes(needed)} there (the restored copy is written beside the database before it replaces it). Free some space there and run the restore again.`,
    );
}

function unreadable(file: string, err: unknown): string {
  const { code, message } = err as { code?: string; message?: string };
  if (code === "SQLITE_NOTADB") return `${file} is not a SQLite database (${message}).`;
  if (code === "SQLITE_CORRUPT") return `${file} is damaged (${message}).`;
  return `${file} could not be read (${message}).`;
}

/** Copies the backup through SQLite (so a WAL beside it is read too), and checks the copy. */
async function copyAndCheck(file: string, to: string, known: { tag: string; when: number }[]) {
  let source: Database.Database;
  try {
    source = new Database(file, { readonly: true, fileMustExist: true });
    source.prepare("SELECT count(*) FROM sqlite_master").get();
  } catch (err) {
    throw new RestoreError(unreadable(file, err));
  }
  try {
    await source.backup(to);
  } catch (err) {
    throw isDiskFull(err) ? noRoom(to, err) : new RestoreError(unreadable(file, err));
  } finally {
    source.close();
  }
  const copy = new Database(to);
  try {
    const problems = integrityProblems(copy);
    if (problems.length > 0)
      throw new RestoreError(`${file} is damaged: SQLite's integrity check found ${problems.slice(0, 3).join("; ")}.`);
    if (!hasMigrationsTable(copy) || !("attempts" in countRows(copy)))
      throw new RestoreError(`${file} is a SQLite database but not a Tokenwise one (no migrations table or attempts).`);
    const { latest } = migrationsOf(copy);
    const newest = Math.max(...known.map((m) => m.when));
    if (latest !== null && latest > newest)
      throw new RestoreError(
        `${file} was written by a newer version of Tokenwise (it has migrations this version does not know). Restore it with that version or a later one.`,
      );
    const manifest = readManifestBeside(file);
    if (manifest) {
      const differences = countDifferences(manifest.tables, countRows(copy));
      if (differences.length > 0)
        throw new RestoreError(`${file} does not match its manifest: ${differences.slice(0, 3).join("; ")}.`);
    }
    return { manifest, latest };
  } finally {
    copy.close();
  }
}

/** Folds the old database's WAL into it, so the file kept aside is whole; best effort (it may be the broken one). */
function foldWal(path: string): void {
  try {
    const old = new Database(path, { fileMustExist: true });
    try {
      old.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      old.close();
    }
  } catch {
    // Its -wal is moved aside with it below.
  }
}

/**
 * Keeps the current database under a second name (a hard link, so the database's own name never goes missing: an
 * app started after a crash here finds the old database, not an empty one) and moves its -wal and -shm away, since
 * SQLite would replay a -wal left there into the restored file.
 */
function setAside(databasePath: string, at: Date): string | null {
  if (!existsSync(databasePath)) return null;
  foldWal(databasePath);
  const aside = `${databasePath}.replaced-${stamp(at)}Z`;
  try {
    linkSync(databasePath, aside);
  } catch {
    try {
      copyFileSync(databasePath, aside);
    } catch (err) {
      rmSync(aside, { force: true });
      throw err;
    }
  }
  if (existsSync(`${databasePath}-wal`)) renameSync(`${databasePath}-wal`, `${aside}-wal`);
  rmSync(`${databasePath}-shm`, { force: true });
  return aside;
}

export async function restoreDatabase(options: RestoreOptions): Promise<RestoreReport> {
  const file = resolve(options.file);
  const databasePath = resolve(options.databasePath);
  const clock = options.clock ?? (() => new Date());
  const migrationsFolder = options.migrationsFolder ?? "db/migrations";
  if (!existsSync(file)) throw new RestoreError(`There is no file ${file}.`);
  if (!statSync(file).isFile()) throw new RestoreError(`${file} is not a file.`);
  if (file === databasePath) throw new RestoreError(`${file} is the database itself; name a backup of it.`);

  const release = takeExclusive(
    lockFileOf(databasePath),
    `Refusing to restore: the database ${databasePath} is open in another process — the app is running, or a backup, exercises:sync or another restore is. Stop the app (Ctrl-C in the terminal running npm start, or stop its service), wait for any backup to finish, then run the restore again.`,
  );
  const temp = `${databasePath}.restoring`;
  // Its -wal, -shm and journal, and the lock openDb takes to migrate it.
  const sides = ["", "-wal", "-shm", "-journal", ".migrate-lock"];
  try {
    for (const suffix of sides) rmSync(`${temp}${suffix}`, { force: true });
    checkRoom(file, databasePath);
    const known = knownMigrations(migrationsFolder);
    const { manifest, latest } = await copyAndCheck(file, temp, known);
    const restored = openDb(temp);
    const sqlite = restored.$client;
    const tables = countRows(sqlite);
    const newest = sqlite.prepare("SELECT max(created_at) FROM attempts").pluck().get() as number | null;
    const ungradedAttempts = sqlite
      .prepare("SELECT count(*) FROM attempts WHERE status IN ('queued', 'grading')")
      .pluck()
      .get() as number;
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    sqlite.close();
    const replacedKeptAt = setAside(databasePath, clock());
    // Atomic: the database's name points at the old file until this line and at the restored one after it.
    renameSync(temp, databasePath);
    return {
      file,
      databasePath,
      manifest,
      migrationsApplied: known.filter((m) => latest === null || m.when > latest).map((m) => m.tag),
      tables,
      newestAttemptAt: newest === null ? null : new Date(newest),
      ungradedAttempts,
      replacedKeptAt,
    };
  } catch (err) {
    throw isDiskFull(err) ? noRoom(databasePath, err) : err;
  } finally {
    for (const suffix of sides) rmSync(`${temp}${suffix}`, { force: true });
    release();
  }
}
