import { eq } from "drizzle-orm";
import {
  attempts,
  departmentHeads,
  departments,
  exercises,
  exerciseVersions,
  modelCalls,
  type Role,
  teamManagers,
  teams,
  userRoles,
  users,
} from "#db/schema";
import { createSession } from "~/.server/auth";
import { rebuildRollups } from "~/.server/dashboard/rollup";
import { db } from "~/.server/db";
import type { ExerciseFile } from "~/domain/exercise";
import { ready } from "./harness";

/**
 * A small organisation with known answers, for the leaderboard, dashboard and xAPI tests.
 *
 * Fixture "now" is Wednesday 2026-03-18 12:00 UTC (week from Monday 03-16, month from 03-01).
 * Exercises (real content): compress-ticket-summary (compression, difficulty 1, small tier,
 * 1,200,000 calls/month), route-to-nano (model-tiering, 2, nano, 6,000,000/month),
 * keep-the-safety-rules (safety, 4, medium, 750,000/month).
 *
 * Fixture Support (CC-FX1): Alpha = Ana Heavy (11 attempts), Ben Alpha (1), Cal Alpha (none);
 *   Beta = Dee Beta, Eve Beta (identical results: a tie); Gamma = Fay Gamma, "=Gus Gamma" (no attempts).
 * Fixture Finance (CC-FX2): Delta = Hal Delta (a pass 40 days ago, a fail this week).
 * Mia Manager manages Alpha; Ned Manager manages Delta; Ola Head heads Fixture Support; Pat Admin.
 */

export const NOW = new Date("2026-03-18T12:00:00Z");
const DAY = 24 * 3600 * 1000;
export const THIS_WEEK = new Date("2026-03-17T10:00:00Z");
export const TWO_WEEKS_AGO = new Date("2026-03-03T10:00:00Z");
export const FORTY_DAYS_AGO = new Date(NOW.getTime() - 40 * DAY);

export const C = "compress-ticket-summary";
export const R = "route-to-nano";
export const S = "keep-the-safety-rules";

export interface Org {
  dept: { support: number; finance: number };
  team: { alpha: number; beta: number; gamma: number; delta: number };
  user: Record<
    "ana" | "ben" | "cal" | "dee" | "eve" | "fay" | "gus" | "hal" | "mia" | "ned" | "ola" | "pat",
    { id: number; cookie: string; name: string }
  >;
  /** Ana's best passing compress attempt (score 1000, 100 tokens). */
  anaBestCompress: number;
  /** Hal's attempts: the pass 40 days ago and the fail this week. */
  halOld: number;
  halFail: number;
}

interface Spec {
  score: number;
  passed: boolean;
  at: Date;
  promptTokens: number;
  baselineTokens: number;
  monthly: number;
  baselineMonthly: number;
}

function exerciseRow(slug: string) {
  const row = db()
    .select({ id: exercises.id, versionId: exercises.currentVersionId, content: exerciseVersions.content })
    .from(exercises)
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .where(eq(exercises.slug, slug))
    .get();
  if (!row?.versionId) throw new Error(`fixture needs the exercise ${slug}`);
  return { id: row.id, versionId: row.versionId, model: (row.content as ExerciseFile).model };
}

function addAttempt(userId: number, teamId: number | null, slug: string, s: Spec): number {
  const ex = exerciseRow(slug);
  const perCall = Math.round(s.monthly / 1000);
  return db()
    .insert(attempts)
    .values({
      userId,
      teamId,
      exerciseId: ex.id,
      exerciseVersionId: ex.versionId,
      modelId: ex.model,
      prompt: `fixture prompt ${slug} ${s.score}`,
      status: "scored",
      judge: "offline-judge@1",
      passed: s.passed,
      score: s.score,
      quality: Math.round(s.score / 10),
      efficiency: 50,
      promptTokens: s.promptTokens,
      baselineTokens: s.baselineTokens,
      costPerCallMicros: perCall,
      baselineCostPerCallMicros: Math.round(s.baselineMonthly / 1000),
      monthlyCostMicros: s.monthly,
      baselineMonthlyCostMicros: s.baselineMonthly,
      // Only what the manager's attempt page reads; the full breakdown is not needed here.
      result: {
        tokens: { prompt: s.promptTokens, baseline: s.baselineTokens },
        cost: { baselinePerCallMicros: Math.round(s.baselineMonthly / 1000), baselineMonthlyMicros: s.baselineMonthly },
      },
      createdAt: s.at,
      gradedAt: new Date(s.at.getTime() + 1500),
    })
    .returning({ id: attempts.id })
    .get().id;
}

function addUser(name: string, teamId: number | null, roles: Role[] = []): number {
  const id = db()
    .insert(users)
    .values({
      email: `${name
        .replace(/[^a-z]+/gi, ".")
        .replace(/^\.|\.$/g, "")
        .toLowerCase()}@fixture.example`,
      name,
      passwordHash: "fixture-users-sign-in-by-session",
      teamId,
    })
    .returning({ id: users.id })
    .get().id;
  for (const role of new Set<Role>(["learner", ...roles])) db().insert(userRoles).values({ userId: id, role }).run();
  return id;
}

async function cookieFor(userId: number): Promise<string> {
  return (await createSession(userId)).split(";")[0];
}

