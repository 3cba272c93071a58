import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, departments, exercises, teamManagers, teams, users } from "#db/schema";
import { db } from "~/.server/db";
import { reallocate } from "~/.server/usage/allocate";
import { startImport } from "~/.server/usage/import-run";
import type { UsageRow } from "~/.server/usage/row";
import { type RuleInput, saveRule } from "~/.server/usage/rules";
import { UsageStore } from "~/.server/usage/store";
import { computeTeamTraining, refreshTeamTraining, trainedOn } from "~/.server/usage/training-dates";
import { teamImpactColumns, trainingImpact } from "~/.server/usage/training-impact";
import { loader as impactPage } from "~/routes/finops.impact";
import { loader as impactCsv } from "~/routes/finops.impact[.]csv";
import { parseCsvObjects } from "../support/csv-parse";
import { call, get, makeUser, ready, unwrap } from "./harness";

/**
 * Training impact on a known bill. Every team's cost per call drifts up 5 micro-dollars a day (the common trend);
 * team Trained's falls by 300 from its training day, 2025-05-14 (the day its second of four members completed a
 * course). Early was trained inside Trained's comparison window (2025-06-11) and its usage jumps then, so counting it
 * as a comparison would show; Late was trained the Monday the window ends (2025-06-18), so it still compares.
 */

const DAY = 86_400_000;
const NOW = new Date("2025-06-25T12:00:00Z");
const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const START = Date.UTC(2025, 2, 20);
const END = Date.UTC(2025, 5, 25);

const ids = {} as Record<"dept" | "trained" | "c1" | "c2" | "early" | "late", number>;
const cookies = {} as Record<"admin" | "c1Manager" | "learner", string>;
const members = {} as Record<string, number[]>;
let courseExercises: { id: number; versionId: number; model: string }[] = [];

function passCourse(userId: number, lastDay: string, only = courseExercises.length) {
  courseExercises.slice(0, only).forEach((e, i) => {
    const last = i === courseExercises.length - 1;
    db()
      .insert(attempts)
      .values({
        userId,
        exerciseId: e.id,
        exerciseVersionId: e.versionId,
        modelId: e.model,
        prompt: "p",
        status: "scored",
        passed: true,
        score: 900,
        createdAt: last ? at(lastDay) : new Date(at(lastDay).getTime() - (i + 1) * DAY),
      })
      .run();
  });
}

/** Per-call cost of a team on a day: the common drift, a wobble, and its own change. */
function perCall(team: keyof typeof ids, day: number): number {
  const i = (day - START) / DAY;
  let cost = 1000 + 5 * i + (i % 2 === 0 ? 7 : -7);
  if (team === "trained" && day >= Date.UTC(2025, 4, 14)) cost -= 300;
  if (team === "early" && day >= Date.UTC(2025, 5, 11)) cost += 2000;
  return cost;
}

const CALLS: Record<string, number> = { trained: 1000, c1: 2000, c2: 3000, early: 500, late: 800 };

function usageRows(): UsageRow[] {
  const rows: UsageRow[] = [];
  for (let day = START; day < END; day += DAY)
    for (const team of Object.keys(CALLS) as (keyof typeof ids)[]) {
      const calls = CALLS[team];
      const cost = calls * perCall(team, day);
      const frontier = team === "trained" && day < Date.UTC(2025, 4, 14);
      rows.push({
        key: `${team}|${day}`,
        dims: {
          source: "openai",
          provider: "OpenAI",
          service: "OpenAI API",
          account: null,
          project: `proj_${team}`,
          apiKey: null,
          workspace: null,
          user: null,
          model: frontier ? "o1" : "gpt-4.1-mini",
          tier: frontier ? "frontier" : "small",
          tags: {},
        },
        periodStart: day,
        periodEnd: day + DAY,
        calls,
        inputTokens: calls * (team === "trained" && !frontier ? 500 : 800),
        cachedInputTokens: 0,
        outputTokens: calls * 100,
        costMicros: cost,
        listCostMicros: cost,
      });
    }
  return rows;
}

