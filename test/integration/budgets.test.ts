import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { budgetReservations, budgets, departments, gradingJobs, modelCalls, teams } from "#db/schema";
import { budgetStatus, monthWindow, release, releaseStale, reserve, setBudget, settle } from "~/.server/budgets";
import { type Db, openDb } from "~/.server/db";
import { closeRejected, closeUnknown, markRejected, openCall, recordCall, settleCall } from "~/.server/ledger";

/**
 * Budgets against a real SQLite file: the race tests open the same file on several connections,
 * and in several processes, as the server's workers would.
 */

const dbPath = join(mkdtempSync(join(tmpdir(), "tokenwise-budgets-")), "budgets.db");
const database: Db = openDb(dbPath);
const extraConnections: Db[] = [];
afterAll(() => {
  for (const c of [database, ...extraConnections]) c.$client.close();
});

const NOW = new Date("2025-11-15T12:00:00Z");
/** $1 per 1M output tokens: a call with N output tokens costs exactly N micro-dollars. */
const MODEL = {
  id: "budget-model",
  provider: "fake",
  tier: "nano",
  inputMicrosPerM: 0,
  cachedInputMicrosPerM: 0,
  outputMicrosPerM: 1_000_000,
  priceAsOf: "2025-11-01",
} as const;

let orgs = 0;
/** A fresh department with one team, so each test's spend is its own. */
function org() {
  orgs++;
  const departmentId = database
    .insert(departments)
    .values({ name: `Dept ${orgs}`, costCentre: `CC-${orgs}` })
    .returning({ id: departments.id })
    .get().id;
  const teamId = database
    .insert(teams)
    .values({ name: `Team ${orgs}`, departmentId })
    .returning({ id: teams.id })
    .get().id;
  return { teamId, departmentId };
}

function spend(on: Db, who: { teamId: number | null; departmentId: number | null }, micros: number, at?: Date) {
  const { id } = recordCall(on, {
    model: MODEL,
    purpose: "target",
    tokens: { input: 0, output: micros },
    latencyMs: 5,
    status: "ok",
    tags: { userId: null, courseId: null, exerciseId: null, attemptId: null, ...who },
  });
  if (at) database.update(modelCalls).set({ createdAt: at }).where(eq(modelCalls.id, id)).run();
}

function ledgerTotal(teamId: number): number {
  return database
    .select({ total: sql<number>`coalesce(sum(${modelCalls.costMicros}), 0)` })
    .from(modelCalls)
    .where(eq(modelCalls.teamId, teamId))
    .get()!.total;
}

function heldCount(teamId: number): number {
  return database
    .select()
    .from(budgetReservations)
    .where(and(eq(budgetReservations.teamId, teamId), eq(budgetReservations.status, "held")))
    .all().length;
}

const reserveFor = (who: ReturnType<typeof org>, amountMicros: number, now = NOW, on = database) =>
  reserve(on, { ...who, attemptId: null, amountMicros, now });

describe("setBudget", () => {
  it("creates a budget, then replaces its limit and warn threshold", () => {
    const { teamId } = org();
    setBudget(database, { scope: "team", scopeId: teamId, monthlyLimitMicros: 1_000_000 });
    setBudget(database, { scope: "team", scopeId: teamId, monthlyLimitMicros: 2_000_000, warnPercent: 50 });
    const rows = database
      .select()
      .from(budgets)
      .where(and(eq(budgets.scope, "team"), eq(budgets.scopeId, teamId)))
      .all();
    expect(rows.map((r) => [r.monthlyLimitMicros, r.warnPercent])).toEqual([[2_000_000, 50]]);
  });

  it("refuses a negative or fractional limit and a warn threshold outside 1–100", () => {
    const { teamId } = org();
    const set = (monthlyLimitMicros: number, warnPercent?: number) => () =>
      setBudget(database, { scope: "team", scopeId: teamId, monthlyLimitMicros, warnPercent });
    expect(set(-1)).toThrow(RangeError);
    expect(set(1.5)).toThrow(RangeError);
    expect(set(100, 0)).toThrow(RangeError);
    expect(set(100, 101)).toThrow(RangeError);
  });
});

