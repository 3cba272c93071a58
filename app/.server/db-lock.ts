import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";

/**
 * Who has the database open, as the kernel knows it. Every Tokenwise process that opens the database (the app,
 * `npm run db:backup`, `exercises:sync`, the scheduled backup) holds a shared lock on `<database>.lock` while it
 * runs; `npm run db:restore` needs the exclusive lock, so it cannot start while any of them runs, and none of them
 * can start while it runs. The locks are SQLite's own POSIX advisory locks on that small (empty) file, taken through
 * better-sqlite3: a read transaction left open holds a SHARED lock, `BEGIN EXCLUSIVE` wants every other lock gone.
 * The kernel drops a process's locks when it ends, however it ends (kill -9 included), so there is no stale pid
 * file to clean up and no reused pid to be fooled by. Advisory locks need a local file system (not NFS).
 */

export class LockBusyError extends Error {}

export type Release = () => void;

/** The lock file that stands for a database file. */
export function lockFileOf(databasePath: string): string {
  return `${resolve(databasePath)}.lock`;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

function openLockFile(path: string, waitMs: number): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const conn = new Database(path);
  conn.pragma(`busy_timeout = ${waitMs}`);
  return conn;
}

function releaser(conn: Database.Database): Release {
  return () => {
    if (!conn.open) return;
    if (conn.inTransaction) conn.exec("ROLLBACK");
    conn.close();
  };
}

/**
 * Holds a shared lock on `lockFile` until released (or the process ends). Waits up to `waitMs` for an exclusive
 * holder to finish, then throws LockBusyError with `busyMessage`.
 */
export function holdShared(lockFile: string, busyMessage: string, waitMs = 5_000): Release {
  const conn = openLockFile(lockFile, waitMs);
  try {
    conn.exec("BEGIN");
    // The first read of a deferred transaction takes the SHARED lock; the open transaction keeps it.
    conn.prepare("SELECT count(*) FROM sqlite_master").get();
  } catch (err) {
    conn.close();
    throw isBusy(err) ? new LockBusyError(busyMessage) : err;
  }
  return releaser(conn);
}

/** Takes the exclusive lock on `lockFile`, waiting up to `waitMs` (at once by default), or throws LockBusyError. */
export function takeExclusive(lockFile: string, busyMessage: string, waitMs = 0): Release {
  const conn = openLockFile(lockFile, waitMs);
  try {
    conn.exec("BEGIN EXCLUSIVE");
  } catch (err) {
    conn.close();
    throw isBusy(err) ? new LockBusyError(busyMessage) : err;
  }
  return releaser(conn);
}

/** What every process that opens the database holds (see db()). */
export function holdDatabase(databasePath: string): Release {
  return holdShared(
    lockFileOf(databasePath),
    `The database ${databasePath} is being restored (npm run db:restore holds it). Start again once the restore has finished.`,
  );
}
