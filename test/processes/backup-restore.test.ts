import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listBackups } from "~/.server/backup/files";
import { gradingHandler } from "../fakes/grading";
import { createFakeOpenAIServer } from "../fakes/openai-server";
import { getPage, logIn, submitPrompt } from "../support/app-client";
import { type RunningApp, startApp } from "../support/app-server";
import { runScript, scriptEnv, tempDir } from "../support/script-process";
import { readRows } from "../support/sqlite-file";

/**
 * Backups and restores against the built app served by remix-serve (real processes throughout): a backup taken by
 * `npm run db:backup` while the app grades 50 submissions through a fake provider, restored into a fresh folder
 * and served again; a restore onto the running app refused; the app's upkeep taking a scheduled backup itself.
 */

const SLUG = "route-to-nano";
const LEARNERS = ["learner@tokenwise.example", "clara.dubois@tokenwise.example"];
const SUBMISSIONS = 50;
/** Submissions in flight at once, as a handful of learners clicking Submit. */
const WAVE = 5;

const provider = createFakeOpenAIServer({ handler: gradingHandler(), delayMs: 300 });
const dir = tempDir("backup-live");
const env = scriptEnv(dir);
let app: RunningApp;

beforeAll(async () => {
  await provider.start();
  app = await startApp({
    DATABASE_PATH: env.DATABASE_PATH,
    BACKUP_DIR: env.BACKUP_DIR,
    LLM_PROVIDER: "openai-compatible",
    LLM_BASE_URL: provider.url,
    LLM_CONCURRENCY: "8",
    BACKUP_INTERVAL_HOURS: "0",
    // Two learners stand in for a class: 25 submissions each in seconds is over one learner's per-minute limit.
    SUBMIT_LIMIT_PER_MINUTE: "100",
  });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await provider.close();
});