describe("budgetStatus", () => {
  it("lists nothing when neither the team nor the department has a budget", () => {
    expect(budgetStatus(database, { ...org(), now: NOW })).toEqual([]);
    expect(budgetStatus(database, { teamId: null, departmentId: null, now: NOW })).toEqual([]);
  });

  it("reports limit, spend this month, holds, remaining, percent and state for team and department", () => {
    const who = org();
    setBudget(database, { scope: "team", scopeId: who.teamId, monthlyLimitMicros: 1_000_000, warnPercent: 80 });
    setBudget(database, { scope: "department", scopeId: who.departmentId, monthlyLimitMicros: 10_000_000 });
    spend(database, who, 600_000, new Date("2025-11-03T09:00:00Z"));
    expect(reserveFor(who, 250_000).ok).toBe(true);
    expect(budgetStatus(database, { ...who, now: NOW })).toEqual([
      {
        scope: "team",
        scopeId: who.teamId,
        limitMicros: 1_000_000,
        warnPercent: 80,
        spentMicros: 600_000,
        heldMicros: 250_000,
        remainingMicros: 150_000,
        percent: 85,
        state: "warn",
      },
      {
        scope: "department",
        scopeId: who.departmentId,
        limitMicros: 10_000_000,
        warnPercent: 80,
        spentMicros: 600_000,
        heldMicros: 250_000,
        remainingMicros: 9_150_000,
        percent: 8,
        state: "ok",
      },
    ]);
  });

  it("counts only the calendar month of `now` in UTC: spend in the previous or next month does not count", () => {
    const who = org();
    setBudget(database, { scope: "team", scopeId: who.teamId, monthlyLimitMicros: 1_000_000 });
    spend(database, who, 5_000_000, new Date("2025-10-31T23:59:59.999Z"));
    spend(database, who, 100_000, new Date("2025-11-01T00:00:00.000Z"));
    spend(database, who, 200_000, new Date("2025-11-30T23:59:59.999Z"));
    spend(database, who, 7_000_000, new Date("2025-12-01T00:00:00.000Z"));
    expect(budgetStatus(database, { ...who, now: NOW })[0].spentMicros).toBe(300_000);
    expect(budgetStatus(database, { ...who, now: new Date("2025-10-15T00:00:00Z") })[0].state).toBe("blocked");
    expect(reserveFor(who, 700_000).ok).toBe(true);
    expect(reserveFor(who, 1).ok).toBe(false);
  });

  it("reads spend from the running monthly totals, which follow every write-ahead state of the ledger exactly", () => {
    const who = org();
    setBudget(database, { scope: "team", scopeId: who.teamId, monthlyLimitMicros: 10_000_000 });
    setBudget(database, { scope: "department", scopeId: who.departmentId, monthlyLimitMicros: 10_000_000 });
    const tags = { userId: null, courseId: null, exerciseId: null, attemptId: null, ...who };
    const open = (key: string, estimateMicros: number) =>
      openCall(database, {
        model: MODEL,
        purpose: "target",
        tags,
        idempotencyKey: key,
        estimateMicros,
        owner: "x:1:ab",
      });
    const spent = () => budgetStatus(database, { ...who, now: NOW }).map((s) => s.spentMicros);
    const ledgerMonth = () =>
      database
        .select({ total: sql<number>`coalesce(sum(${modelCalls.costMicros}), 0)` })
        .from(modelCalls)
        .where(
          and(
            eq(modelCalls.teamId, who.teamId),
            sql`${modelCalls.createdAt} >= ${monthWindow(NOW).start.getTime()}`,
            sql`${modelCalls.createdAt} < ${monthWindow(NOW).end.getTime()}`,
          ),
        )
        .get()!.total;
    const inMonth = (key: string) =>
      database.update(modelCalls).set({ createdAt: NOW }).where(eq(modelCalls.idempotencyKey, key)).run();
    for (const key of ["a", "b", "c", "d"]) {
      open(key, 50_000);
      inMonth(key);
    }
    expect(spent()).toEqual([0, 0]);
    settleCall(database, "a", { model: MODEL, tokens: { input: 0, output: 1_234 }, latencyMs: 1, status: "ok" });
    closeUnknown(database, "b");
    markRejected(database, "c");
    closeRejected(database, "c");
    closeUnknown(database, "d", { model: MODEL, tokens: { input: 0, output: 777 }, latencyMs: 1 });
    // The truth arriving late for a row given up as unknown replaces its estimate.
    settleCall(database, "b", { model: MODEL, tokens: { input: 0, output: 40_000 }, latencyMs: 1, status: "ok" });
    expect(ledgerMonth()).toBe(1_234 + 40_000 + 777);
    expect(spent()).toEqual([ledgerMonth(), ledgerMonth()]);
    // A row moved out of the month, and one deleted, leave the month's totals as the ledger's sum.
    database
      .update(modelCalls)
      .set({ createdAt: new Date("2025-10-31T23:59:59.999Z") })
      .where(eq(modelCalls.idempotencyKey, "d"))
      .run();
    database.delete(modelCalls).where(eq(modelCalls.idempotencyKey, "a")).run();
    expect(spent()).toEqual([40_000, 40_000]);
    expect(ledgerMonth()).toBe(40_000);
  });

  it("monthWindow spans the first of the month to the first of the next, in UTC, across a year end", () => {
    expect(monthWindow(new Date("2025-12-31T23:30:00-05:00"))).toEqual({
      start: new Date("2026-01-01T00:00:00Z"),
      end: new Date("2026-02-01T00:00:00Z"),
    });
  });
});

