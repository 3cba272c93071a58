import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { listBackups, readFailure } from "~/.server/backup/files";
import { backupProcessStatus, startBackupIfDue } from "~/.server/backup/schedule";
import { backupOverview } from "~/.server/backup/status";
import { config } from "~/.server/config";
import { takeExclusive } from "~/.server/db-lock";
import { action, loader } from "~/routes/admin.backups";
import { preparedDemoDatabase, runScript, scriptEnv, startScript, tempDir } from "../support/script-process";
import { olderDatabase, readRows } from "../support/sqlite-file";
import { call, get, makeUser, post, unwrap } from "./harness";

/**
 * Online backups as real processes do them: `npm run db:backup` (scripts/db-backup.ts) against a database another
 * process is writing, killed mid-copy, refused, failing; the admin page and the scheduler on this worker's own
 * database. Every database here is a real SQLite file with the demo organisation.
 */

const BACKUP = "scripts/db-backup.ts";
let template: string;

/** A fresh folder holding a copy of the prepared demo database. */
function freshApp(extra: Record<string, string> = {}) {
  const dir = tempDir("backup");
  copyFileSync(template, join(dir, "app.db"));
  return { dir, env: scriptEnv(dir, extra), backups: join(dir, "backups") };
}

beforeAll(async () => {
  template = await preparedDemoDatabase();
}, 60_000);

