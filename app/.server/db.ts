import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "#db/schema";
import { config } from "./config";
import { holdDatabase, type Release, takeExclusive } from "./db-lock";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const MIGRATIONS = resolve("db/migrations");

export function openDb(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets readers run while the grader writes; busy_timeout makes writers queue instead of failing.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema });
  migrateAlone(db, path);
  return db;
}

/**
 * Applies pending migrations, one process at a time. drizzle's migrator reads the newest applied migration before
 * its transaction begins, so two processes starting together on a database that needs migrations (the app and the
 * grading worker after an upgrade, or `npm run usage:import` started beside a first `npm start`) both applied the
 * same migrations, and the second crashed on "table already exists" (4 processes in 20 did, started at once). The
 * lock on `<database>.migrate-lock` makes the others wait, then find nothing left to apply.
 */
function migrateAlone(db: Db, path: string): void {
  const release =
    path === ":memory:"
      ? () => {}
      : takeExclusive(
          `${resolve(path)}.migrate-lock`,
          `Another process kept migrating the database ${path} for more than a minute; this one was not started.`,
          60_000,
        );
  try {
    migrate(db, { migrationsFolder: MIGRATIONS });
  } finally {
    release();
  }
}

let instance: Db | undefined;
/**
 * The database lock this process holds, by path. A Map read by db() on purpose: held in a variable nothing reads, the
 * lock's connection was dropped from the server bundle by tree-shaking, then garbage-collected, which closed it and
 * silently released the lock (the process test caught a restore succeeding under the running app).
 */
const locks = new Map<string, Release>();

/**
 * The process-wide database, opened and migrated on first use. The process holds the database's shared lock from
 * then on (app/.server/db-lock.ts), so `npm run db:restore` refuses to replace it while this process runs.
 */
export function db(): Db {
  if (instance) return instance;
  const path = config().DATABASE_PATH;
  if (path !== ":memory:" && !locks.has(path)) locks.set(path, holdDatabase(path));
  try {
    instance = openDb(path);
  } catch (err) {
    locks.get(path)?.();
    locks.delete(path);
    throw err;
  }
  return instance;
}

export function closeDb(): void {
  instance?.$client.close();
  instance = undefined;
  for (const release of locks.values()) release();
  locks.clear();
}

export { schema };

/** A database handle or an open transaction: domain functions accept either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbLike = Db | Tx;

/**
 * Runs `fn` in a transaction begun IMMEDIATE (a savepoint when `database` is already a transaction): it takes the
 * write lock before its first read, waiting out other writers for the busy timeout. Several processes write this
 * file (the app, the grading worker, `npm run usage:import`); a transaction begun DEFERRED that reads before it writes
 * is refused at its first write, at once and whatever the busy timeout, with SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT when
 * another process wrote meanwhile (test/integration/write-contention.test.ts). Every transaction that writes uses
 * this, or better-sqlite3's `.immediate()` (app/.server/write-transactions.test.ts checks).
 */
export function writeTransaction<T>(database: DbLike, fn: (tx: Tx) => T): T {
  return database.transaction(fn, { behavior: "immediate" });
}

const immediateRunners = new WeakMap<Database.Database, (fn: () => unknown) => unknown>();

/**
 * `fn` in a transaction begun IMMEDIATE, as writeTransaction, for the writes made on every model call. drizzle's
 * `transaction` builds a new handle per transaction (a query builder for each of the schema's tables) and
 * better-sqlite3 wraps `fn` anew each time: a fifth of the grading worker's transaction cost. This wrapper is built
 * once per connection, and `fn` gets back the handle it was given: every statement on the connection runs inside
 * the transaction (a savepoint when one is already open), drizzle's queries included.
 */
export function immediateWrite<T>(database: DbLike, fn: (tx: DbLike) => T): T {
  const client = clientOf(database);
  let run = immediateRunners.get(client);
  if (!run) {
    run = client.transaction((body: () => unknown) => body()).immediate;
    immediateRunners.set(client, run);
  }
  return run(() => fn(database)) as T;
}

