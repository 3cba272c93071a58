import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempts, gradingFailures, usageRecords } from "#db/schema";
import { gradeOfflineAttempt, submitAttempt } from "~/.server/attempts";
import { getPublishedExercise } from "~/.server/catalog";
import { gradeHere } from "~/.server/cpu/tasks";
import { db } from "~/.server/db";
import { runMaintenance } from "~/.server/maintenance";
import { listSessionUsers } from "~/.server/users";
import { generateUsage } from "../../bench/usage-generate";
import {
  checkLedger,
  type FakeProviderProcess,
  gradingRows,
  startFakeProvider,
  startWorker,
  type WorkerProcess,
  workerEnv,
} from "../support/grading-processes";
import { scriptEnv, startScript } from "../support/script-process";
import { olderDatabase, readRows } from "../support/sqlite-file";
import { makeUser, ready } from "./harness";

/**
 * Several processes writing one SQLite file at once, as a deployment has them: the app (this test process: learners'
 * submissions graded offline, live submissions queued, the background upkeep attributing usage), the live grading
 * worker (scripts/grading-worker.ts) and `npm run usage:import` from a terminal. A transaction that reads before it
 * writes must begin IMMEDIATE: begun DEFERRED, another process's commit between its read and its first write makes
 * SQLite refuse that write at once with SQLITE_BUSY_SNAPSHOT, whatever the busy timeout. The control at the end shows
 * the race is real on this machine, so the first test can fail. And processes starting together after an upgrade
 * must not both apply the same migrations (app/.server/db.ts migrates one process at a time).
 */

const SLUG = "route-to-nano";
const PROMPT =
  "Classify the support ticket as billing, bug, account, feature_request or other. Reply with the label only.\n\nTicket: {{input}}";
const USAGE_ROWS = 20_000;

let dir: string;
let learnerId: number;
/** Two FOCUS files with different keys (halves of one generated file): the second import is new work too. */
let usageFiles: [string, string];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await ready();
  dir = mkdtempSync(join(tmpdir(), "tokenwise-contention-"));
  learnerId = (await makeUser()).id;
  const whole = join(dir, "usage-whole.csv");
  await generateUsage(USAGE_ROWS * 2, whole);
  const [header, ...lines] = readFileSync(whole, "utf8").trimEnd().split("\n");
  usageFiles = [join(dir, "usage-1.csv"), join(dir, "usage-2.csv")];
  writeFileSync(usageFiles[0], `${[header, ...lines.slice(0, USAGE_ROWS)].join("\n")}\n`);
  writeFileSync(usageFiles[1], `${[header, ...lines.slice(USAGE_ROWS)].join("\n")}\n`);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The app's writes for as long as `busy()` says another process is at work: returns what it acknowledged. */
async function appWrites(busy: () => boolean, live: boolean) {
  const exercise = getPublishedExercise(db(), SLUG)!;
  const user = listSessionUsers(db()).find((u) => u.id === learnerId)!;
  const tags = { userId: user.id, teamId: user.teamId, departmentId: user.departmentId };
  const offline: number[] = [];
  const queued: number[] = [];
  const upkeepErrors: string[] = [];
  for (let i = 0; busy() || i < 10; i++) {
    const prompt = `${PROMPT}\nContention ${process.pid}-${live}-${i}.`;
    if (live && i % 4 === 0) {
      queued.push(submitAttempt(db(), user, exercise, prompt, exercise.content.model, { poke() {} }));
    } else {
      const id = submitAttempt(db(), user, exercise, prompt);
      await gradeOfflineAttempt(db(), tags, exercise, id, gradeHere);
      offline.push(id);
    }
    if (i % 5 === 0) {
      const report = await runMaintenance(db(), new Date(), {
        lrs: null,
        logger: { error() {}, info() {}, debug() {} },
        tasks: { startBackupIfDue: () => "off" },
      });
      upkeepErrors.push(...report.errors.map((e) => `${e.job}: ${e.message}`));
    }
    await sleep(2);
  }
  return { offline, queued, upkeepErrors };
}

/** `npm run usage:import -- focus <file>` in its own process, with the app's writes beside it until it ends. */
async function importBesideApp(file: string, live: boolean) {
  const run = startScript(
    "scripts/usage-import.ts",
    ["focus", file],
    scriptEnv(dir, { DATABASE_PATH: process.env.DATABASE_PATH! }),
  );
  let done = false;
  void run.finished.then(() => {
    done = true;
  });
  const app = await appWrites(() => !done, live);
  return { app, imported: await run.finished };
}

function allEnded(ids: number[]): boolean {
  const rows = db().select({ status: attempts.status }).from(attempts).where(inArray(attempts.id, ids)).all();
  return rows.every((a) => a.status === "scored" || a.status === "failed");
}

