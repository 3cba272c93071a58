import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, groupWrite, openDb, statement } from "./db";

class Refused extends Error {}

let dir: string;
let database: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tokenwise-group-write-"));
  database = openDb(join(dir, "group.db"));
  database.$client.pragma("wal_autocheckpoint = 0");
  statement(database, "create table t (v text not null)").run();
});

afterEach(() => {
  database.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

function rows(db: Db = database): string[] {
  return (statement(db, "select v from t order by rowid").all() as { v: string }[]).map((r) => r.v);
}

/**
 * Frames in the write-ahead log so far (it is never checkpointed here): a commit appends one frame per page it
 * changed, so writes that share a commit write a page they share once.
 */
function walFrames(): number {
  const size = existsSync(join(dir, "group.db-wal")) ? statSync(join(dir, "group.db-wal")).size : 0;
  const pageSize = database.$client.pragma("page_size", { simple: true }) as number;
  return size === 0 ? 0 : (size - 32) / (pageSize + 24);
}

describe("groupWrite: the writes asked for in one turn of the event loop share one commit", () => {
  it("commits the writes of a turn together, each resolved with its own value once committed", async () => {
    const before = walFrames();
    const values = await Promise.all(
      ["a", "b", "c"].map((v) =>
        groupWrite(database, (tx) => {
          statement(tx, "insert into t (v) values (?)").run(v);
          return v.toUpperCase();
        }),
      ),
    );
    expect(values).toEqual(["A", "B", "C"]);
    expect(rows()).toEqual(["a", "b", "c"]);
    // One commit: the table's page went to the log once, not once per write.
    expect(walFrames() - before).toBe(1);
    const separate = walFrames();
    for (const v of ["d", "e", "f"])
      await groupWrite(database, (tx) => statement(tx, "insert into t (v) values (?)").run(v));
    expect(walFrames() - separate).toBe(3);
  });

  it("commits nothing before the promise settles", async () => {
    const first = groupWrite(database, (tx) => statement(tx, "insert into t (v) values ('x')").run());
    // Asked for, not committed yet: another connection sees nothing.
    const other = new Database(join(dir, "group.db"), { readonly: true });
    expect(other.prepare("select count(*) as n from t").get()).toEqual({ n: 0 });
    await first;
    expect(other.prepare("select count(*) as n from t").get()).toEqual({ n: 1 });
    other.close();
  });

  it("leaves out a write that refuses before it writes (a fence): the others share the commit", async () => {
    const before = walFrames();
    const results = await Promise.allSettled([
      groupWrite(database, (tx) => statement(tx, "insert into t (v) values ('kept 1')").run()),
      groupWrite(database, () => {
        throw new Refused("the lease was lost");
      }),
      groupWrite(database, (tx) => statement(tx, "insert into t (v) values ('kept 2')").run()),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Refused);
    expect(rows()).toEqual(["kept 1", "kept 2"]);
    expect(walFrames() - before).toBe(1);
  });

  it("undoes a write that throws after it wrote, alone: the group runs again, one transaction per write", async () => {
    let runs = 0;
    const results = await Promise.allSettled([
      groupWrite(database, (tx) => statement(tx, "insert into t (v) values ('kept 1')").run()),
      groupWrite(database, (tx) => {
        runs++;
        statement(tx, "insert into t (v) values ('undone')").run();
        throw new Refused("failed half-way");
      }),
      groupWrite(database, (tx) => statement(tx, "insert into t (v) values ('kept 2')").run()),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Refused);
    expect(rows()).toEqual(["kept 1", "kept 2"]);
    expect(runs).toBe(2);
  });

  it("a write alone that throws writes nothing", async () => {
    await expect(
      groupWrite(database, (tx) => {
        statement(tx, "insert into t (v) values ('undone')").run();
        throw new Refused("no");
      }),
    ).rejects.toBeInstanceOf(Refused);
    expect(rows()).toEqual([]);
  });

  it("fails every write of the turn, and writes none, when the transaction cannot begin (another process holds the lock)", async () => {
    const other = new Database(join(dir, "group.db"));
    other.pragma("busy_timeout = 0");
    database.$client.pragma("busy_timeout = 0");
    other.prepare("begin immediate").run();
    const results = await Promise.allSettled(
      ["a", "b"].map((v) => groupWrite(database, (tx) => statement(tx, "insert into t (v) values (?)").run(v))),
    );
    other.prepare("rollback").run();
    other.close();
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
    expect(rows()).toEqual([]);
  });
});