interface Grouped {
  fn: (tx: DbLike) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const groups = new WeakMap<Database.Database, Grouped[]>();

/**
 * `fn` in a transaction begun IMMEDIATE, as immediateWrite, committed together with the other writes asked for in the
 * same turn of the event loop (a group commit): the promise settles once that transaction has committed (with fn's
 * value) or rolled back (with its error). A write that throws before it changes a row (a fence refusing it) is left
 * out and the others commit; one that throws after it changed rows makes the group run again, one transaction per
 * write (so `fn` may run twice: it must only write to the database); a commit that fails fails them all, and nothing
 * of any of them is written.
 *
 * For the model calls' ledger writes. Each call commits twice, its pending row before the request leaves and its
 * settlement after the answer; with the provider's concurrency limit reached, an answer's settlement frees a slot and
 * the next call's pending row follows in the same turn, so the two share one commit. A commit's fixed cost (the
 * locks, the write-ahead log's frames for the pages both touch: the ledger's newest leaf and index entries, its
 * rollups, the id sequence) was most of the ledger's CPU per call (bench/README.md, "Group commit").
 */
export function groupWrite<T>(database: DbLike, fn: (tx: DbLike) => T): Promise<T> {
  const client = clientOf(database);
  let group = groups.get(client);
  if (!group) {
    group = [];
    groups.set(client, group);
  }
  const waiting = group;
  return new Promise<T>((resolve, reject) => {
    waiting.push({ fn, resolve: resolve as (value: unknown) => void, reject });
    // The first write of a turn schedules the commit: after this turn's I/O callbacks and every promise they resolve.
    if (waiting.length === 1) setImmediate(() => commitGroup(database, client));
  });
}

/** A write of a group failed after it had changed rows: the group's transaction is undone and each write run alone. */
class WroteThenFailed extends Error {}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function commitGroup(database: DbLike, client: Database.Database): void {
  const group = groups.get(client) ?? [];
  groups.delete(client);
  if (group.length === 0) return;
  if (group.length === 1) {
    const [write] = group;
    try {
      write.resolve(immediateWrite(database, write.fn));
    } catch (error) {
      write.reject(error);
    }
    return;
  }
  let outcomes: Outcome[];
  try {
    outcomes = immediateWrite(database, (tx) => runTogether(tx, client, group));
  } catch (error) {
    if (!(error instanceof WroteThenFailed)) {
      for (const write of group) write.reject(error);
      return;
    }
    // Rare (a fenced write refuses before it writes): one transaction per write, as without grouping.
    for (const write of group) {
      try {
        write.resolve(immediateWrite(database, write.fn));
      } catch (err) {
        write.reject(err);
      }
    }
    return;
  }
  group.forEach((write, i) => {
    const outcome = outcomes[i];
    if (outcome.ok) write.resolve(outcome.value);
    else write.reject(outcome.error);
  });
}

/**
 * The group's writes one after another in its transaction, without a savepoint each: a savepoint makes SQLite copy
 * every page an earlier write of the transaction changed, and that the next one changes again (the ledger's newest
 * leaf, its rollups), into a statement journal, which past 64 KiB spills into a temporary file. A write that throws
 * before changing a row (a fence refusing it) is left out; one that throws after fails the group (WroteThenFailed).
 */
function runTogether(tx: DbLike, client: Database.Database, group: readonly Grouped[]): Outcome[] {
  const changes = statement(tx, "select total_changes() as changes").pluck();
  const outcomes: Outcome[] = [];
  for (const write of group) {
    const before = changes.get();
    try {
      outcomes.push({ ok: true, value: write.fn(tx) });
    } catch (error) {
      // An error that ended the whole transaction (SQLITE_FULL, an I/O error) undid the writes before it too.
      if (!client.inTransaction) throw error;
      if (changes.get() !== before) throw new WroteThenFailed();
      outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}

/** The better-sqlite3 connection under a database handle or an open transaction. */
export function clientOf(database: DbLike): Database.Database {
  const handle = database as unknown as { $client?: Database.Database; session?: { client: Database.Database } };
  const client = handle.$client ?? handle.session?.client;
  if (!client) throw new Error("no SQLite connection under this database handle");
  return client;
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
const queries = new WeakMap<Database.Database, Map<string, unknown>>();

/**
 * A statement prepared once per connection. For the few queries run on every model call (the write-ahead ledger,
 * lease checks): drizzle builds and SQLite prepares each query afresh, which cost more CPU than the call's I/O.
 */
export function statement(database: DbLike, source: string): Database.Statement {
  const client = clientOf(database);
  let cache = statements.get(client);
  if (!cache) {
    cache = new Map();
    statements.set(client, cache);
  }
  let stmt = cache.get(source);
  if (!stmt) {
    stmt = client.prepare(source);
    cache.set(source, stmt);
  }
  return stmt;
}

/**
 * A drizzle query `.prepare()`d once per connection (with `sql.placeholder` for its values), for the hot queries that
 * need drizzle's row mapping (dates, JSON). Cached by the connection, not by the handle: inside a transaction the
 * handle is a new object every time, and a cache keyed by it re-prepared on every call.
 */
export function preparedQuery<T>(database: DbLike, name: string, build: (database: DbLike) => T): T {
  const client = clientOf(database);
  let cache = queries.get(client);
  if (!cache) {
    cache = new Map();
    queries.set(client, cache);
  }
  let query = cache.get(name) as T | undefined;
  if (query === undefined) {
    query = build(database);
    cache.set(name, query);
  }
  return query;
}
