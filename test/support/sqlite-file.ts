import Database from "better-sqlite3";

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