describe("npm run db:backup", () => {
  it("copies one consistent snapshot while another process keeps writing, and checks it", async () => {
    const app = freshApp();
    const before = readRows(join(app.dir, "app.db"), "select count(*) from model_calls")[0] as number[];
    const writer = startScript("test/support/ledger-writer.ts", [], app.env);
    await writer.printed(/writing/);
    const backup = await runScript(BACKUP, [], app.env);
    writer.child.stdin.end();
    const { written } = JSON.parse((await writer.finished).stdout.trim().split("\n").pop()!) as { written: number };

    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/Checked: integrity ok; the copy holds what the database held at/);
    const [entry] = listBackups(app.backups);
    expect(entry.manifest).not.toBeNull();
    // Taken mid-stream: some of the writer's rows are in it, some came after.
    const inCopy = (readRows(entry.path, "select count(*) from model_calls")[0] as number[])[0];
    expect(inCopy).toBeGreaterThan(before[0] + 200);
    expect(inCopy).toBeLessThan(before[0] + written);
    expect(entry.manifest!.tables.model_calls).toBe(inCopy);
    expect(readRows(entry.path, "pragma integrity_check")).toEqual([["ok"]]);
    // One snapshot: the rollups the triggers keep agree with the ledger rows in the copy, to the micro-dollar.
    expect(readRows(entry.path, "select count(*), sum(cost_micros) from model_calls")).toEqual(
      readRows(entry.path, "select sum(calls), sum(cost_micros) from ledger_rollup where grain = 'all'"),
    );
    // A self-contained file: no -wal or -shm beside it.
    expect(readdirSync(app.backups).sort()).toEqual([".backup.lock", entry.file, `${entry.file}.json`]);
  }, 60_000);

  it("refuses to start while another backup runs, and does not count that as a failure", async () => {
    const app = freshApp();
    mkdirSync(app.backups);
    const release = takeExclusive(join(app.backups, ".backup.lock"), "held by the test");
    try {
      const refused = await runScript(BACKUP, ["--json"], app.env);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stdout)).toEqual({
        ok: false,
        busy: true,
        message: `Another backup into ${app.backups} is still running; this one was not started.`,
      });
      expect(readFailure(app.backups)).toBeNull();
      expect(listBackups(app.backups)).toEqual([]);
    } finally {
      release();
    }
  }, 30_000);

  it("keeps the newest BACKUP_KEEP checked backups and never touches other files", async () => {
    const app = freshApp({ BACKUP_KEEP: "2" });
    mkdirSync(app.backups);
    const foreign = ["notes.txt", "tokenwise.db", "tokenwise-2020-01-01T00-00-00Z.db"];
    for (const name of foreign) writeFileSync(join(app.backups, name), "keep me");
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await runScript(BACKUP, ["--json"], app.env);
      expect(run.code, run.stderr).toBe(0);
      made.push((JSON.parse(run.stdout) as { file: string }).file);
    }
    const left = listBackups(app.backups);
    expect(left.filter((e) => e.manifest).map((e) => e.file)).toEqual([made[2], made[1]]);
    for (const name of foreign) expect(readFileSync(join(app.backups, name), "utf8")).toBe("keep me");
    // The unchecked file matching our names is listed as such, not deleted and not counted among the kept.
    expect(left.find((e) => e.file === foreign[2])?.problem).toBe("it has no manifest, so it was never checked");
  }, 60_000);

  it("killed with SIGKILL at any moment, leaves nothing that passes for a backup; the next run cleans up", async () => {
    const app = freshApp();
    for (const delayMs of [150, 400, 700]) {
      const run = startScript(BACKUP, [], app.env);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      run.child.kill("SIGKILL");
      await run.finished;
      // Whatever the moment: every backup listed is a checked one, or there is none.
      for (const entry of listBackups(app.backups)) expect(entry.problem, entry.file).toBeNull();
    }
    const clean = await runScript(BACKUP, [], app.env);
    expect(clean.code, clean.stderr).toBe(0);
    expect(readdirSync(app.backups).filter((n) => n.endsWith(".partial"))).toEqual([]);
  }, 60_000);

  it("taken while an upgrade migrates the database, holds it wholly before or wholly after the migrations, and restores to this version", async () => {
    const known = (JSON.parse(readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] })
      .entries.length;
    for (let round = 0; round < 4; round++) {
      const dir = tempDir("migrating");
      const env = scriptEnv(dir);
      olderDatabase(env.DATABASE_PATH, 3);
      const old = new Database(env.DATABASE_PATH);
      old.exec("insert into departments (name, cost_centre) values ('Archive', 'CC-0001')");
      old.close();
      // The new version starting (it migrates on open) and a backup, at once, with the backup a little later each round.
      const migrating = startScript("test/support/open-database.ts", [], env);
      await new Promise((resolve) => setTimeout(resolve, round * 80));
      const backup = await runScript(BACKUP, [], env);
      const migrated = await migrating.finished;
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(backup.code, backup.stderr).toBe(0);

      const [entry] = listBackups(env.BACKUP_DIR);
      expect(entry.problem).toBeNull();
      const applied = entry.manifest!.migrations.applied;
      expect([known - 3, known]).toContain(applied);
      expect(readRows(entry.path, "select count(*) from __drizzle_migrations")).toEqual([[applied]]);
      expect(readRows(entry.path, "pragma integrity_check")).toEqual([["ok"]]);

      const restored = scriptEnv(tempDir("migrated-restore"));
      const restore = await runScript("scripts/db-restore.ts", [entry.path], restored);
      expect(restore.code, restore.stderr).toBe(0);
      expect(readRows(restored.DATABASE_PATH, "select count(*) from __drizzle_migrations")).toEqual([[known]]);
      expect(readRows(restored.DATABASE_PATH, "pragma integrity_check")).toEqual([["ok"]]);
      expect(readRows(restored.DATABASE_PATH, "select name from departments")).toEqual([["Archive"]]);
    }
  }, 120_000);

  it("says in plain words why a backup failed, records it, and the admin page shows it", async () => {
    const notAFolder = freshApp();
    writeFileSync(join(notAFolder.dir, "plain-file"), "x");
    const blocked = await runScript(BACKUP, [], {
      ...notAFolder.env,
      BACKUP_DIR: join(notAFolder.dir, "plain-file", "backups"),
    });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain("(or a folder above it) is a file, not a folder. Choose a folder for BACKUP_DIR.");

    const missing = freshApp({ DATABASE_PATH: join(tempDir("nothing"), "gone.db") });
    mkdirSync(missing.backups);
    const noDb = await runScript(BACKUP, [], missing.env);
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toMatch(/There is no database at .*gone\.db to back up\./);
    const overview = backupOverview(
      { BACKUP_DIR: missing.backups, BACKUP_INTERVAL_HOURS: 24, BACKUP_KEEP: 7, MAINTENANCE_INTERVAL_SECONDS: 60 },
      new Date(),
    );
    expect(overview.health.level).toBe("problem");
    expect(overview.health.text).toMatch(
      /^The last backup failed less than a second ago: There is no database at .*gone\.db to back up\. There is no good backup\.$/,
    );

    // A damaged database: pages overwritten in the middle of the file.
    const damaged = freshApp();
    const file = join(damaged.dir, "app.db");
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 8 * 4096, 40 * 4096);
    writeFileSync(file, bytes);
    const broken = await runScript(BACKUP, [], damaged.env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/damaged|failed SQLite's integrity check/);
    expect(listBackups(damaged.backups)).toEqual([]);
  }, 60_000);
});