beforeAll(async () => {
  await ready();
  ids.dept = db()
    .insert(departments)
    .values({ name: "Impact dept", costCentre: "CC-IMP" })
    .returning({ id: departments.id })
    .get().id;
  for (const name of ["trained", "c1", "c2", "early", "late"] as const)
    ids[name] = db()
      .insert(teams)
      .values({ name: `Impact ${name}`, departmentId: ids.dept })
      .returning({ id: teams.id })
      .get().id;
  const course = db()
    .select({ courseId: exercises.courseId })
    .from(exercises)
    .where(eq(exercises.status, "published"))
    .orderBy(asc(exercises.courseId))
    .get()!;
  courseExercises = db()
    .select({ id: exercises.id, versionId: exercises.currentVersionId })
    .from(exercises)
    .where(eq(exercises.courseId, course.courseId))
    .all()
    .filter((e) => e.versionId !== null)
    .map((e) => ({ id: e.id, versionId: e.versionId as number, model: "gpt-4.1-mini" }));
  const sizes: Record<string, number> = { trained: 4, c1: 2, c2: 2, early: 1, late: 2 };
  for (const [team, n] of Object.entries(sizes))
    members[team] = await Promise.all(
      Array.from({ length: n }, async () => (await makeUser({ teamId: ids[team as keyof typeof ids] })).id),
    );
  passCourse(members.trained[0], "2025-05-10");
  passCourse(members.trained[1], "2025-05-14");
  passCourse(members.trained[2], "2025-05-01", courseExercises.length - 1); // one exercise short: not completed
  passCourse(members.c1[0], "2025-05-01", 1);
  passCourse(members.early[0], "2025-06-11");
  passCourse(members.late[0], "2025-06-18");

  const admin = await makeUser({ roles: ["admin"] });
  const c1Manager = await makeUser({ roles: ["manager"] });
  db().insert(teamManagers).values({ userId: c1Manager.id, teamId: ids.c1 }).run();
  const learner = await makeUser({ teamId: ids.trained });
  members.trained.push(learner.id);
  Object.assign(cookies, { admin: admin.cookie, c1Manager: c1Manager.cookie, learner: learner.cookie });

  const importId = startImport(db(), { source: "openai", origin: "impact-test", policy: "keep" }, null);
  new UsageStore(db()).write(usageRows(), importId);
  const rule = (team: keyof typeof ids): RuleInput => ({
    field: "project",
    match: "is",
    value: `proj_${team}`,
    targetKind: "team",
    teamId: ids[team],
    sharedTeamIds: [],
  });
  for (const team of ["trained", "c1", "c2", "early", "late"] as const) saveRule(db(), rule(team), admin.id);
  reallocate(db(), "all");
}, 120_000);

describe("when a team counts as trained", () => {
  it("is the day half its members (rounded up) had completed a course", () => {
    expect(trainedOn([])).toBeNull();
    expect(trainedOn([null, null])).toBeNull();
    expect(trainedOn([5 * DAY + 7, null])).toBe(5 * DAY);
    expect(trainedOn([9 * DAY, 2 * DAY, null, null, null])).toBeNull();
    expect(trainedOn([9 * DAY, 2 * DAY, 4 * DAY, null, null])).toBe(9 * DAY);
  });

  it("reads course completions from passing attempts: every published exercise of a course passed", () => {
    refreshTeamTraining(db(), true);
    const byTeam = new Map(computeTeamTraining(db()).map((t) => [t.teamId, t]));
    // Five members now (the learner joined), so three completions are needed: not trained any more...
    expect(byTeam.get(ids.trained)).toMatchObject({ members: 5, completed: 2, trainedAt: null });
    // ...until the learner leaves again.
    db().update(users).set({ teamId: ids.c2 }).where(eq(users.id, members.trained[4])).run();
    expect(refreshTeamTraining(db())).toBe(true);
    expect(refreshTeamTraining(db())).toBe(false);
    const after = new Map(computeTeamTraining(db()).map((t) => [t.teamId, t]));
    expect(after.get(ids.trained)).toMatchObject({ members: 4, completed: 2, trainedAt: Date.UTC(2025, 4, 14) });
    expect(after.get(ids.c1)).toMatchObject({ completed: 0, trainedAt: null });
    expect(after.get(ids.early)?.trainedAt).toBe(Date.UTC(2025, 5, 11));
    expect(after.get(ids.late)?.trainedAt).toBe(Date.UTC(2025, 5, 18));
  });

  it("is worked out again when an attempt is graded", () => {
    expect(refreshTeamTraining(db())).toBe(false);
    passCourse(members.c2[0], "2025-06-20", 1);
    expect(refreshTeamTraining(db())).toBe(true);
  });
});