function expectScored(ids: number[]) {
  const rows = db().select().from(attempts).where(inArray(attempts.id, ids)).all();
  expect(rows).toHaveLength(ids.length);
  const notScored = rows.filter((a) => a.status !== "scored").map((a) => `${a.id} ${a.status}: ${a.error}`);
  expect(notScored).toEqual([]);
}

describe("processes writing the database at once", () => {
  it("the usage import from a terminal beside the app submitting, grading and attributing: every row in, every attempt scored, no SQLITE_BUSY", async () => {
    const before = db().select({ n: count() }).from(usageRecords).get()!.n;
    const { app, imported } = await importBesideApp(usageFiles[0], false);

    expect(imported.stderr).not.toMatch(/SQLITE_BUSY|database is locked/);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(app.upkeepErrors).toEqual([]);
    expectScored(app.offline);
    // Every AI row of the file is stored (every 25th generated row is a compute row the import skips).
    const stored = db().select({ n: count() }).from(usageRecords).get()!.n - before;
    expect(stored).toBeGreaterThan(USAGE_ROWS * 0.9);
    expect(imported.stdout).toContain(`${stored} added`);
  }, 120_000);

  describe("with the live grading worker in its own process", () => {
    let fake: FakeProviderProcess;
    let worker: WorkerProcess;

    beforeAll(async () => {
      fake = await startFakeProvider(join(dir, "calls.jsonl"), { delayMs: 20 });
      worker = await startWorker(workerEnv({ url: fake.url, databasePath: process.env.DATABASE_PATH! }));
    }, 60_000);

    afterAll(async () => {
      if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
      await worker.exited;
      await fake.stop();
    });

    it("grades every live attempt and bills each call once while the app and a usage import write beside it", async () => {
      const { app, imported } = await importBesideApp(usageFiles[1], true);
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);
      expect(app.upkeepErrors).toEqual([]);
      expectScored(app.offline);

      expect(app.queued.length).toBeGreaterThan(0);
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !allEnded(app.queued)) await sleep(100);
      expectScored(app.queued);
      const check = checkLedger(gradingRows(db(), app.queued), fake.log());
      // Unknown rows are calls the worker could not confirm in LLM_TIMEOUT_MS (this machine is loaded): allowed, as
      // after a crash. A write refused by SQLite would show as a try that failed for a reason of the database's.
      expect(check).toMatchObject({ missing: [], twice: [], wrongUsage: [], phantom: [] });
      const tries = db().select().from(gradingFailures).where(inArray(gradingFailures.attemptId, app.queued)).all();
      expect(tries.filter((f) => /SQLITE|database is locked/i.test(f.message))).toEqual([]);
    }, 180_000);
  });

  it("control: beside a process writing the ledger, a read-then-write transaction begun DEFERRED is refused at once (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT); begun IMMEDIATE, never", async () => {
    const writer = startScript(
      "test/support/ledger-writer.ts",
      [],
      scriptEnv(dir, { DATABASE_PATH: process.env.DATABASE_PATH! }),
    );
    await writer.printed(/writing/);
    const sqlite = db().$client;
    const read = sqlite.prepare("select count(*) as n from model_calls");
    const write = sqlite.prepare(
      "insert into settings (key, value, updated_at) values ('contention-probe', ?, 0) on conflict (key) do update set value = excluded.value",
    );
    const probe = sqlite.transaction(() => {
      const { n } = read.get() as { n: number };
      write.run(String(n));
    });
    const refusals = { deferred: 0, immediate: 0 };
    const other: string[] = [];
    for (const mode of ["deferred", "immediate"] as const) {
      for (let i = 0; i < 400; i++) {
        try {
          probe[mode]();
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_BUSY") refusals[mode]++;
          else other.push(`${mode}: ${code} ${(err as Error).message}`);
        }
        await sleep(1);
      }
    }
    writer.child.stdin.end();
    const ended = await writer.finished;
    expect(ended.code, ended.stderr).toBe(0);
    expect(other).toEqual([]);
    expect(refusals.deferred, "the race this file guards against happened").toBeGreaterThan(0);
    expect(refusals.immediate).toBe(0);
  }, 60_000);

  it("four processes starting at once on a database an upgrade must migrate: all start, each migration applied once", async () => {
    const journal = JSON.parse(readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
    for (let round = 0; round < 3; round++) {
      const path = join(dir, `upgrade-${round}.db`);
      olderDatabase(path, 3);
      const env = scriptEnv(dir, { DATABASE_PATH: path });
      const runs = await Promise.all(
        Array.from({ length: 4 }, () => startScript("test/support/open-database.ts", [], env).finished),
      );
      for (const run of runs) {
        expect(run.code, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout)).toEqual({ migrations: journal.entries.length });
      }
      expect(readRows(path, "select count(distinct hash), count(*) from __drizzle_migrations")).toEqual([
        [journal.entries.length, journal.entries.length],
      ]);
    }
  }, 120_000);
});
