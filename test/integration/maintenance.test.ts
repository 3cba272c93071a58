import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { attempts, budgetReservations, callCache, xapiStatements } from "#db/schema";
import { config, resetConfigForTests } from "~/.server/config";
import { db } from "~/.server/db";
import { type MaintenanceReport, runMaintenance, staleHoldMs, startMaintenance } from "~/.server/maintenance";
import { statementId } from "~/.server/xapi";
import { action as exerciseAction } from "~/routes/exercises.$slug";
import { loader as xapiPage } from "~/routes/xapi._index";
import { type FakeLrs, startFakeLrs } from "../fakes/lrs-server";
import { call, firstExerciseSlug, get, makeUser, post, ready, unwrap } from "./harness";

/**
 * Maintenance against a real database: a learner's graded attempt reaches an LRS configured the way
 * a deployment configures it (XAPI_LRS_URL), expired cache rows go, and only stale budget holds are
 * released. Time is injected (`NOW`), never read from the wall clock.
 */

const NOW = new Date("2026-04-01T12:00:00Z");
const MINUTE = 60_000;
const PUBLIC_URL = "https://tokenwise.example.com";

let lrs: FakeLrs;
let learnerCookie: string;
let adminCookie: string;
let slug: string;

beforeAll(async () => {
  lrs = await startFakeLrs();
  // Configured as a deployment would be: through the environment, read by config().
  process.env.XAPI_LRS_URL = lrs.url;
  process.env.XAPI_LRS_USERNAME = "lrs-user";
  process.env.XAPI_LRS_PASSWORD = "lrs-pass-0123";
  process.env.PUBLIC_URL = PUBLIC_URL;
  resetConfigForTests();
  await ready();
  slug = firstExerciseSlug();
  learnerCookie = (await makeUser()).cookie;
  adminCookie = (await makeUser({ roles: ["admin"] })).cookie;
});

afterAll(async () => {
  // The environment outlives this file in its worker: leave it as it was found.
  for (const name of ["XAPI_LRS_URL", "XAPI_LRS_USERNAME", "XAPI_LRS_PASSWORD", "PUBLIC_URL"]) delete process.env[name];
  resetConfigForTests();
  await lrs.close();
});

/** A learner submits through the real exercise action; with no provider it is graded at once. */
async function gradedAttempt(): Promise<number> {
  const prompt = "Summarise the ticket in two sentences. Return JSON with keys summary and priority.";
  const res = (await call(exerciseAction, post(`/exercises/${slug}`, { intent: "submit", prompt }, learnerCookie), {
    slug,
  })) as Response;
  const id = Number((res.headers.get("Location") ?? "").match(/^\/attempts\/(\d+)$/)?.[1]);
  expect(db().select({ status: attempts.status }).from(attempts).where(eq(attempts.id, id)).get()?.status).toBe(
    "scored",
  );
  return id;
}

function cacheRow(key: string, expiresAt: Date) {
  return db()
    .insert(callCache)
    .values({
      exactKey: key,
      scopeKey: `scope-${key}`,
      model: "fake:model",
      purpose: "target",
      promptText: "p",
      responseText: "r",
      inputTokens: 10,
      outputTokens: 5,
      costMicros: 20,
      createdAt: new Date(expiresAt.getTime() - 60 * MINUTE),
      expiresAt,
    })
    .returning({ id: callCache.id })
    .get().id;
}

function hold(createdAt: Date, status: "held" | "settled" = "held") {
  return db()
    .insert(budgetReservations)
    .values({ teamId: null, departmentId: null, attemptId: null, amountMicros: 5000, status, createdAt })
    .returning({ id: budgetReservations.id })
    .get().id;
}

const holdStatus = (id: number) =>
  db().select({ status: budgetReservations.status }).from(budgetReservations).where(eq(budgetReservations.id, id)).get()
    ?.status;
const cacheIds = () =>
  db()
    .select({ id: callCache.id })
    .from(callCache)
    .all()
    .map((r) => r.id);
const receivedIds = () => lrs.received.flatMap((r) => r.body.map((s) => s.id));

