import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { attempts, departments, type GradingJob, gradingJobs, teams } from "#db/schema";
import { submitAttempt } from "~/.server/attempts";
import { getPublishedExercise } from "~/.server/catalog";
import { db } from "~/.server/db";
import { listSessionUsers } from "~/.server/users";
import type { Mode } from "../fakes/provider-process";
import { makeUser, ready } from "../integration/harness";
import {
  checkLedger,
  type FakeProviderProcess,
  gradingRows,
  startFakeProvider,
  startWorker,
  type WorkerProcess,
  workerEnv,
} from "./grading-processes";

/**
 * The set-up the crash tests share: a learner in a team of the test's database, a fake provider process per test
 * (billing and logging every call), grading worker processes started against both, all killed after each test.
 */

const SLUG = "route-to-nano";
const PROMPT =
  "Classify the support ticket as billing, bug, account, feature_request or other. Reply with the label only.\n\nTicket: {{input}}";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export function gradingProcessesPerTest(label: string) {
  let dir: string;
  let learnerId: number;
  let fake: FakeProviderProcess | undefined;
  let workers: WorkerProcess[] = [];
  let n = 0;

  beforeAll(async () => {
    await ready();
    dir = mkdtempSync(join(tmpdir(), `tokenwise-${label}-`));
    const departmentId = db()
      .insert(departments)
      .values({ name: `${label} ${process.pid}`, costCentre: `CC-${label}${process.pid}` })
      .returning()
      .get().id;
    const teamId = db()
      .insert(teams)
      .values({ name: `${label} team`, departmentId })
      .returning()
      .get().id;
    learnerId = (await makeUser({ teamId })).id;
  });

  afterEach(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    workers = [];
    await fake?.stop();
    fake = undefined;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const h = {
    /** The fake provider of the running test. */
    get fake(): FakeProviderProcess {
      if (!fake) throw new Error("no fake provider: call provider() first");
      return fake;
    },
    async provider(mode: Mode): Promise<FakeProviderProcess> {
      fake = await startFakeProvider(join(dir, `calls-${++n}.jsonl`), mode);
      return fake;
    },
    async worker(extra: Record<string, string> = {}): Promise<WorkerProcess> {
      const w = await startWorker(workerEnv({ url: h.fake.url, databasePath: process.env.DATABASE_PATH!, extra }));
      workers.push(w);
      return w;
    },
    /** `count` attempts, each with a prompt no one sent before (no cache hit). */
    submit(count: number): number[] {
      const exercise = getPublishedExercise(db(), SLUG)!;
      const user = listSessionUsers(db()).find((u) => u.id === learnerId)!;
      const ids: number[] = [];
      for (let i = 0; i < count; i++) {
        const prompt = `${PROMPT}\nBatch ${process.pid}-${label}-${++n * 7919}.`;
        ids.push(submitAttempt(db(), user, exercise, prompt, exercise.content.model, { poke() {} }));
      }
      return ids;
    },
    jobs(ids: number[]): GradingJob[] {
      return db().select().from(gradingJobs).where(inArray(gradingJobs.attemptId, ids)).all();
    },
    finished(ids: number[]): boolean {
      return h.jobs(ids).filter((j) => j.stage === "scored" || j.stage === "failed").length === ids.length;
    },
    attemptsOf(ids: number[]) {
      return db().select().from(attempts).where(inArray(attempts.id, ids)).all();
    },
    /** Every attempt scored, or failed with a sentence for a learner (no status codes, no addresses, a way forward). */
    expectAllEnded(ids: number[]) {
      for (const a of h.attemptsOf(ids)) {
        if (a.status === "failed") {
          expect(a.error).toMatch(/Your prompt is saved/);
          expect(a.error).not.toMatch(/\b\d{3}\b|https?:|127\.0\.0\.1/);
        } else expect(a.status).toBe("scored");
      }
    },
    /** Every attempt scored; a failed one shows its job's error (the detail the learner does not see). */
    expectAllScored(ids: number[]) {
      const why = new Map(h.jobs(ids).map((j) => [j.attemptId, j.lastError]));
      const outcomes = h
        .attemptsOf(ids)
        .map((a) => (a.status === "scored" ? a.status : `${a.status}: ${why.get(a.id)}`));
      expect(outcomes).toEqual(ids.map(() => "scored"));
    },
    /** The ledger holds every call the provider billed exactly once, with the usage it billed. */
    expectLedgerEqualsBilling(ids: number[]) {
      const check = checkLedger(gradingRows(db(), ids), h.fake.log());
      expect(check.missing).toEqual([]);
      expect(check.twice).toEqual([]);
      expect(check.phantom).toEqual([]);
      expect(check.wrongUsage).toEqual([]);
      expect(check.billed).toBeGreaterThan(0);
      return check;
    },
  };
  return h;
}