describe("the training impact estimate", () => {
  const all = { all: true, teamIds: [], departmentIds: [] };
  const find = (team: keyof typeof ids) => trainingImpact(db(), all, NOW).find((t) => t.teamId === ids[team])!;

  it("finds the trained team's fall in cost per call beyond the common drift, with an interval around it", () => {
    const t = find("trained");
    expect(t).toMatchObject({ status: "estimated", trainedOn: "2025-05-14", members: 4, completed: 2 });
    const cost = t.estimates.costPerCall!;
    expect(cost.scale).toBe("log");
    // 300 micro-dollars off what the comparison paid per call those weeks (about 1,370): a fall of about 22%.
    expect(cost.relative!.change).toBeCloseTo(-300 / cost.comparisonAfter, 3);
    expect(cost.relative!.change).toBeLessThan(-0.2);
    expect(cost.low).toBeLessThanOrEqual(cost.estimate);
    expect(cost.high).toBeLessThan(0);
    expect([cost.weeksBefore, cost.weeksAfter]).toEqual([4, 4]);
    // Raw before/after moved less than 300: the comparison rose meanwhile (the drift).
    expect(cost.after - cost.before).toBeGreaterThan(-300);
    expect(cost.preTrend?.diverging).toBe(false);
    // 900 tokens a call (frontier) before, 600 after: a third fewer.
    expect(t.estimates.tokensPerCall!.relative!.change).toBeCloseTo(-1 / 3, 6);
    expect(t.estimates.frontierShare!.estimate).toBeCloseTo(-1, 6);
    // 1,000 calls a day after training: about 30,000 a month, which at the old cost per call would have cost about
    // 300 micro-dollars more each: the saving on the team's own spend is about $9 a month.
    expect(t.callsPerMonth).toBe(30_000);
    expect(t.spendPerMonthMicros).toBeGreaterThan(0);
    expect(t.saving!.savingMicros / 9_000_000).toBeGreaterThan(0.96);
    expect(t.saving!.savingMicros / 9_000_000).toBeLessThan(1.04);
    expect(t.saving!.lowMicros).toBeLessThanOrEqual(t.saving!.savingMicros);
    expect(t.saving!.highMicros).toBeGreaterThanOrEqual(t.saving!.savingMicros);
  });

  it("never compares with a team trained inside the window (its jump would have cut the estimate by hundreds)", () => {
    const cost = find("trained").estimates.costPerCall!;
    expect(Math.abs(cost.comparisonAfter - cost.comparisonBefore)).toBeLessThan(250);
  });

  it("gives the same figures from the rollup as from allocating the raw rows", () => {
    expect(trainingImpact(db(), all, NOW, "rollup")).toEqual(trainingImpact(db(), all, NOW, "records"));
  });

  it("says why a team has no estimate, and shows untrained teams as comparisons", () => {
    expect(find("c1")).toMatchObject({ status: "not trained", saving: null, estimates: {} });
    // Trained a week ago: one (part) week after it so far.
    expect(find("late")).toMatchObject({ status: "not enough data", reason: expect.stringMatching(/has 4 and 1/) });
    expect(find("trained").trend.filter((v) => v !== null)).toHaveLength(12);
  });

  it("feeds the team leaderboard: the saving and the weekly cost per call, falling for the trained team", () => {
    const columns = teamImpactColumns(db(), NOW);
    expect(columns[ids.trained].saving?.savingMicros).toBe(find("trained").saving?.savingMicros);
    expect(columns[ids.c1]).toMatchObject({ saving: null, status: "not trained" });
    expect(columns[ids.c1].trendChange).toBeGreaterThan(0);
  });
});

describe("who sees it", () => {
  it("shows a manager their teams only, on the page and in the CSV", async () => {
    const { status, body } = unwrap<{ teams: { team: string }[] }>(
      await call(impactPage, get("/finops/impact", cookies.c1Manager)),
    );
    expect(status).toBe(200);
    expect(body.teams.map((t) => t.team)).toEqual(["Impact c1"]);
    const csv = (await call(impactCsv, get("/finops/impact.csv", cookies.c1Manager))) as Response;
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const rows = parseCsvObjects(await csv.text());
    expect(rows.map((r) => r.Team)).toEqual(["Impact c1"]);
  });

  it("gives the admin every team, with the saving in the CSV to the micro-dollar", async () => {
    const csv = (await call(impactCsv, get("/finops/impact.csv", cookies.admin))) as Response;
    const rows = parseCsvObjects(await csv.text());
    const trained = rows.find((r) => r.Team === "Impact trained")!;
    expect(trained.Status).toBe("estimated");
    expect(Number(trained["Monthly saving (micro-USD)"])).toBeGreaterThan(8_000_000);
    expect(rows.length).toBeGreaterThanOrEqual(5);
  });

  it("refuses a learner with 403", async () => {
    expect(((await call(impactPage, get("/finops/impact", cookies.learner))) as Response).status).toBe(403);
    expect(((await call(impactCsv, get("/finops/impact.csv", cookies.learner))) as Response).status).toBe(403);
  });
});
