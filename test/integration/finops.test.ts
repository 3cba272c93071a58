import { and, eq, gte, lt, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  budgetReservations,
  courses,
  departmentHeads,
  departments,
  exercises,
  modelCalls,
  teamManagers,
  teams,
} from "#db/schema";
import { budgetStatus, setBudget } from "~/.server/budgets";
import { db } from "~/.server/db";
import { budgetBoard } from "~/.server/finops/budget-board";
import { SHOWBACK_VIEWS } from "~/.server/finops/exports";
import { FOCUS_COLUMNS } from "~/.server/finops/focus";
import { parseMillionths } from "~/.server/finops/money";
import type { Showback } from "~/.server/finops/showback";
import { spendCellsQuery } from "~/.server/finops/showback";
import { type CallRecord, recordCall } from "~/.server/ledger";
import { loader as pageLoader } from "~/routes/finops._index";
import { loader as exportLoader } from "~/routes/finops.export.$view";
import { loader as focusLoader } from "~/routes/finops.focus";
import { parseCsv, parseCsvObjects } from "../support/csv-parse";
import { call, get, makeUser, ready, unwrap } from "./harness";

/**
 * Showback and the FOCUS export against ledger rows written with recordCall on known teams,
 * models and purposes in March 2024 (a period no other test writes to), plus rows just outside it.
 * Names that a spreadsheet would run as formulas (=, +, -, @) must come out escaped.
 */

const FROM = "2024-03-01";
const TO = "2024-04-01";
const PERIOD = `from=${FROM}&to=${TO}`;
const RUN = `${process.pid}-${Date.now()}`;

/** $2 / $0.50 / $8 per 1M input / cached input / output tokens. */
type LedgerModel = CallRecord["model"];
const MODEL_A: LedgerModel = {
  id: "finops-model-a",
  provider: "openai",
  tier: "medium",
  inputMicrosPerM: 2_000_000,
  cachedInputMicrosPerM: 500_000,
  outputMicrosPerM: 8_000_000,
  priceAsOf: "2024-01-01",
};
/** $0.15 / $0.075 / $0.60. */
const MODEL_B: LedgerModel = {
  ...MODEL_A,
  id: "finops-model-b",
  tier: "small",
  inputMicrosPerM: 150_000,
  cachedInputMicrosPerM: 75_000,
  outputMicrosPerM: 600_000,
};
/** An awkward price, so a cost has to be rounded: 333 tokens × $1.234567 / 1M = 411.11 micro-dollars. */
const MODEL_C: LedgerModel = {
  ...MODEL_A,
  id: "finops-model-c",
  provider: "anthropic",
  tier: "nano",
  inputMicrosPerM: 1_234_567,
  cachedInputMicrosPerM: 0,
  outputMicrosPerM: 0,
};

const ALPHA = `=HYPERLINK("http://evil.example","Alpha ${RUN}")`;
const BETA = `-Beta ${RUN}`;
const OPS = `@Ops ${RUN}`;
const OPS_CC = `+CC-OPS-${RUN}`;

const org = {} as {
  research: number;
  ops: number;
  alpha: number;
  beta: number;
  gamma: number;
  courseId: number;
  exerciseId: number;
};
const people = {} as Record<"admin" | "alphaManager" | "gammaManager" | "researchHead" | "learner", string>;
const inPeriodIds: number[] = [];
const learnerIds = {} as Record<"alpha" | "beta" | "gamma", number>;

function insertDepartment(name: string, costCentre: string): number {
  return db().insert(departments).values({ name, costCentre }).returning({ id: departments.id }).get().id;
}

function insertTeam(name: string, departmentId: number): number {
  return db().insert(teams).values({ name, departmentId }).returning({ id: teams.id }).get().id;
}

function spend(
  at: string,
  who: { userId: number; teamId: number; departmentId: number },
  call: Omit<CallRecord, "tags" | "latencyMs" | "status">,
  course: "course" | "none" = "course",
): number {
  const tags = {
    ...who,
    courseId: course === "course" ? org.courseId : null,
    exerciseId: course === "course" ? org.exerciseId : null,
    attemptId: null,
  };
  const { id } = recordCall(db(), { ...call, latencyMs: 12, status: "ok", tags });
  db()
    .update(modelCalls)
    .set({ createdAt: new Date(at) })
    .where(eq(modelCalls.id, id))
    .run();
  return id;
}