describe("reserve", () => {
  it("holds the amount when every applicable budget has room, and always when there is no budget", () => {
    const who = org();
    const held = reserveFor(who, 5_000_000);
    expect(held).toEqual({ ok: true, reservationId: expect.any(Number), warnings: [] });
    setBudget(database, { scope: "team", scopeId: who.teamId, monthlyLimitMicros: 6_000_000 });
    expect(reserveFor(who, 1_000_000).ok).toBe(true);
    expect(reserveFor(who, 1).ok).toBe(false);
  });

  it("warns once a reservation takes a budget past its warn threshold, naming that budget", () => {
    const who = org();
    setBudget(database, { scope: "department", scopeId: who.departmentId, monthlyLimitMicros: 1_000_000 });
    const below = reserveFor(who, 790_000);
    expect(below).toMatchObject({ ok: true, warnings: [] });
    const past = reserveFor(who, 20_000);
    expect(past.ok && past.warnings).toEqual([
      "Your department's monthly model budget is 81% used or reserved ($0 spent and $0.81 reserved of $1.00); live grading pauses when it runs out and resumes on 1 December.",
    ]);
  });

  it("refuses with a sentence naming the exhausted team budget, its limit and when it renews", () => {
    const who = org();
    setBudget(database, { scope: "team", scopeId: who.teamId, monthlyLimitMicros: 50_000_000 });
    setBudget(database, { scope: "department", scopeId: who.departmentId, monthlyLimitMicros: 500_000_000 });
    spend(database, who, 50_000_000);
    const now = new Date();
    const result = reserveFor(who, 10_000, now);
    expect(result.ok).toBe(false);
    const renews = monthWindow(now).end.toLocaleDateString("en-GB", { day: "numeric", month: "long", timeZone: "UTC" });
    expect(!result.ok && result.message).toMatch(
      new RegExp(
        `^Your team's monthly model budget \\(\\$50\\.00\\) is used up: live grading is paused until ${renews}( \\d{4})?; your attempt is graded by the offline judge instead\\.$`,
      ),
    );
  });

  it("names the department budget when it is the one that runs out, and says when an attempt costs more than is left", () => {
    const who = org();
    setBudget(database, { scope: "team", scopeId: who.teamId, monthlyLimitMicros: 50_000_000 });
    setBudget(database, { scope: "department", scopeId: who.departmentId, monthlyLimitMicros: 1_000_000 });
    spend(database, who, 980_000, new Date("2025-11-02T00:00:00Z"));
    const result = reserveFor(who, 50_000);
    expect(!result.ok && result.message).toBe(
      "Your department's monthly model budget ($1.00) has $0.02 left, less than this attempt may cost ($0.05): " +
        "your attempt is graded by the offline judge instead. The budget renews on 1 December.",
    );
  });

  it("gives the year of the renewal date in December", () => {
    const who = org();
    setBudget(database, { scope: "team", scopeId: who.teamId, monthlyLimitMicros: 0 });
    const result = reserveFor(who, 1, new Date("2025-12-20T00:00:00Z"));
    expect(!result.ok && result.message).toContain("paused until 1 January 2026;");
  });

  it("refuses a negative or fractional amount", () => {
    expect(() => reserveFor(org(), -1)).toThrow(RangeError);
    expect(() => reserveFor(org(), 0.5)).toThrow(RangeError);
  });
});