export async function seedOrg(): Promise<Org> {
  await ready();
  const d = db();
  const dept = (name: string, costCentre: string) =>
    d.insert(departments).values({ name, costCentre }).returning({ id: departments.id }).get().id;
  const team = (name: string, departmentId: number) =>
    d.insert(teams).values({ name, departmentId }).returning({ id: teams.id }).get().id;
  const support = dept("Fixture Support", "CC-FX1");
  const finance = dept("Fixture Finance", "CC-FX2");
  const alpha = team("Alpha", support);
  const beta = team("Beta", support);
  const gamma = team("Gamma", support);
  const delta = team("Delta", finance);

  const ids = {
    ana: addUser("Ana Heavy", alpha),
    ben: addUser("Ben Alpha", alpha),
    cal: addUser("Cal Alpha", alpha),
    dee: addUser("Dee Beta", beta),
    eve: addUser("Eve Beta", beta),
    fay: addUser("Fay Gamma", gamma),
    gus: addUser("=Gus Gamma", gamma),
    hal: addUser("Hal Delta", delta),
    mia: addUser("Mia Manager", null, ["manager"]),
    ned: addUser("Ned Manager", null, ["manager"]),
    ola: addUser("Ola Head", null),
    pat: addUser("Pat Admin", null, ["admin"]),
  };
  d.insert(teamManagers).values({ userId: ids.mia, teamId: alpha }).run();
  d.insert(teamManagers).values({ userId: ids.ned, teamId: delta }).run();
  d.insert(departmentHeads).values({ userId: ids.ola, departmentId: support }).run();

  const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);
  const lesser = { promptTokens: 200, baselineTokens: 400, monthly: 4_000_000, baselineMonthly: 9_000_000 };

  // Ana, the heavy user: many compress attempts over two weeks, then passes on all three exercises.
  for (const [i, score] of [400, 600, 700, 800].entries())
    addAttempt(ids.ana, alpha, C, { ...lesser, score, passed: score >= 500, at: at(TWO_WEEKS_AGO, i) });
  for (const [i, score] of [850, 900, 950].entries())
    addAttempt(ids.ana, alpha, C, { ...lesser, score, passed: true, at: at(THIS_WEEK, i) });
  // Two attempts tie on 1000: the one with fewer tokens is the "best" for savings.
  addAttempt(ids.ana, alpha, C, {
    score: 1000,
    passed: true,
    at: at(THIS_WEEK, 3),
    promptTokens: 150,
    baselineTokens: 400,
    monthly: 3_000_000,
    baselineMonthly: 9_000_000,
  });
  const anaBestCompress = addAttempt(ids.ana, alpha, C, {
    score: 1000,
    passed: true,
    at: at(THIS_WEEK, 4),
    promptTokens: 100,
    baselineTokens: 400,
    monthly: 2_000_000,
    baselineMonthly: 9_000_000,
  });
  addAttempt(ids.ana, alpha, R, {
    score: 1000,
    passed: true,
    at: at(THIS_WEEK, 5),
    promptTokens: 50,
    baselineTokens: 250,
    monthly: 1_000_000,
    baselineMonthly: 4_000_000,
  });
  addAttempt(ids.ana, alpha, S, {
    score: 800,
    passed: true,
    at: at(THIS_WEEK, 6),
    promptTokens: 300,
    baselineTokens: 900,
    monthly: 10_000_000,
    baselineMonthly: 40_000_000,
  });

  addAttempt(ids.ben, alpha, C, {
    score: 500,
    passed: true,
    at: at(THIS_WEEK, 7),
    promptTokens: 200,
    baselineTokens: 400,
    monthly: 5_000_000,
    baselineMonthly: 9_000_000,
  });

  for (const [who, offset] of [
    [ids.dee, 8],
    [ids.eve, 10],
  ] as const) {
    addAttempt(who, beta, C, { ...lesser, score: 600, passed: true, at: at(THIS_WEEK, offset) });
    addAttempt(who, beta, R, {
      score: 600,
      passed: true,
      at: at(THIS_WEEK, offset + 1),
      promptTokens: 100,
      baselineTokens: 250,
      monthly: 2_000_000,
      baselineMonthly: 4_000_000,
    });
  }

  const halOld = addAttempt(ids.hal, delta, C, { ...lesser, score: 700, passed: true, at: FORTY_DAYS_AGO });
  const halFail = addAttempt(ids.hal, delta, C, { ...lesser, score: 300, passed: false, at: at(THIS_WEEK, 12) });

  // The ledger: Alpha spent $1.50 this week and $0.50 forty days ago; Delta $0.25 this week; Beta nothing.
  const spend = (userId: number, teamId: number, departmentId: number, costMicros: number, createdAt: Date) =>
    d
      .insert(modelCalls)
      .values({
        createdAt,
        provider: "openai",
        model: "gpt-4.1-mini",
        tier: "small",
        purpose: "judge",
        inputTokens: 1000,
        outputTokens: 100,
        inputMicrosPerM: 400_000,
        cachedInputMicrosPerM: 100_000,
        outputMicrosPerM: 1_600_000,
        priceAsOf: "2026-01-01",
        costMicros,
        latencyMs: 10,
        status: "ok",
        userId,
        teamId,
        departmentId,
      })
      .run();
  spend(ids.ana, alpha, support, 1_500_000, THIS_WEEK);
  spend(ids.ana, alpha, support, 500_000, FORTY_DAYS_AGO);
  spend(ids.hal, delta, finance, 250_000, THIS_WEEK);
  // The attempts above were inserted directly, not graded: fold them into the best_scores rollup.
  rebuildRollups(d);

  const user = {} as Org["user"];
  for (const [key, id] of Object.entries(ids) as [keyof Org["user"], number][]) {
    const name = d.select({ name: users.name }).from(users).where(eq(users.id, id)).get()!.name;
    user[key] = { id, name, cookie: await cookieFor(id) };
  }
  return {
    dept: { support, finance },
    team: { alpha, beta, gamma, delta },
    user,
    anaBestCompress,
    halOld,
    halFail,
  };
}