beforeAll(async () => {
  await ready();
  org.research = insertDepartment(`Research ${RUN}`, `CC-R-${RUN}`);
  org.ops = insertDepartment(OPS, OPS_CC);
  org.alpha = insertTeam(ALPHA, org.research);
  org.beta = insertTeam(BETA, org.research);
  org.gamma = insertTeam(`Gamma ${RUN}`, org.ops);
  const course = db().select({ id: courses.id }).from(courses).orderBy(courses.id).get()!;
  org.courseId = course.id;
  org.exerciseId = db().select({ id: exercises.id }).from(exercises).where(eq(exercises.courseId, course.id)).get()!.id;

  const admin = await makeUser({ roles: ["admin"] });
  const alphaManager = await makeUser({ teamId: org.alpha, roles: ["manager"] });
  const gammaManager = await makeUser({ teamId: org.gamma, roles: ["manager"] });
  const researchHead = await makeUser({ teamId: org.beta });
  const learner = await makeUser({ teamId: org.alpha });
  db().insert(teamManagers).values({ userId: alphaManager.id, teamId: org.alpha }).run();
  db().insert(teamManagers).values({ userId: gammaManager.id, teamId: org.gamma }).run();
  db().insert(departmentHeads).values({ userId: researchHead.id, departmentId: org.research }).run();
  Object.assign(people, {
    admin: admin.cookie,
    alphaManager: alphaManager.cookie,
    gammaManager: gammaManager.cookie,
    researchHead: researchHead.cookie,
    learner: learner.cookie,
  });
  learnerIds.alpha = learner.id;
  learnerIds.beta = researchHead.id;
  learnerIds.gamma = gammaManager.id;

  const alpha = { userId: learner.id, teamId: org.alpha, departmentId: org.research };
  const beta = { userId: researchHead.id, teamId: org.beta, departmentId: org.research };
  const gamma = { userId: gammaManager.id, teamId: org.gamma, departmentId: org.ops };
  const aTokens = { input: 1_000, cachedInput: 200, output: 500 }; // 800×2 + 200×0.5 + 500×8 = 5,700 µ$
  inPeriodIds.push(
    spend("2024-03-01T00:00:00.000Z", alpha, { model: MODEL_A, purpose: "target", tokens: aTokens }),
    spend("2024-03-05T10:15:00.000Z", alpha, {
      model: MODEL_B,
      purpose: "judge",
      tokens: { input: 2_000, output: 100 },
    }), // 360
    spend("2024-03-05T10:16:00.000Z", alpha, {
      model: MODEL_A,
      purpose: "target",
      tokens: aTokens,
      cacheHit: true,
      savedMicros: 5_700,
    }), // 0, saves 5,700
    spend(
      "2024-03-20T08:00:00.000Z",
      beta,
      { model: MODEL_C, purpose: "preview", tokens: { input: 333, output: 0 } },
      "none",
    ), // 411
    spend("2024-03-31T23:59:59.999Z", gamma, {
      model: MODEL_A,
      purpose: "target",
      tokens: { input: 1_000_000, output: 250_000 },
    }), // 4,000,000
    spend("2024-03-10T00:00:00.000Z", gamma, { model: MODEL_B, purpose: "judge", tokens: { input: 10, output: 10 } }), // 7.5 → 8
  );
  // just outside [from, to)
  spend("2024-02-29T23:59:59.999Z", alpha, { model: MODEL_A, purpose: "target", tokens: { input: 1_000, output: 0 } });
  spend("2024-04-01T00:00:00.000Z", alpha, { model: MODEL_A, purpose: "target", tokens: { input: 1_000, output: 0 } });
});

function ledgerTotals() {
  return db()
    .select({
      calls: sql<number>`count(*)`,
      costMicros: sql<number>`sum(${modelCalls.costMicros})`,
      savedMicros: sql<number>`sum(${modelCalls.savedMicros})`,
    })
    .from(modelCalls)
    .where(and(gte(modelCalls.createdAt, new Date(FROM)), lt(modelCalls.createdAt, new Date(TO))))
    .get()!;
}

async function page(cookie: string, query = PERIOD) {
  return unwrap<{ report: Showback; budgets: ReturnType<typeof budgetBoard>; query: string }>(
    await call(pageLoader, get(`/finops?${query}`, cookie)),
  );
}

async function download(res: unknown): Promise<string> {
  expect(res).toBeInstanceOf(Response);
  const response = res as Response;
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="tokenwise-[\w.-]+\.csv"$/);
  return response.text();
}

const exportView = (view: string, cookie: string, query = PERIOD) =>
  call(exportLoader, get(`/finops/export/${view}?${query}`, cookie), { view });
const focus = (cookie: string, query = PERIOD) => call(focusLoader, get(`/finops/focus?${query}`, cookie));