describe("one maintenance run", () => {
  let attemptId: number;
  let report: MaintenanceReport;
  let expired: number;
  let live: number;
  let stale: number;
  let fresh: number;
  let oldSettled: number;

  beforeAll(async () => {
    attemptId = await gradedAttempt();
    expired = cacheRow("expired", new Date(NOW.getTime() - MINUTE));
    live = cacheRow("live", new Date(NOW.getTime() + 60 * MINUTE));
    const age = staleHoldMs(config());
    stale = hold(new Date(NOW.getTime() - age - MINUTE));
    fresh = hold(new Date(NOW.getTime() - 5 * MINUTE));
    oldSettled = hold(new Date(NOW.getTime() - age - MINUTE), "settled");
    // Default deps: the LRS, fetch and stale-hold age all come from the configuration.
    report = await runMaintenance(db(), NOW);
  });

  it("delivers the graded attempt's statement to the configured LRS and marks it sent", () => {
    expect(report.errors).toEqual([]);
    expect(report.xapi).toMatchObject({ configured: true, queued: 1, sent: 1, error: null });
    const id = statementId(PUBLIC_URL, attemptId);
    expect(receivedIds()).toEqual([id]);
    const delivered = lrs.received[0].body[0];
    expect(delivered.actor.mbox).toMatch(/^mailto:user\d+-\d+@tokenwise\.example$/);
    expect(delivered.object.id).toBe(`${PUBLIC_URL}/exercises/${slug}`);
    const row = db().select().from(xapiStatements).where(eq(xapiStatements.attemptId, attemptId)).get();
    expect(row?.sentAt).toBeInstanceOf(Date);
  });

  it("deletes the expired cache entry and keeps the live one", () => {
    expect(report.cachePurged).toBe(1);
    expect(cacheIds()).toContain(live);
    expect(cacheIds()).not.toContain(expired);
  });

  it("releases the stale budget hold, keeps the fresh one held and leaves a settled one alone", () => {
    expect(report.holdsReleased).toBe(1);
    expect(holdStatus(stale)).toBe("released");
    expect(holdStatus(fresh)).toBe("held");
    expect(holdStatus(oldSettled)).toBe("settled");
  });

  it("does nothing twice: a second run sends, purges and releases nothing more", async () => {
    const again = await runMaintenance(db(), NOW);
    expect(again).toMatchObject({ cachePurged: 0, holdsReleased: 0, errors: [] });
    expect(again.xapi).toMatchObject({ queued: 0, sent: 0 });
    expect(lrs.received).toHaveLength(1);
  });
});

describe("when the LRS is down", () => {
  it("keeps the statement for the next run and still does the other jobs", async () => {
    const attemptId = await gradedAttempt();
    const expired = cacheRow("expired-2", new Date(NOW.getTime() - MINUTE));
    lrs.failNext(1);
    const down = await runMaintenance(db(), NOW);
    expect(down.errors).toEqual([{ job: "xapi", message: "LRS answered HTTP 503: LRS is down" }]);
    expect(down.cachePurged).toBe(1);
    expect(cacheIds()).not.toContain(expired);
    expect(receivedIds()).not.toContain(statementId(PUBLIC_URL, attemptId));

    const back = await runMaintenance(db(), NOW);
    expect(back.errors).toEqual([]);
    expect(receivedIds()).toContain(statementId(PUBLIC_URL, attemptId));
  });
});

describe("the scheduler", () => {
  it("sends a new graded attempt's statement on its own every interval, and the /xapi page says so", async () => {
    // Only the interval timer is faked: the database and the loopback LRS run for real.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const reports: MaintenanceReport[] = [];
    let ran: () => void = () => {};
    const stop = startMaintenance({
      intervalSeconds: 60,
      clock: () => NOW,
      onReport: (r) => {
        reports.push(r);
        ran();
      },
    });
    try {
      const attemptId = await gradedAttempt();
      lrs.failNext(1);
      const firstRun = new Promise<void>((resolve) => (ran = resolve));
      vi.advanceTimersByTime(60_000);
      await firstRun;
      expect(reports[0].errors.map((e) => e.job)).toEqual(["xapi"]);

      const secondRun = new Promise<void>((resolve) => (ran = resolve));
      vi.advanceTimersByTime(60_000);
      await secondRun;
      expect(reports).toHaveLength(2);
      expect(receivedIds()).toContain(statementId(PUBLIC_URL, attemptId));

      const page = unwrap<{
        lrs: { everySeconds: number; lastRunAt: string; lastAutoError: { at: string; message: string } | null };
      }>(await call(xapiPage, get("/xapi", adminCookie)));
      expect(page.body.lrs.everySeconds).toBe(60);
      expect(page.body.lrs.lastRunAt).toBe(NOW.toISOString());
      expect(page.body.lrs.lastAutoError).toEqual({
        at: NOW.toISOString(),
        message: "LRS answered HTTP 503: LRS is down",
      });
    } finally {
      await stop();
      vi.useRealTimers();
    }
  });
});
