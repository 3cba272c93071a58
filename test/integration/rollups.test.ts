import { and, asc, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, bestScores, modelCalls, users } from "#db/schema";
import { progressGrid } from "~/.server/dashboard/grid";
import { departmentBoard, learnerBoard, teamBoard } from "~/.server/dashboard/leaderboards";
import { rebuildRollups, recordBest } from "~/.server/dashboard/rollup";
import { db } from "~/.server/db";
import { budgetBoard } from "~/.server/finops/budget-board";
import { showback } from "~/.server/finops/showback";
import { closeRejected, closeUnknown, markRejected, markSending, openCall, settleCall } from "~/.server/ledger";
import type { ModelInfo } from "~/domain/models";
import { NOW, type Org, seedOrg } from "./org-fixture";

/**
 * The rollups answer exactly what grouping the raw attempts and ledger answers: the boards, the grid and
 * the showback compared source by source on the fixture organisation, and the incremental path
 * (recordBest, the ledger triggers) compared with a rebuild.
 */

let org: Org;
beforeAll(async () => {
  org = await seedOrg();
});

const ADMIN = { all: true, teamIds: [], departmentIds: [] };
const MARCH = {
  from: new Date("2026-03-01T00:00:00Z"),
  to: new Date("2026-04-01T00:00:00Z"),
  fromDate: "2026-03-01",
  toDate: "2026-04-01",
};
// A period of whole days that is not a calendar month: daily rows before and after the whole month of February.
const ODD = {
  from: new Date("2026-01-20T00:00:00Z"),
  to: new Date("2026-03-18T00:00:00Z"),
  fromDate: "2026-01-20",
  toDate: "2026-03-18",
};

const SUMS = "calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros";
const TEAM_KEYS = "grain, period_start, department_id, team_id";
const teamRollupRows = () =>
  db()
    .$client.prepare(`select ${TEAM_KEYS}, ${SUMS} from ledger_team_rollup where calls <> 0 order by ${TEAM_KEYS}`)
    .raw()
    .all();
const teamRollupFromFull = () =>
  db()
    .$client.prepare(
      `select ${TEAM_KEYS}, ${SUMS.split(", ").map((c) => `sum(${c})`)} from ledger_rollup group by ${TEAM_KEYS}
        having sum(calls) <> 0 order by ${TEAM_KEYS}`,
    )
    .raw()
    .all();

const rollupRows = () =>
  db()
    .select()
    .from(bestScores)
    .orderBy(asc(bestScores.period), asc(bestScores.periodStart), asc(bestScores.userId), asc(bestScores.exerciseId))
    .all();

describe("best_scores rollup", () => {
  it("gives every board and window the same rows as grouping the attempts", () => {
    for (const board of [learnerBoard, teamBoard, departmentBoard])
      for (const window of ["week", "month", "all"] as const)
        expect(board(db(), { window, now: NOW })).toEqual(board(db(), { window, now: NOW, source: "attempts" }));
  });

  it("gives the progress grid the same cells as grouping the attempts, for a manager and for the admin", () => {
    const mia = { all: false, teamIds: [org.team.alpha], departmentIds: [] };
    expect(progressGrid(db(), mia)).toEqual(progressGrid(db(), mia, "attempts"));
    expect(progressGrid(db(), ADMIN)).toEqual(progressGrid(db(), ADMIN, "attempts"));
  });

  it("follows a learner who changes team into the other team's grid cells (the users trigger)", () => {
    const mover = db()
      .select({ userId: attempts.userId })
      .from(attempts)
      .innerJoin(users, eq(users.id, attempts.userId))
      .where(and(eq(attempts.status, "scored"), eq(users.teamId, org.team.alpha)))
      .get();
    expect(mover).toBeDefined();
    db().update(users).set({ teamId: org.team.beta }).where(eq(users.id, mover!.userId)).run();
    const grid = progressGrid(db(), ADMIN);
    expect(grid).toEqual(progressGrid(db(), ADMIN, "attempts"));
    db().update(users).set({ teamId: org.team.alpha }).where(eq(users.id, mover!.userId)).run();
    expect(progressGrid(db(), ADMIN)).toEqual(progressGrid(db(), ADMIN, "attempts"));
    expect(progressGrid(db(), ADMIN)).not.toEqual(grid);
  });

  it("recordBest, attempt by attempt, builds the same table as rebuildRollups", () => {
    const rebuilt = rollupRows();
    expect(rebuilt.length).toBeGreaterThan(0);
    db().delete(bestScores).run();
    const scored = db().select().from(attempts).where(eq(attempts.status, "scored")).orderBy(asc(attempts.id)).all();
    for (const a of scored) recordBest(db(), a);
    expect(rollupRows()).toEqual(rebuilt);
    rebuildRollups(db());
    expect(rollupRows()).toEqual(rebuilt);
  });
});

