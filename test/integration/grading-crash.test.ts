import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { attempts, departments, gradingJobs, teams } from "#db/schema";
import { submitAttempt } from "~/.server/attempts";
import { getPublishedExercise } from "~/.server/catalog";
import { db } from "~/.server/db";
import { focusRecord, ledgerLines } from "~/.server/finops/focus";
import { estimatedSpend } from "~/.server/finops/showback";
import type { Scope } from "~/.server/scope";
import { listSessionUsers } from "~/.server/users";
import type { Mode } from "../fakes/provider-process";
import {
  checkLedger,
  type FakeProviderProcess,
  gradingRows,
  startFakeProvider,
  startWorker,
  type WorkerProcess,
  workerEnv,
} from "../support/grading-processes";
import { makeUser, ready } from "./harness";

/**
 * Live grading across real process deaths: the app's grading worker (scripts/grading-worker.ts) runs in its own
 * process against the test's SQLite file and a fake provider process that bills and logs every call. The worker is
 * killed with SIGKILL mid-run, or sent SIGTERM, and started again; every attempt must end scored (or failed with a
 * reason a learner can read), and the ledger must hold every billed call exactly once.
 */

const SLUG = "route-to-nano";
const PROMPT =
  "Classify the support ticket as billing, bug, account, feature_request or other. Reply with the label only.\n\nTicket: {{input}}";

let dir: string;
let learnerId: number;
let fake: FakeProviderProcess | undefined;
let workers: WorkerProcess[] = [];
let n = 0;

beforeAll(async () => {
  await ready();
  dir = mkdtempSync(join(tmpdir(), "tokenwise-crash-"));
  const departmentId = db()
    .insert(departments)
    .values({ name: `Crash ${process.pid}`, costCentre: `CC-X${process.pid}` })
    .returning()
    .get().id;
  const teamId = db().insert(teams).values({ name: "Crash team", departmentId }).returning().get().id;
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

async function provider(mode: Mode): Promise<FakeProviderProcess> {
  fake = await startFakeProvider(join(dir, `calls-${++n}.jsonl`), mode);
  return fake;
}

async function worker(extra: Record<string, string> = {}): Promise<WorkerProcess> {
  const w = await startWorker(workerEnv({ url: fake!.url, databasePath: process.env.DATABASE_PATH!, extra }));
  workers.push(w);
  return w;
}

/** `count` attempts, each with a prompt no one sent before (no cache hit). */
async function submit(count: number): Promise<number[]> {
  const exercise = getPublishedExercise(db(), SLUG)!;
  const user = listSessionUsers(db()).find((u) => u.id === learnerId)!;
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const prompt = `${PROMPT}\nBatch ${process.pid}-${++n * 7919}.`;
    ids.push(submitAttempt(db(), user, exercise, prompt, exercise.content.model, { poke() {} }));
  }
  return ids;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function finished(ids: number[]) {
  const rows = db().select().from(gradingJobs).where(inArray(gradingJobs.attemptId, ids)).all();
  return rows.filter((j) => j.stage === "scored" || j.stage === "failed").length === ids.length;
}

function attemptsOf(ids: number[]) {
  return db().select().from(attempts).where(inArray(attempts.id, ids)).all();
}

/** Every attempt scored, or failed with a sentence for a learner (no status codes, no addresses, a way forward). */
function expectAllEnded(ids: number[]) {
  for (const a of attemptsOf(ids)) {
    if (a.status === "failed") {
      expect(a.error).toMatch(/Your prompt is saved/);
      expect(a.error).not.toMatch(/\b\d{3}\b|https?:|127\.0\.0\.1/);
    } else expect(a.status).toBe("scored");
  }
}

function expectLedgerEqualsBilling(ids: number[]) {
  const check = checkLedger(gradingRows(db(), ids), fake!.log());
  expect(check.missing).toEqual([]);
  expect(check.twice).toEqual([]);
  expect(check.phantom).toEqual([]);
  expect(check.wrongUsage).toEqual([]);
  expect(check.billed).toBeGreaterThan(0);
  return check;
}

describe("the grading worker killed with SIGKILL mid-run", () => {
  it("resumes every job at once after a restart; every billed call is in the ledger exactly once", async () => {
    await provider({ delayMs: 400 });
    const ids = await submit(6);
    const first = await worker();
    // Kill it while calls are in flight at the provider.
    await until("calls in flight", async () => (await fake!.stats()).inFlight >= 3);
    first.child.kill("SIGKILL");
    await first.exited;
    const beforeRestart = fake!.log().length;
    const restartedAt = Date.now();
    await worker();
    // The dead worker's jobs are taken over at start-up (its pid is gone), not after its lease lapses.
    await until("a call from the new worker", () => fake!.log().length > beforeRestart + 1, 10_000);
    await until("every attempt graded", () => finished(ids), 40_000);
    const recoveryMs = Date.now() - restartedAt;
    expectAllEnded(ids);
    expect(attemptsOf(ids).every((a) => a.status === "scored")).toBe(true);
    const check = expectLedgerEqualsBilling(ids);
    // The calls cut off by the kill were billed by the provider and are in the ledger as unknown, at their estimate,
    // and the showback and the FOCUS file show them apart.
    expect(check.unknown).toBeGreaterThan(0);
    const month = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000) };
    const all: Scope = { all: true, teamIds: [], departmentIds: [] };
    expect(estimatedSpend(db(), all, month).unknownCalls).toBeGreaterThanOrEqual(check.unknown);
    const unknownRow = gradingRows(db(), ids).find((r) => r.state === "unknown")!;
    const focus = ledgerLines(db(), all, month).find((l) => l.id === unknownRow.id)!;
    expect(focusRecord(focus)).toMatchObject({ x_CostState: "unknown", x_BilledCostMicros: unknownRow.estimateMicros });
    expect(recoveryMs).toBeLessThan(30_000);
  }, 60_000);
});

