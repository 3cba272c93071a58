import type Database from "better-sqlite3";

/** What a backup's check and a restore read from a database file: its tables' row counts, migrations, integrity. */

const MIGRATIONS_TABLE = "__drizzle_migrations";

/** Every table's row count (SQLite's own tables aside), by table name, in name order. */
export function countRows(conn: Database.Database): Record<string, number> {
  const names = conn
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  const counts: Record<string, number> = {};
  for (const name of names) {
    counts[name] = conn
      .prepare(`SELECT count(*) FROM "${name.replace(/"/g, '""')}"`)
      .pluck()
      .get() as number;
  }
  return counts;
}

/** Applied drizzle migrations: how many, and the newest one's timestamp (its journal `when`). */
export function migrationsOf(conn: Database.Database): { applied: number; latest: number | null } {
  const exists = conn
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .pluck()
    .get(MIGRATIONS_TABLE);
  if (!exists) return { applied: 0, latest: null };
  const row = conn.prepare(`SELECT count(*) AS applied, max(created_at) AS latest FROM ${MIGRATIONS_TABLE}`).get() as {
    applied: number;
    latest: number | null;
  };
  return { applied: row.applied, latest: row.latest === null ? null : Number(row.latest) };
}

export function hasMigrationsTable(conn: Database.Database): boolean {
  return (
    conn.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(MIGRATIONS_TABLE) === 1
  );
}

/** `PRAGMA integrity_check`: an empty list when the file is sound, else SQLite's findings (at most `max`). */
export function integrityProblems(conn: Database.Database, max = 10): string[] {
  const rows = conn.prepare(`PRAGMA integrity_check(${max})`).pluck().all() as string[];
  return rows.length === 1 && rows[0] === "ok" ? [] : rows;
}

/** Tables whose counts differ, in plain words; empty when they are equal. */
export function countDifferences(expected: Record<string, number>, actual: Record<string, number>): string[] {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  const out: string[] = [];
  for (const name of [...names].sort()) {
    const want = expected[name];
    const got = actual[name];
    if (want === got) continue;
    if (got === undefined) out.push(`table ${name} is missing from the copy (${want} rows expected)`);
    else if (want === undefined) out.push(`table ${name} is in the copy but not in the database`);
    else out.push(`table ${name} holds ${got} rows in the copy but ${want} in the database`);
  }
  return out;
}