describe("ledger rollup", () => {
  it("gives the showback and budgets the same figures as the ledger, for a month and for odd days", () => {
    for (const period of [MARCH, ODD])
      expect(showback(db(), ADMIN, period)).toEqual(showback(db(), ADMIN, period, "ledger"));
    const ola = { all: false, teamIds: [], departmentIds: [org.dept.support] };
    expect(showback(db(), ola, MARCH)).toEqual(showback(db(), ola, MARCH, "ledger"));
    expect(budgetBoard(db(), ADMIN, NOW)).toEqual(budgetBoard(db(), ADMIN, NOW, "ledger"));
  });

  it("follows the write-ahead ledger's updates: settled, rejected and sent again, closed unknown or at $0", () => {
    // Rows kept by their keys move the rollups by the difference of their sums only (0025); status-only updates
    // (a rejection, a resend) leave them alone. Each step must leave showback equal to the raw ledger.
    const [row] = db().select().from(modelCalls).orderBy(asc(modelCalls.id)).limit(1).all();
    const model = {
      id: row.model,
      provider: row.provider,
      tier: row.tier as ModelInfo["tier"],
      inputMicrosPerM: row.inputMicrosPerM,
      cachedInputMicrosPerM: row.cachedInputMicrosPerM,
      outputMicrosPerM: row.outputMicrosPerM,
      priceAsOf: row.priceAsOf,
    };
    const tags = {
      userId: row.userId,
      teamId: row.teamId,
      departmentId: row.departmentId,
      courseId: row.courseId,
      exerciseId: row.exerciseId,
      attemptId: row.attemptId,
    };
    // Every grain's rollup rows against the raw ledger grouped the same way.
    const starts = {
      day: "cast(created_at / 86400000 as integer) * 86400000",
      month: "unixepoch(date(created_at / 1000, 'unixepoch', 'start of month')) * 1000",
      all: "0",
    };
    const keys = "period_start, department_id, team_id, course_id, provider, model, tier, purpose";
    const sums = "calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros";
    const same = () => {
      for (const [grain, start] of Object.entries(starts)) {
        const rolled = db()
          .$client.prepare(`select ${keys}, ${sums} from ledger_rollup where grain = ? and calls <> 0 order by ${keys}`)
          .raw()
          .all(grain);
        const raw = db()
          .$client.prepare(
            `select ${start} as period_start, coalesce(department_id, 0), coalesce(team_id, 0), coalesce(course_id, 0),
               provider, model, tier, purpose, count(*), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens),
               sum(cost_micros), sum(cache_hit), sum(saved_micros)
             from model_calls group by 1, 2, 3, 4, 5, 6, 7, 8 order by 1, 2, 3, 4, 5, 6, 7, 8`,
          )
          .raw()
          .all();
        expect(rolled, grain).toEqual(raw);
      }
      for (const period of [MARCH, ODD])
        expect(showback(db(), ADMIN, period)).toEqual(showback(db(), ADMIN, period, "ledger"));
    };
    const open = (key: string) =>
      openCall(db(), {
        model,
        purpose: "target",
        tags,
        idempotencyKey: key,
        estimateMicros: 1_234,
        owner: "test:1:ab",
      });
    for (const key of ["rollup-a", "rollup-b", "rollup-c"]) open(key);
    // Dated into the fixture's March, like its rows.
    db().update(modelCalls).set({ createdAt: row.createdAt }).where(like(modelCalls.idempotencyKey, "rollup-%")).run();
    same();
    markRejected(db(), "rollup-a");
    markSending(db(), "rollup-a");
    same();
    settleCall(db(), "rollup-a", {
      model,
      tokens: { input: 700, cachedInput: 100, output: 90 },
      latencyMs: 5,
      status: "ok",
    });
    closeUnknown(db(), "rollup-b");
    markRejected(db(), "rollup-c");
    closeRejected(db(), "rollup-c");
    same();
    // The truth arriving late for a row given up as unknown replaces its estimate.
    settleCall(db(), "rollup-b", { model, tokens: { input: 10, output: 2 }, latencyMs: 5, status: "ok" });
    same();
  });

  it("follows a ledger row that is back-dated and one that is deleted (the triggers)", () => {
    const [first, second] = db().select().from(modelCalls).orderBy(asc(modelCalls.id)).limit(2).all();
    db()
      .update(modelCalls)
      .set({ createdAt: new Date("2026-01-25T09:00:00Z") })
      .where(eq(modelCalls.id, first.id))
      .run();
    db().delete(modelCalls).where(eq(modelCalls.id, second.id)).run();
    for (const period of [MARCH, ODD])
      expect(showback(db(), ADMIN, period)).toEqual(showback(db(), ADMIN, period, "ledger"));
    expect(teamBoard(db(), { window: "all", now: NOW })).toEqual(
      teamBoard(db(), { window: "all", now: NOW, source: "attempts" }),
    );
    // The organisation's rollup (kept from ledger_rollup by its own triggers) is ledger_rollup without the team.
    const keys = "grain, period_start, department_id, course_id, provider, model, tier, purpose";
    const sums = "calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros";
    const summed = sums.split(", ").map((c) => `sum(${c})`);
    const org = db().$client.prepare(`select ${keys}, ${sums} from ledger_org_rollup order by ${keys}`).raw().all();
    const grouped = db()
      .$client.prepare(
        `select ${keys}, ${summed} from ledger_rollup where grain <> 'all' group by ${keys} order by ${keys}`,
      )
      .raw()
      .all();
    expect(org.length).toBeGreaterThan(0);
    expect(org).toEqual(grouped);
    expect(teamRollupRows()).toEqual(teamRollupFromFull());
  });

  it("keeps the coarser rollups exact when a ledger_rollup key changes (the rekey triggers)", () => {
    const s = db().$client;
    const row = s.prepare("select * from ledger_rollup where grain = 'day' and calls > 0 limit 1").get() as {
      team_id: number;
      period_start: number;
    };
    expect(row).toBeDefined();
    // Move the row to another day and team, as a retention or repair job might.
    s.prepare(
      "update ledger_rollup set period_start = period_start + 86400000 * 400, team_id = team_id + 1000 where grain = 'day' and period_start = ? and team_id = ?",
    ).run(row.period_start, row.team_id);
    expect(teamRollupRows()).toEqual(teamRollupFromFull());
    const keys = "grain, period_start, department_id, course_id, provider, model, tier, purpose";
    const summed = SUMS.split(", ").map((c) => `sum(${c})`);
    expect(
      s.prepare(`select ${keys}, ${SUMS} from ledger_org_rollup where calls <> 0 order by ${keys}`).raw().all(),
    ).toEqual(
      s
        .prepare(
          `select ${keys}, ${summed} from ledger_rollup where grain <> 'all' group by ${keys} having sum(calls) <> 0 order by ${keys}`,
        )
        .raw()
        .all(),
    );
  });
});