describe("settle, release, releaseStale", () => {
  it("a settled reservation stops counting as held; its real cost counts from the ledger instead", () => {
    const who = org();
    setBudget(database, { scope: "team", scopeId: who.teamId, monthlyLimitMicros: 1_000_000 });
    const r = reserveFor(who, 400_000);
    if (!r.ok) throw new Error(r.message);
    spend(database, who, 300_000, new Date("2025-11-15T12:00:01Z"));
    expect(settle(database, r.reservationId)).toBe(true);
    expect(budgetStatus(database, { ...who, now: NOW })[0]).toMatchObject({ spentMicros: 300_000, heldMicros: 0 });
    expect(settle(database, r.reservationId)).toBe(false);
    expect(release(database, r.reservationId)).toBe(false);
  });

  it("a released reservation frees its amount", () => {
    const who = org();
    setBudget(database, { scope: "team", scopeId: who.teamId, monthlyLimitMicros: 1_000_000 });
    const r = reserveFor(who, 1_000_000);
    expect(reserveFor(who, 1).ok).toBe(false);
    expect(r.ok && release(database, r.reservationId)).toBe(true);
    expect(reserveFor(who, 1_000_000).ok).toBe(true);
  });

  it("releaseStale frees only holds older than the given age", () => {
    const who = org();
    const hour = 3_600_000;
    reserveFor(who, 10, new Date(NOW.getTime() - 2 * hour));
    reserveFor(who, 10, new Date(NOW.getTime() - 0.5 * hour));
    expect(releaseStale(database, hour, NOW)).toBe(1);
    expect(heldCount(who.teamId)).toBe(1);
  });

  it("releaseStale keeps an old hold whose grading job a live worker has leased, and frees it once the lease lapses", () => {
    const who = org();
    const hour = 3_600_000;
    // The hold's attempt and job, inserted bare (this file has no exercises to attempt): foreign keys off meanwhile.
    const attemptId = 900_000 + orgs;
    database.$client.pragma("foreign_keys = OFF");
    try {
      database
        .insert(gradingJobs)
        .values({ attemptId, stage: "target", nextRunAt: NOW, leaseUntil: new Date(NOW.getTime() + 60_000) })
        .run();
      const r = reserve(database, { ...who, attemptId, amountMicros: 10, now: new Date(NOW.getTime() - 2 * hour) });
      expect(r.ok).toBe(true);
    } finally {
      database.$client.pragma("foreign_keys = ON");
    }
    expect(releaseStale(database, hour, NOW)).toBe(0);
    expect(heldCount(who.teamId)).toBe(1);
    expect(releaseStale(database, hour, new Date(NOW.getTime() + 61_000))).toBe(1);
    expect(heldCount(who.teamId)).toBe(0);
  });
});

