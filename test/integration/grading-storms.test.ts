import { describe, expect, it } from "vitest";
import { db } from "~/.server/db";
import { gradingProcessesPerTest, until } from "../support/grading-crash-harness";
import { type BilledLine, gradingRows } from "../support/grading-processes";

/**
 * Live grading attacked with real processes (the fake provider bills and logs every call; the app's grading worker,
 * scripts/grading-worker.ts, runs in its own processes): two workers on one queue with calls slower than the lease,
 * a storm of 429s, a deploy's SIGTERM while every call waits out a long Retry-After, and a SIGKILL in the middle of
 * that drain. Each time every attempt must end scored and the ledger must hold every billed call exactly once.
 */

const h = gradingProcessesPerTest("storm");

/** The step a request key names ("grading:<job>:<step>:<input>"), without its try number. */
const stepOf = (key: string) => key.slice(0, key.lastIndexOf(":"));

function billedPerStep(log: readonly BilledLine[]): Map<string, number> {
  const steps = new Map<string, number>();
  for (const l of log) if (l.billed && l.key) steps.set(stepOf(l.key), (steps.get(stepOf(l.key)) ?? 0) + 1);
  return steps;
}

describe("two grading worker processes on one queue, every call slower than the lease", () => {
  it("never pays for a step twice: the heartbeat keeps each job with the worker running it", async () => {
    // Calls take 2.5 s, the lease is 1 s: without the heartbeat the other worker would take each job over and pay
    // again for every call in flight.
    await h.provider({ delayMs: 2_500 });
    const lease = {
      GRADING_LEASE_SECONDS: "1",
      GRADING_HEARTBEAT_SECONDS: "0.25",
      LLM_TIMEOUT_MS: "10000",
      LLM_CONCURRENCY: "8",
    };
    await Promise.all([h.worker(lease), h.worker(lease)]);
    const ids = h.submit(4);
    await until("every attempt graded", () => h.finished(ids), 60_000);
    h.expectAllScored(ids);
    h.expectLedgerEqualsBilling(ids);
    const twice = [...billedPerStep(h.fake.log())].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
  }, 90_000);
});

describe("a storm of 429s with Retry-After", () => {
  it("waits (saying so), never asks again sooner than Retry-After, keeps one ledger row per request, and grades every attempt", async () => {
    await h.provider({ p429: 1, retryAfterS: 1, delayMs: 30 });
    await h.worker();
    const ids = h.submit(4);
    await until("an attempt waiting because of the rate limit", () =>
      h.jobs(ids).some((j) => j.waiting === "rate_limit"),
    );
    await new Promise((r) => setTimeout(r, 3_000));
    await h.fake.setMode({ delayMs: 30 });
    await until("every attempt graded", () => h.finished(ids), 40_000);
    h.expectAllScored(ids);
    expect(h.jobs(ids).every((j) => j.waiting === null)).toBe(true);
    const log = h.fake.log();
    const limited = log.filter((l) => l.status === 429);
    expect(limited.length).toBeGreaterThan(ids.length);
    // Per request key: every try after a 429 came at least Retry-After later.
    const byKey = new Map<string, BilledLine[]>();
    for (const l of log) if (l.key) byKey.set(l.key, [...(byKey.get(l.key) ?? []), l]);
    for (const [key, lines] of byKey)
      for (let i = 1; i < lines.length; i++)
        if (lines[i - 1].status === 429) expect(lines[i].at - lines[i - 1].at, key).toBeGreaterThanOrEqual(990);
    // A rejected request is retried on its key: one ledger row per key, however many 429s it drew.
    const rows = gradingRows(db(), ids);
    expect(rows.length).toBe(byKey.size);
    expect(rows.filter((r) => r.state !== "settled")).toEqual([]);
    h.expectLedgerEqualsBilling(ids);
  }, 70_000);
});

describe("a deploy's SIGTERM while every call waits out a long Retry-After", () => {
  it("stops waiting at once, closes the rejected requests at $0, hands the leases back; the next worker grades it all", async () => {
    await h.provider({ p429: 1, retryAfterS: 60 });
    // A retry budget longer than Retry-After, so the calls wait (with a shorter one they give up at once).
    const first = await h.worker({ GRADING_SHUTDOWN_SECONDS: "20", LLM_RETRY_BUDGET_MINUTES: "5" });
    const ids = h.submit(3);
    await until("every attempt waiting because of the rate limit", () =>
      h.jobs(ids).every((j) => j.waiting === "rate_limit"),
    );
    const signalledAt = Date.now();
    first.child.kill("SIGTERM");
    expect((await first.exited).code).toBe(0);
    // Nothing was in flight and nothing more may be sent: the drain does not wait for the 60 s, nor its 20 s deadline.
    expect(Date.now() - signalledAt).toBeLessThan(6_000);
    expect(h.jobs(ids).filter((j) => j.leaseOwner !== null)).toEqual([]);
    const rows = gradingRows(db(), ids);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.state !== "settled" || r.costMicros !== 0)).toEqual([]);

    await h.fake.setMode({ delayMs: 30 });
    await h.worker();
    await until("every attempt graded", () => h.finished(ids), 40_000);
    h.expectAllScored(ids);
    expect(h.expectLedgerEqualsBilling(ids).unknown).toBe(0);
  }, 70_000);
});

describe("SIGKILL in the middle of a SIGTERM drain (a deploy whose grace period ran out)", () => {
  it("loses nothing: the next worker resumes at once and the ledger equals the billing", async () => {
    await h.provider({ delayMs: 1_500 });
    const first = await h.worker({ GRADING_SHUTDOWN_SECONDS: "20" });
    const ids = h.submit(6);
    await until("calls in flight", async () => (await h.fake.stats()).inFlight >= 3);
    first.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const before = h.fake.log().length;
    const restartedAt = Date.now();
    await h.worker();
    await until("every attempt graded", () => h.finished(ids), 50_000);
    h.expectAllScored(ids);
    // The calls the kill cut off were billed once (the provider finished them) and are in the ledger once.
    h.expectLedgerEqualsBilling(ids);
    expect(
      h.fake
        .log()
        .slice(before)
        .some((l) => l.at - restartedAt < 10_000),
    ).toBe(true);
  }, 80_000);
});