describe("showback figures", () => {
  it("sums the ledger rows of the period exactly, [from, to), cache savings apart from cost", async () => {
    const { status, body } = await page(people.admin);
    expect(status).toBe(200);
    expect(body.report.totals).toEqual({
      calls: 6,
      inputTokens: 1_000 + 2_000 + 1_000 + 333 + 1_000_000 + 10,
      cachedInputTokens: 400,
      outputTokens: 500 + 100 + 500 + 250_000 + 10,
      costMicros: 5_700 + 360 + 411 + 4_000_000 + 8,
      cacheHits: 1,
      savedMicros: 5_700,
    });
    expect(body.report.totals).toMatchObject(ledgerTotals());
    expect(body.query).toBe(PERIOD);
  });

  it("splits spend per department with its cost centre, per team, course, model and purpose", async () => {
    const { report } = (await page(people.admin)).body;
    expect(report.departments.map((d) => [d.department, d.costCentre, d.calls, d.costMicros, d.savedMicros])).toEqual([
      [OPS, OPS_CC, 2, 4_000_008, 0],
      [`Research ${RUN}`, `CC-R-${RUN}`, 4, 6_471, 5_700],
    ]);
    expect(report.teams.map((t) => [t.team, t.calls, t.costMicros, t.cacheHits, t.savedMicros])).toEqual([
      [`Gamma ${RUN}`, 2, 4_000_008, 0, 0],
      [ALPHA, 3, 6_060, 1, 5_700],
      [BETA, 1, 411, 0, 0],
    ]);
    expect(report.courses.map((c) => [c.courseId, c.calls, c.costMicros])).toEqual([
      [org.courseId, 5, 4_006_068],
      [null, 1, 411],
    ]);
    expect(report.models.map((m) => [m.model, m.provider, m.tier, m.calls, m.costMicros, m.savedMicros])).toEqual([
      ["finops-model-a", "openai", "medium", 3, 4_005_700, 5_700],
      ["finops-model-c", "anthropic", "nano", 1, 411, 0],
      ["finops-model-b", "openai", "small", 2, 368, 0],
    ]);
    expect(report.purposes.map((p) => [p.purpose, p.calls, p.costMicros, p.savedMicros])).toEqual([
      ["target", 3, 4_005_700, 5_700],
      ["judge", 2, 368, 0],
      ["preview", 1, 411, 0],
      ["embedding", 0, 0, 0],
    ]);
  });

  it("shows a department head their department and a manager only their team", async () => {
    const head = (await page(people.researchHead)).body.report;
    expect(head.totals).toMatchObject({ calls: 4, costMicros: 6_471, savedMicros: 5_700 });
    expect(head.teams.map((t) => t.team)).toEqual([ALPHA, BETA]);

    const alpha = (await page(people.alphaManager)).body.report;
    expect(alpha.totals).toMatchObject({ calls: 3, costMicros: 6_060, cacheHits: 1, savedMicros: 5_700 });
    expect(alpha.teams.map((t) => t.team)).toEqual([ALPHA]);
    expect(alpha.departments.map((d) => [d.department, d.costMicros])).toEqual([[`Research ${RUN}`, 6_060]]);
  });

  it("shows a manager of another team none of this team's rows, on the page or in any export", async () => {
    const { report } = (await page(people.gammaManager)).body;
    expect(report.totals).toMatchObject({ calls: 2, costMicros: 4_000_008 });
    expect(report.teams.map((t) => t.team)).toEqual([`Gamma ${RUN}`]);
    const teamsCsv = parseCsvObjects(await download(await exportView("team", people.gammaManager)));
    expect(teamsCsv.map((r) => r["Team ID"])).toEqual([String(org.gamma)]);
    const focusCsv = parseCsvObjects(await download(await focus(people.gammaManager)));
    expect(focusCsv).toHaveLength(2);
    for (const row of focusCsv) expect(JSON.parse(row.Tags).team).toBe(`Gamma ${RUN}`);
  });

  it("refuses a learner the page and every export with 403", async () => {
    expect(((await call(pageLoader, get(`/finops?${PERIOD}`, people.learner))) as Response).status).toBe(403);
    for (const view of SHOWBACK_VIEWS) expect(((await exportView(view, people.learner)) as Response).status).toBe(403);
    expect(((await focus(people.learner)) as Response).status).toBe(403);
  });

  it("answers 400 naming the parameter for a bad period or an unknown view", async () => {
    const bad = (await call(pageLoader, get("/finops?from=2024-03-01&to=2024-02-01", people.admin))) as Response;
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/^Bad URL parameter to:/);
    const view = (await exportView("user", people.admin)) as Response;
    expect(view.status).toBe(400);
    expect(await view.text()).toMatch(/^Bad URL parameter view:/);
  });

  it("puts the viewer's scope into the indexed WHERE clause", () => {
    const scope = { all: false, teamIds: [org.alpha], departmentIds: [org.ops] };
    const q = spendCellsQuery(db(), scope, { from: new Date(FROM), to: new Date(TO) }).toSQL();
    const plan = db()
      .$client.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
      .all(...q.params)
      .map((r) => (r as { detail: string }).detail)
      .join("\n");
    expect(plan).toMatch(/model_calls_team \(team_id=\? AND created_at>\? AND created_at<\?\)/);
    expect(plan).toMatch(/model_calls_department \(department_id=\? AND created_at>\? AND created_at<\?\)/);
  });
});