describe("50 concurrent reservations against a budget that allows 10", () => {
  const AMOUNT = 50_000;
  const LIMIT = 10 * AMOUNT;

  function raceOrg() {
    const who = org();
    setBudget(database, { scope: "team", scopeId: who.teamId, monthlyLimitMicros: LIMIT });
    setBudget(database, { scope: "department", scopeId: who.departmentId, monthlyLimitMicros: 100 * LIMIT });
    return who;
  }

  /** Samples the ledger while the race runs, to check it never exceeds the limit at any point. */
  function watchLedger(teamId: number) {
    let max = 0;
    const timer = setInterval(() => {
      max = Math.max(max, ledgerTotal(teamId));
    }, 1);
    return () => {
      clearInterval(timer);
      return Math.max(max, ledgerTotal(teamId));
    };
  }

  it("lets exactly 10 through across 5 connections to the same file, interleaved with real waits", async () => {
    const who = raceOrg();
    const connections = Array.from({ length: 5 }, () => openDb(dbPath));
    extraConnections.push(...connections);
    const stop = watchLedger(who.teamId);
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const on = connections[i % connections.length];
        await sleep(Math.random() * 5);
        const r = reserveFor(who, AMOUNT, new Date(), on);
        if (!r.ok) return r;
        await sleep(Math.random() * 20);
        spend(on, who, AMOUNT);
        settle(on, r.reservationId);
        return r;
      }),
    );
    const maxLedger = stop();
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(
      results.filter((r) => !r.ok).every((r) => !r.ok && /^Your team's monthly model budget/.test(r.message)),
    ).toBe(true);
    expect(maxLedger).toBe(LIMIT);
    expect(heldCount(who.teamId)).toBe(0);
  });

  it("lets exactly 10 through across 5 processes racing on the same file", async () => {
    const who = raceOrg();
    const worker = resolve("test/integration/budget-race.worker.ts");
    const children = Array.from({ length: 5 }, () =>
      spawn(
        process.execPath,
        ["--import", "tsx", worker, dbPath, String(who.teamId), String(who.departmentId), "10", String(AMOUNT)],
        { cwd: process.cwd(), stdio: "pipe" },
      ),
    );
    const outputs = children.map(collectLines);
    try {
      // Start together: every child has opened the database before any of them reserves.
      await Promise.all(outputs.map((o) => o.next()));
      const stop = watchLedger(who.teamId);
      for (const child of children) child.stdin.write("go\n");
      const results = (await Promise.all(outputs.map((o) => o.next()))).flatMap(
        (line) => JSON.parse(line) as { ok: boolean; message?: string }[],
      );
      const maxLedger = stop();
      expect(results).toHaveLength(50);
      expect(results.filter((r) => r.ok)).toHaveLength(10);
      expect(results.filter((r) => !r.ok).every((r) => r.message?.startsWith("Your team's monthly model budget"))).toBe(
        true,
      );
      expect(maxLedger).toBe(LIMIT);
      expect(heldCount(who.teamId)).toBe(0);
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill();
    }
  });
});

/** Reads a child's stdout line by line; rejects with its stderr if it exits before the next line. */
function collectLines(child: ChildProcessWithoutNullStreams) {
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = "";
  let stderr = "";
  let exited: Error | undefined;
  const failures: ((error: Error) => void)[] = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const waiter = waiting.shift();
      failures.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.on("close", (code) => {
    exited = new Error(`race worker exited with ${code}: ${stderr}`);
    for (const fail of failures.splice(0)) fail(exited);
    waiting.length = 0;
  });
  return {
    next(): Promise<string> {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (exited) return Promise.reject(exited);
      return new Promise((resolveLine, reject) => {
        waiting.push(resolveLine);
        failures.push(reject);
      });
    },
  };
}
