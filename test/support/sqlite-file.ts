import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";

/** Rows of a query on a database file, as arrays, read through a read-only connection closed at once. */
export function readRows(path: string, sql: string, ...params: unknown[]): unknown[][] {
  const conn = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return conn
      .prepare(sql)
      .raw()
      .all(...params) as unknown[][];
  } finally {
    conn.close();
  }
}

/**
 * A database as an older Tokenwise left it: every migration but the newest `missing` applied to an empty file, in
 * WAL mode as the app keeps it. Returns the migrations that file lacks.
 */
export function olderDatabase(path: string, missing = 1): string[] {
  const dir = mkdtempSync(join(tmpdir(), "tokenwise-older-"));
  try {
    cpSync("db/migrations", join(dir, "migrations"), { recursive: true });
    const journalPath = join(dir, "migrations/meta/_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    const lacking = journal.entries.splice(-missing).map((e) => e.tag);
    writeFileSync(journalPath, JSON.stringify(journal));
    const old = new Database(path);
    old.pragma("journal_mode = WAL");
    migrate(drizzle(old), { migrationsFolder: join(dir, "migrations") });
    old.close();
    return lacking;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
