import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { listBackups } from "~/.server/backup/files";
import { lockFileOf, takeExclusive } from "~/.server/db-lock";
import { preparedDemoDatabase, runScript, scriptEnv, startScript, tempDir } from "../support/script-process";
import { olderDatabase, readRows } from "../support/sqlite-file";

/**
 * `npm run db:restore` (scripts/db-restore.ts) as a real process: what it refuses (and that a refusal changes
 * nothing), that a process holding the database blocks it until that process dies however it dies, that an app
 * cannot start during a restore, and that a backup from an older version is migrated.
 */

const RESTORE = "scripts/db-restore.ts";
const MIGRATIONS = (JSON.parse(readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] })
  .entries.length;
let template: string;
let backup: string;

function freshApp() {
  const dir = tempDir("restore");
  copyFileSync(template, join(dir, "app.db"));
  return { dir, db: join(dir, "app.db"), env: scriptEnv(dir) };
}

function sha(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

beforeAll(async () => {
  template = await preparedDemoDatabase();
  const env = scriptEnv(join(template, ".."));
  const made = await runScript("scripts/db-backup.ts", [], env);
  expect(made.code, made.stderr).toBe(0);
  backup = listBackups(env.BACKUP_DIR)[0].path;
}, 60_000);

describe("npm run db:restore refuses, and then changes nothing", () => {
  async function refused(file: string, expected: RegExp) {
    const app = freshApp();
    const before = sha(app.db);
    const run = await runScript(RESTORE, [file], app.env);
    expect(run.code, run.stdout).toBe(1);
    expect(run.stderr).toMatch(expected);
    expect(run.stderr).toContain("Nothing was changed.");
    expect(sha(app.db)).toBe(before);
    expect(readdirSync(app.dir).filter((n) => n.includes(".restoring") || n.includes(".replaced"))).toEqual([]);
  }

  it("a file that does not exist, or a folder", async () => {
    const dir = tempDir("restore-input");
    await refused(join(dir, "nope.db"), /^There is no file .*nope\.db\./);
    await refused(dir, /is not a file\./);
  }, 30_000);

  it("a file that is not a SQLite database, or one cut short", async () => {
    const dir = tempDir("restore-input");
    writeFileSync(join(dir, "notes.db"), "These are not the rows you are looking for.\n".repeat(200));
    await refused(join(dir, "notes.db"), /notes\.db is not a SQLite database \(file is not a database\)\./);
    copyFileSync(backup, join(dir, "cut.db"));
    truncateSync(join(dir, "cut.db"), Math.floor(readFileSync(backup).length / 2));
    await refused(join(dir, "cut.db"), /cut\.db (is damaged|could not be read)/);
  }, 30_000);

  it("a SQLite database that is not Tokenwise's", async () => {
    const dir = tempDir("restore-input");
    const other = new Database(join(dir, "other.db"));
    other.exec("create table notes (id integer primary key, body text); insert into notes (body) values ('hi')");
    other.close();
    await refused(join(dir, "other.db"), /other\.db is a SQLite database but not a Tokenwise one/);
  }, 30_000);

  it("a backup written by a newer version (a migration this code does not know)", async () => {
    const dir = tempDir("restore-input");
    const newer = join(dir, "newer.db");
    copyFileSync(backup, newer);
    const conn = new Database(newer);
    conn.prepare("insert into __drizzle_migrations (hash, created_at) values ('future', ?)").run(Date.now() + 9e10);
    conn.close();
    await refused(newer, /newer\.db was written by a newer version of Tokenwise/);
  }, 30_000);

  it("a backup that no longer matches its manifest (a row added after it was checked)", async () => {
    const dir = tempDir("restore-input");
    const name = backup.split("/").pop()!;
    const tampered = join(dir, name);
    copyFileSync(backup, tampered);
    copyFileSync(`${backup}.json`, `${tampered}.json`);
    const conn = new Database(tampered);
    conn.exec("insert into departments (name, cost_centre) values ('Smuggled in', 'CC-9999')");
    conn.close();
    await refused(
      tampered,
      /does not match its manifest: table departments holds \d+ rows in the copy but \d+ in the database/,
    );
  }, 30_000);

  it("a backup whose manifest is not JSON, or not ours", async () => {
    const dir = tempDir("restore-input");
    const name = backup.split("/").pop()!;
    const copy = join(dir, name);
    copyFileSync(backup, copy);
    writeFileSync(`${copy}.json`, '{"format": 1, "file": ');
    await refused(copy, /\.db\.json is not a Tokenwise backup manifest; move it away to restore without it\./);
    writeFileSync(`${copy}.json`, JSON.stringify({ format: 2, note: "from somewhere else" }));
    await refused(copy, /\.db\.json is not a Tokenwise backup manifest/);
  }, 30_000);

  it("the database itself", async () => {
    const app = freshApp();
    const run = await runScript(RESTORE, [app.db], app.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is the database itself; name a backup of it\./);
  }, 30_000);

  it("no file named, or two", async () => {
    const app = freshApp();
    const none = await runScript(RESTORE, [], app.env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Name one backup file to restore\.\nusage: npm run db:restore -- <backup file>/);
    const two = await runScript(RESTORE, [backup, backup], app.env);
    expect(two.code).toBe(2);
  }, 30_000);
});

describe("npm run db:restore and the processes using the database", () => {
  it("refuses while another process has the database open, and restores once that process is killed with SIGKILL", async () => {
    const app = freshApp();
    const holder = startScript("test/support/hold-database.ts", [], app.env);
    await holder.printed(/holding/);
    const before = sha(app.db);
    const refused = await runScript(RESTORE, [backup], app.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Refusing to restore: the database ${app.db} is open in another process`);
    expect(refused.stderr).toContain("Stop the app");
    expect(sha(app.db)).toBe(before);

    // No stale lock to clean up: the kernel drops it with the process.
    holder.child.kill("SIGKILL");
    await holder.finished;
    const restored = await runScript(RESTORE, [backup], app.env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`Restored ${app.db}`);
  }, 60_000);

  it("killed with SIGKILL at any moment, leaves a whole database under the database's name; the next restore works", async () => {
    const app = freshApp();
    const old = sha(app.db);
    const [[backupUsers]] = readRows(backup, "select count(*) from users");
    for (const delayMs of [200, 450, 700, 950]) {
      const run = startScript(RESTORE, [backup], app.env);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      run.child.kill("SIGKILL");
      await run.finished;
      // Either database, never none and never half of one: integrity ok, and the old file or the backup's rows.
      expect(existsSync(app.db)).toBe(true);
      expect(sha(app.db) === old || readRows(app.db, "select count(*) from users")[0][0] === backupUsers).toBe(true);
      expect(readRows(app.db, "pragma integrity_check")).toEqual([["ok"]]);
      rmSync(`${app.db}-wal`, { force: true });
      rmSync(`${app.db}-shm`, { force: true });
    }
    const again = await runScript(RESTORE, [backup], app.env);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(`${app.db}.restoring`)).toBe(false);
  }, 60_000);

  it("keeps an app from starting while a restore holds the database", async () => {
    const app = freshApp();
    const release = takeExclusive(lockFileOf(app.db), "held by the test");
    try {
      const start = await runScript("scripts/prepare-db.ts", [], app.env);
      expect(start.code).toBe(1);
      expect(start.stderr).toContain(`The database ${app.db} is being restored (npm run db:restore holds it).`);
    } finally {
      release();
    }
  }, 60_000);
});

describe("npm run db:restore restores", () => {
  it("a backup from an older version: migrates it, keeps the replaced database aside and says what it restored", async () => {
    // An older Tokenwise: the same migrations but the newest, applied to an empty database.
    const dir = tempDir("restore-old");
    const [newest] = olderDatabase(join(dir, "old.db"));
    const old = new Database(join(dir, "old.db"));
    old.exec("insert into departments (name, cost_centre) values ('Archive', 'CC-0001')");
    old.close();

    const app = freshApp();
    const replaced = sha(app.db);
    const run = await runScript(RESTORE, [join(dir, "old.db")], app.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`migrations applied now: ${newest}`);
    expect(run.stdout).toContain("(no manifest beside it: its time and row counts could not be compared)");
    expect(run.stdout).toMatch(
      /it holds 0 users, 0 attempts, 0 ledger rows, 0 exercises \(\d+ tables, \d+ rows in all\)/,
    );
    const aside = readdirSync(app.dir).find((n) => n.startsWith("app.db.replaced-"));
    expect(aside).toBeDefined();
    expect(run.stdout).toContain(`The database it replaced is kept at ${join(app.dir, aside!)}`);
    expect(sha(join(app.dir, aside!))).toBe(replaced);
    // One file, before anything opens it (a read-only reader would leave a -wal and -shm of its own).
    for (const side of ["-wal", "-shm", ".restoring"]) expect(existsSync(`${app.db}${side}`), side).toBe(false);
    expect(readRows(app.db, "select name from departments")).toEqual([["Archive"]]);
    expect(readRows(app.db, "select count(*) from __drizzle_migrations")).toEqual([[MIGRATIONS]]);
    expect(readRows(app.db, "pragma integrity_check")).toEqual([["ok"]]);

    // The restored database serves: the app prepares it (exercises, seed skipped as it is not empty) without error.
    const prepared = await runScript("scripts/prepare-db.ts", [], app.env);
    expect(prepared.code, prepared.stderr).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("into a folder with no database yet, from a relative path typed in another folder", async () => {
    const dir = tempDir("restore-fresh");
    const env = { ...scriptEnv(dir), INIT_CWD: join(backup, "..") };
    const run = await runScript(RESTORE, [backup.split("/").pop()!], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/a backup taken at .*; it matches its manifest/);
    expect(run.stdout).toContain("There was no database there before.");
    expect(readRows(join(dir, "app.db"), "pragma integrity_check")).toEqual([["ok"]]);
  }, 30_000);
});