describe("backups from the app", () => {
  it("lets only admins start a backup from the admin page, and shows its result there", async () => {
    const [learner, manager, instructor, admin] = await Promise.all([
      makeUser({ roles: ["learner"] }),
      makeUser({ roles: ["manager"] }),
      makeUser({ roles: ["instructor"] }),
      makeUser({ roles: ["admin"] }),
    ]);
    for (const user of [learner, manager, instructor]) {
      const refused = await call(action, post("/admin/backups", { intent: "backup" }, user.cookie));
      expect((refused as Response).status).toBe(403);
    }
    const anonymous = await call(action, post("/admin/backups", { intent: "backup" }));
    expect((anonymous as Response).status).toBe(302);
    expect(backupProcessStatus().running).toBeNull();
    expect(listBackups(config().BACKUP_DIR)).toEqual([]);

    const bad = unwrap<{ ok: boolean; message: string }>(
      await call(action, post("/admin/backups", { intent: "drop-tables" }, admin.cookie)),
    );
    expect(bad).toEqual({ status: 400, body: { ok: false, message: "Unknown form" } });

    const started = unwrap<{ ok: boolean; message: string }>(
      await call(action, post("/admin/backups", { intent: "backup" }, admin.cookie)),
    );
    expect(started.body).toEqual({ ok: true, message: "Backup started." });
    const again = unwrap<{ message: string }>(
      await call(action, post("/admin/backups", { intent: "backup" }, admin.cookie)),
    );
    expect(again.body.message).toBe("A backup is already running; it was not started twice.");
    const page = unwrap<{ overview: ReturnType<typeof backupOverview> }>(
      await call(loader, get("/admin/backups", admin.cookie)),
    );
    expect(page.body.overview.running).toMatch(/^A manual backup has been running for /);

    const deadline = Date.now() + 30_000;
    while (backupProcessStatus().running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(backupProcessStatus().lastOutcome).toMatchObject({ ok: true, trigger: "manual" });
    const after = unwrap<{ overview: ReturnType<typeof backupOverview> }>(
      await call(loader, get("/admin/backups", admin.cookie)),
    ).body.overview;
    // The test environment schedules none (BACKUP_INTERVAL_HOURS=0), which the page says.
    expect(after.health.level).toBe("warning");
    expect(after.health.text).toMatch(
      /^Nothing takes backups on a schedule\. The newest backup is (less than a second|\d+ seconds?) old\.$/,
    );
    expect(after.backups).toHaveLength(1);
    expect(after.backups[0].check).toMatch(
      /^Checked: integrity ok; holds what the database held then: \d+ users, \d+ attempts/,
    );
  }, 60_000);

  it("starts a scheduled backup when one is due, not while one runs, and not again until the interval has passed", async () => {
    const dir = tempDir("schedule");
    const cfg = { BACKUP_DIR: dir, BACKUP_INTERVAL_HOURS: 24 };
    const started: string[] = [];
    const start = (trigger: "scheduled" | "manual") => {
      started.push(trigger);
      return "started" as const;
    };
    const now = new Date();
    expect(startBackupIfDue(now, { ...cfg, BACKUP_INTERVAL_HOURS: 0 }, start)).toBe("off");
    expect(startBackupIfDue(now, cfg, start)).toBe("started");
    expect(started).toEqual(["scheduled"]);

    // A checked backup an hour old: not due; one dated tomorrow (a clock set back) does not count as the newest.
    const file = (at: Date) => `tokenwise-${at.toISOString().slice(0, 19).replace(/:/g, "-")}Z.db`;
    const write = (at: Date) => {
      writeFileSync(join(dir, file(at)), "x");
      writeFileSync(
        join(dir, `${file(at)}.json`),
        JSON.stringify({
          format: 1,
          file: file(at),
          trigger: "scheduled",
          takenAt: at.toISOString(),
          durationMs: 1,
          bytes: 1,
          source: "/db",
          integrity: "ok",
          tables: {},
          migrations: { applied: 0, latest: null },
        }),
      );
    };
    write(new Date(now.getTime() + 86_400_000));
    expect(startBackupIfDue(now, cfg, start)).toBe("started");
    write(new Date(now.getTime() - 3_600_000));
    expect(startBackupIfDue(now, cfg, start)).toBe("not due");
    expect(startBackupIfDue(new Date(now.getTime() + 23 * 3_600_000), cfg, start)).toBe("started");
    expect(existsSync(join(dir, "last-failure.json"))).toBe(false);
  });
});