describe("a backup of the running app", () => {
  it("taken while 50 submissions are graded holds every attempt acknowledged before it began, and restores into a fresh folder that serves", async () => {
    const cookies = await Promise.all(LEARNERS.map((email) => logIn(app.baseURL, email)));
    const acknowledged: { attemptId: number; acknowledgedAt: number; prompt: string; email: string }[] = [];
    let beforeBackup = 0;
    let backupRun: ReturnType<typeof runScript> | undefined;
    for (let sent = 0; sent < SUBMISSIONS; sent += WAVE) {
      const wave = Array.from({ length: WAVE }, (_, i) => {
        const n = sent + i;
        const prompt = `Classify the ticket as billing, bug, account, feature_request or other. Reply with the label only. Run ${n}.\n\nTicket: {{input}}`;
        return submitPrompt(app.baseURL, cookies[n % cookies.length], SLUG, prompt).then((ack) =>
          acknowledged.push({ ...ack, prompt, email: LEARNERS[n % cookies.length] }),
        );
      });
      await Promise.all(wave);
      // Half way: the backup starts while the other half is still being submitted and all of them graded.
      if (!backupRun && acknowledged.length >= SUBMISSIONS / 2) {
        beforeBackup = acknowledged.length;
        backupRun = runScript("scripts/db-backup.ts", ["--json"], env);
      }
    }
    const backup = await backupRun!;
    expect(backup.code, backup.stderr).toBe(0);
    const { file } = JSON.parse(backup.stdout) as { file: string };
    const backupPath = join(env.BACKUP_DIR, file);

    // Acknowledged before the backup process was started: every one of these must be in it.
    const before = acknowledged.slice(0, beforeBackup);
    expect(before.length).toBeGreaterThanOrEqual(SUBMISSIONS / 2);
    expect(acknowledged).toHaveLength(SUBMISSIONS);
    // Grading was under way when the copy was taken: some of its attempts were not scored yet.
    const [[ungraded]] = readRows(backupPath, "select count(*) from attempts where status in ('queued', 'grading')");
    expect(ungraded).toBeGreaterThan(0);

    const fresh = tempDir("restored");
    const freshEnv = scriptEnv(fresh);
    const restore = await runScript("scripts/db-restore.ts", [backupPath], freshEnv);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain("There was no database there before.");
    expect(restore.stdout).toMatch(
      /\d+ attempts were still being graded when the backup was taken; the app takes them up as after a crash/,
    );

    const restored = freshEnv.DATABASE_PATH;
    expect(readRows(restored, "pragma integrity_check")).toEqual([["ok"]]);
    for (const a of before) {
      const rows = readRows(
        restored,
        "select a.prompt, u.email from attempts a join users u on u.id = a.user_id where a.id = ?",
        a.attemptId,
      );
      expect(rows, `attempt ${a.attemptId}`).toEqual([[a.prompt, a.email]]);
    }
    // One snapshot of a ledger being written: the rollups the triggers keep agree with its rows.
    expect(readRows(restored, "select count(*), coalesce(sum(cost_micros), 0) from model_calls")).toEqual(
      readRows(
        restored,
        "select coalesce(sum(calls), 0), coalesce(sum(cost_micros), 0) from ledger_rollup where grain = 'all'",
      ),
    );

    // The restored database serves: its learner signs in and sees an attempt acknowledged before the backup.
    const second = await startApp({ DATABASE_PATH: restored, BACKUP_INTERVAL_HOURS: "0" });
    try {
      const cookie = await logIn(second.baseURL, before[0].email);
      const page = await getPage(second.baseURL, `/attempts/${before[0].attemptId}`, cookie);
      expect(page.status).toBe(200);
      expect(page.body).toContain(`Run ${before[0].prompt.match(/Run (\d+)/)![1]}.`);
    } finally {
      await second.stop();
    }
  }, 180_000);

  it("is not restored over the running app: the restore is refused with a clear message", async () => {
    const [first] = listBackups(env.BACKUP_DIR);
    expect(first).toBeDefined();
    const refused = await runScript("scripts/db-restore.ts", [first.path], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Refusing to restore: the database ${env.DATABASE_PATH} is open in another process — the app is running`,
    );
    expect(refused.stderr).toContain("Nothing was changed.");
    expect(readRows(env.DATABASE_PATH, "pragma integrity_check")).toEqual([["ok"]]);
    expect((await getPage(app.baseURL, "/login")).status).toBe(200);
  }, 60_000);
});

describe("scheduled backups", () => {
  it("are taken by the running app's upkeep, and its admin page shows the checked backup", async () => {
    const scheduledDir = tempDir("backup-scheduled");
    const scheduledEnv = scriptEnv(scheduledDir);
    const scheduled = await startApp({
      DATABASE_PATH: scheduledEnv.DATABASE_PATH,
      BACKUP_DIR: scheduledEnv.BACKUP_DIR,
      MAINTENANCE_INTERVAL_SECONDS: "1",
      BACKUP_INTERVAL_HOURS: "24",
    });
    try {
      const deadline = Date.now() + 60_000;
      while (!listBackups(scheduledEnv.BACKUP_DIR).some((b) => b.manifest) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 250));
      const backups = listBackups(scheduledEnv.BACKUP_DIR);
      expect(backups).toHaveLength(1);
      expect(backups[0].manifest).toMatchObject({ trigger: "scheduled", integrity: "ok" });
      // One interval (24 h) has not passed: the next ticks start no other backup.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(listBackups(scheduledEnv.BACKUP_DIR)).toHaveLength(1);

      const admin = await logIn(scheduled.baseURL, "admin@tokenwise.example");
      const page = await getPage(scheduled.baseURL, "/admin/backups", admin);
      expect(page.status).toBe(200);
      expect(page.body).toMatch(/The newest backup was taken .* ago and checked/);
      expect(page.body).toContain(backups[0].file);
      const learner = await logIn(scheduled.baseURL, "learner@tokenwise.example");
      expect((await getPage(scheduled.baseURL, "/admin/backups", learner)).status).toBe(403);
    } finally {
      await scheduled.stop();
    }
  }, 120_000);
});