describe("CSV exports", () => {
  it("each view parses back and sums to the ledger to the micro-dollar, in USD and in micro-dollars", async () => {
    const ledger = ledgerTotals();
    for (const view of SHOWBACK_VIEWS) {
      const rows = parseCsvObjects(await download(await exportView(view, people.admin)));
      let cost = 0;
      let saved = 0;
      let calls = 0;
      for (const row of rows) {
        expect(parseMillionths(row["Cost (USD)"])).toBe(Number(row["Cost (micro-USD)"]));
        expect(parseMillionths(row["Cache savings (USD)"])).toBe(Number(row["Cache savings (micro-USD)"]));
        cost += parseMillionths(row["Cost (USD)"]);
        saved += Number(row["Cache savings (micro-USD)"]);
        calls += Number(row.Calls);
      }
      expect({ view, cost, saved, calls }).toEqual({
        view,
        cost: ledger.costMicros,
        saved: ledger.savedMicros,
        calls: ledger.calls,
      });
    }
  });

  it("escapes team, department and cost-centre names that start with =, -, @ or +", async () => {
    const teamText = await download(await exportView("team", people.admin));
    expect(teamText).toContain(`,"'=HYPERLINK(""http://evil.example"",""Alpha ${RUN}"")",`);
    const teamRows = parseCsvObjects(teamText);
    expect(teamRows.find((r) => r["Team ID"] === String(org.alpha))?.Team).toBe(`'${ALPHA}`);
    expect(teamRows.find((r) => r["Team ID"] === String(org.beta))?.Team).toBe(`'${BETA}`);
    const departmentRows = parseCsvObjects(await download(await exportView("department", people.admin)));
    expect(departmentRows.find((r) => r["Department ID"] === String(org.ops))).toMatchObject({
      Department: `'${OPS}`,
      "Cost centre": `'${OPS_CC}`,
    });
    for (const row of [...teamRows, ...departmentRows])
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it("the test's CSV reader is strict RFC 4180: quoted commas, quotes and line breaks, and refuses a stray quote", () => {
    expect(parseCsv('a,"b,c","d""e","f\r\ng"\r\n1,,3,4\r\n')).toEqual([
      ["a", "b,c", 'd"e', "f\r\ng"],
      ["1", "", "3", "4"],
    ]);
    expect(() => parseCsv('a,b"c\r\n')).toThrow(/quote inside an unquoted field/);
    expect(() => parseCsv('"a\r\n')).toThrow(/unclosed/);
  });
});

describe("FOCUS export", () => {
  it("has one row per ledger row in the period, in the FOCUS columns, summing to the ledger exactly", async () => {
    const text = await download(await focus(people.admin));
    expect(parseCsv(text)[0]).toEqual([...FOCUS_COLUMNS]);
    const rows = parseCsvObjects(text);
    const ledger = ledgerTotals();
    expect(rows.map((r) => Number(r.x_LedgerId)).sort((a, b) => a - b)).toEqual([...inPeriodIds].sort((a, b) => a - b));
    const sum = (column: string) => rows.reduce((s, r) => s + parseMillionths(r[column]), 0);
    expect(sum("BilledCost")).toBe(ledger.costMicros);
    expect(sum("EffectiveCost")).toBe(ledger.costMicros);
    expect(sum("ListCost")).toBe(ledger.costMicros + ledger.savedMicros);
    expect(rows.reduce((s, r) => s + Number(r.x_BilledCostMicros), 0)).toBe(ledger.costMicros);
    for (const r of rows)
      expect(r).toMatchObject({
        BillingCurrency: "USD",
        ChargeCategory: "Usage",
        ServiceCategory: "AI and Machine Learning",
        ResourceType: "Model",
        ConsumedUnit: "Tokens",
        PricingUnit: "1M Tokens",
      });
  });

  it("writes a call's hour as its charge period, its tags as JSON and its department as the sub-account", async () => {
    const rows = parseCsvObjects(await download(await focus(people.admin)));
    const first = rows.find((r) => Number(r.x_LedgerId) === inPeriodIds[0])!;
    expect(first).toMatchObject({
      BilledCost: "0.005700",
      ListCost: "0.005700",
      ChargePeriodStart: "2024-03-01T00:00:00Z",
      ChargePeriodEnd: "2024-03-01T01:00:00Z",
      ServiceName: "OpenAI API",
      ProviderName: "OpenAI",
      ResourceId: "finops-model-a",
      ConsumedQuantity: "1500",
      PricingQuantity: "0.001500",
      ListUnitPrice: "3.8000000000",
      SubAccountId: `CC-R-${RUN}`,
      SubAccountName: `Research ${RUN}`,
    });
    const courseSlug = db()
      .select({ slug: courses.slug })
      .from(courses)
      .where(eq(courses.id, org.courseId))
      .get()!.slug;
    const exerciseSlug = db()
      .select({ slug: exercises.slug })
      .from(exercises)
      .where(eq(exercises.id, org.exerciseId))
      .get()!.slug;
    const tags = JSON.parse(first.Tags);
    expect(tags).toEqual({
      user_hash: tags.user_hash,
      team: ALPHA,
      course: courseSlug,
      exercise: exerciseSlug,
      purpose: "target",
    });
    expect(tags.user_hash).toMatch(/^[0-9a-f]{64}$/);
    const last = rows.find((r) => Number(r.x_LedgerId) === inPeriodIds[4])!;
    expect([last.ChargePeriodStart, last.ChargePeriodEnd]).toEqual(["2024-03-31T23:00:00Z", "2024-04-01T00:00:00Z"]);
    expect([last.SubAccountId, last.SubAccountName]).toEqual([`'${OPS_CC}`, `'${OPS}`]);
  });

  it("bills a cache hit at 0 and lists what it would have cost", async () => {
    const rows = parseCsvObjects(await download(await focus(people.admin)));
    const hit = rows.find((r) => Number(r.x_LedgerId) === inPeriodIds[2])!;
    expect([hit.BilledCost, hit.EffectiveCost, hit.ListCost, hit.x_CacheHit]).toEqual([
      "0.000000",
      "0.000000",
      "0.005700",
      "true",
    ]);
  });
});

describe("budget status", () => {
  beforeAll(() => {
    setBudget(db(), { scope: "team", scopeId: org.alpha, monthlyLimitMicros: 6_000 });
    setBudget(db(), { scope: "team", scopeId: org.beta, monthlyLimitMicros: 600 });
    setBudget(db(), { scope: "team", scopeId: org.gamma, monthlyLimitMicros: 10_000_000 });
    setBudget(db(), { scope: "department", scopeId: org.research, monthlyLimitMicros: 100_000, warnPercent: 50 });
    db().insert(budgetReservations).values({ teamId: org.beta, departmentId: org.research, amountMicros: 100 }).run();
  });

  it("agrees with budgetStatus for every budget: blocked, warn and ok", () => {
    const now = new Date("2024-03-15T12:00:00Z");
    const scope = { all: false, teamIds: [org.alpha, org.beta], departmentIds: [org.research] };
    const board = budgetBoard(db(), scope, now);
    expect(board.map((b) => [b.name, b.scope, b.spentMicros, b.heldMicros, b.percent, b.state])).toEqual([
      [`Research ${RUN}`, "department", 6_471, 100, 6, "ok"],
      [BETA, "team", 411, 100, 85, "warn"],
      [ALPHA, "team", 6_060, 0, 101, "blocked"],
    ]);
    for (const line of board) {
      const who =
        line.scope === "team"
          ? { teamId: line.scopeId, departmentId: null, now }
          : { teamId: null, departmentId: line.scopeId, now };
      const { name: _name, ...state } = line;
      expect(budgetStatus(db(), who)).toEqual([state]);
    }
  });

  it("lists on the page only the budgets in the viewer's scope, for the current month (departments first, by name)", async () => {
    const names = async (cookie: string) =>
      (await page(cookie)).body.budgets.filter((b) => b.name.includes(RUN)).map((b) => [b.name, b.state]);
    expect(await names(people.alphaManager)).toEqual([[ALPHA, "ok"]]);
    expect(await names(people.gammaManager)).toEqual([[`Gamma ${RUN}`, "ok"]]);
    expect(await names(people.researchHead)).toEqual([
      [`Research ${RUN}`, "ok"],
      [BETA, "ok"],
      [ALPHA, "ok"],
    ]);
  });
});