describe("the grading worker sent SIGTERM mid-run (a deploy)", () => {
  it("lets the calls in flight finish and settle, hands the leases back, exits, and the next worker finishes", async () => {
    await provider({ delayMs: 600 });
    const ids = await submit(6);
    const first = await worker();
    await until("calls in flight", async () => (await fake!.stats()).inFlight >= 3);
    const signalledAt = Date.now();
    first.child.kill("SIGTERM");
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    // Within the shutdown deadline (5 s here), not killed by it.
    expect(Date.now() - signalledAt).toBeLessThan(5_000 + 2_000);
    // Nothing was cut off: no row is left pending or unknown, and no job keeps a lease.
    expect(gradingRows(db(), ids).filter((r) => r.state !== "settled")).toEqual([]);
    const leased = db().select().from(gradingJobs).where(inArray(gradingJobs.attemptId, ids)).all();
    expect(leased.filter((j) => j.leaseOwner !== null)).toEqual([]);
    expect(finished(ids)).toBe(false);

    await worker();
    await until("every attempt graded", () => finished(ids), 40_000);
    expectAllEnded(ids);
    expect(attemptsOf(ids).every((a) => a.status === "scored")).toBe(true);
    const check = expectLedgerEqualsBilling(ids);
    expect(check.unknown).toBe(0);
  }, 60_000);
});

describe("a flaky provider: 429 with Retry-After, 5xx, slow and hung calls, missing usage, odd judge JSON", () => {
  it("grades every attempt, retrying per call, and keeps the ledger equal to the billing", async () => {
    await provider({
      p429: 0.15,
      retryAfterS: 0.2,
      p5xx: 0.1,
      pHang: 0.03,
      pSlow: 0.05,
      slowMs: 2_500,
      pMissingUsage: 0.1,
      pOddJudge: 0.5,
      delayMs: 20,
      seed: 7,
    });
    const ids = await submit(8);
    await worker();
    await until("every attempt graded", () => finished(ids), 50_000);
    expectAllEnded(ids);
    const log = fake!.log();
    expect(log.some((l) => l.status === 429)).toBe(true);
    expect(log.some((l) => typeof l.status === "number" && l.status >= 500)).toBe(true);
    const check = expectLedgerEqualsBilling(ids);
    // A reply without usage is used, and its row says the cost is the app's own count (unknown).
    const noUsage = log.filter((l) => l.billed && l.usageReported === false).map((l) => l.key);
    const rows = gradingRows(db(), ids);
    for (const key of noUsage) expect(rows.find((r) => r.idempotencyKey === key)?.state).toBe("unknown");
    // A request rejected with 429 was retried on the same key: one row, never one per try.
    const rejected = new Set(log.filter((l) => l.status === 429).map((l) => l.key));
    for (const key of rejected) expect(rows.filter((r) => r.idempotencyKey === key).length).toBeLessThanOrEqual(1);
    expect(check.rows).toBeLessThan(log.length);
  }, 70_000);
});

describe("a provider outage of a few seconds", () => {
  it("shows the attempts waiting for the provider, and they resume on their own when it answers again", async () => {
    // Slow calls, so the jobs are still running when the outage starts (on a loaded machine too).
    await provider({ delayMs: 1_000 });
    await worker();
    const ids = await submit(3);
    await until("the jobs running", () =>
      db()
        .select()
        .from(gradingJobs)
        .where(inArray(gradingJobs.attemptId, ids))
        .all()
        .every((j) => j.leaseOwner !== null),
    );
    await fake!.setMode({ outageSeconds: 5 });
    await until("an attempt waiting for the provider", () =>
      db()
        .select()
        .from(gradingJobs)
        .where(inArray(gradingJobs.attemptId, ids))
        .all()
        .some((j) => j.waiting === "provider"),
    );
    await until("every attempt graded", () => finished(ids), 40_000);
    expect(attemptsOf(ids).every((a) => a.status === "scored")).toBe(true);
    // The breaker kept the calls from hammering a provider that was down.
    const during = fake!.log().filter((l) => l.status === 503).length;
    expect(during).toBeLessThan(40);
    expectLedgerEqualsBilling(ids);
    const job = db().select().from(gradingJobs).where(eq(gradingJobs.attemptId, ids[0])).get()!;
    expect(job.waiting).toBeNull();
  }, 60_000);
});
