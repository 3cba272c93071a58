import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db";
import { viewerScope } from "~/.server/scope";
import { reallocate } from "~/.server/usage/allocate";
import { importFocusFile } from "~/.server/usage/import-file";
import { productionBudgets } from "~/.server/usage/production-budgets";
import { productionShowback } from "~/.server/usage/production-showback";
import { reattribute } from "~/.server/usage/reattribution";
import type { UsageRow } from "~/.server/usage/row";
import { type RuleInput, saveRule } from "~/.server/usage/rules";
import { UsageStore } from "~/.server/usage/store";
import { action as budgetsAction } from "~/routes/admin.usage.budgets";
import { loader as productionPage } from "~/routes/finops.production";
import { loader as productionExport } from "~/routes/finops.production.export.$view";
import { parseCsvObjects } from "../support/csv-parse";
import { call, get, unwrap } from "./harness";
import { type Org, seedOrg } from "./org-fixture";

/**
 * The production showback on the FOCUS fixture (January 2026) plus OpenAI-like rows with call counts for the
 * Alpha team's project: $3 on 19 January, $12 on 27 January (a week-over-week spike), and frontier usage.
 */

let org: Org;
const JAN = { from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-02-01T00:00:00Z") };
const query = "from=2026-01-01&to=2026-02-01";

function openaiRow(key: string, day: number, model: string, tier: string, calls: number, cost: number): UsageRow {
  return {
    key,
    dims: {
      source: "openai",
      provider: "OpenAI",
      service: "OpenAI API",
      account: null,
      project: "proj_alpha",
      apiKey: "key_alpha",
      workspace: null,
      user: null,
      model,
      tier,
      tags: {},
    },
    periodStart: Date.UTC(2026, 0, day),
    periodEnd: Date.UTC(2026, 0, day + 1),
    calls,
    inputTokens: calls * 800,
    cachedInputTokens: calls * 200,
    outputTokens: calls * 100,
    costMicros: cost,
    listCostMicros: cost,
  };
}

const rule = (r: Partial<RuleInput>): RuleInput => ({
  field: "project",
  match: "is",
  value: "x",
  targetKind: "team",
  sharedTeamIds: [],
  ...r,
});

beforeAll(async () => {
  org = await seedOrg();
  await importFocusFile(db(), join("test/fixtures/usage", "focus-1.2.csv"), "focus-1.2.csv", { policy: "keep" });
  new UsageStore(db()).write(
    [
      openaiRow("a", 19, "gpt-4o-mini", "small", 1000, 3_000_000),
      openaiRow("b", 27, "gpt-4o-mini", "small", 3000, 9_000_000),
      openaiRow("c", 27, "o1", "frontier", 100, 3_000_000),
    ],
    1,
  );
  reallocate(db());
  const admin = org.user.pat.id;
  saveRule(db(), rule({ field: "project", value: "proj_alpha", teamId: org.team.alpha }), admin);
  saveRule(db(), rule({ field: "tag", value: "team=support-emea", teamId: org.team.beta }), admin);
  saveRule(db(), rule({ field: "tag", value: "team=platform", teamId: org.team.delta }), admin);
  saveRule(
    db(),
    rule({ field: "provider", value: "Google Cloud", targetKind: "department", departmentId: org.dept.support }),
    admin,
  );
  await reattribute(db());
});

describe("production showback", () => {
  it("shows an admin every team, the department-level and the unallocated usage, adding up to the imported total", async () => {
    const page = unwrap<{ report: ReturnType<typeof productionShowback>; admin: boolean }>(
      await call(productionPage, get(`/finops/production?${query}`, org.user.pat.cookie)),
    );
    const r = page.body.report;
    expect(page.body.admin).toBe(true);
    expect(r.totals.costMicros).toBe(4_315_000 + 15_000_000);
    // Unallocated: the data-science account's Bedrock input (1.6) and its credit (−0.5).
    expect(r.unallocated?.costMicros).toBe(1_100_000);
    expect(r.teams.map((t) => [t.team, t.costMicros])).toEqual([
      ["Alpha", 15_000_000],
      ["Beta", 2_200_000],
      ["Unallocated", 1_100_000],
      ["Delta", 615_000],
      ["Fixture Support, no team", 400_000],
    ]);
    expect(r.departments.reduce((s, d) => s + d.costMicros, 0)).toBe(r.totals.costMicros);
    expect(r.models.reduce((s, m) => s + m.costMicros, 0)).toBe(r.totals.costMicros);
    expect(r.sources.map((s) => [s.source, s.provider, s.costMicros])).toEqual([
      ["openai", "OpenAI", 15_000_000],
      ["focus", "AWS", 3_300_000],
      ["focus", "Microsoft", 615_000],
      ["focus", "Google Cloud", 400_000],
    ]);
  });

  it("gives Alpha's unit economics from its metered calls, its frontier share, and flags its week-over-week spike", () => {
    const scope = viewerScope(db(), { id: org.user.pat.id, roles: ["admin"] });
    const alpha = productionShowback(db(), scope, JAN, new Date("2026-03-18T12:00:00Z")).teams.find(
      (t) => t.teamId === org.team.alpha,
    );
    expect(alpha?.calls).toBe(4100);
    expect(alpha?.unit).toEqual({
      costPer1kCallsMicros: Math.round((15_000_000 / 4100) * 1000),
      inputTokensPerCall: 800,
      outputTokensPerCall: 100,
      cachedInputShare: 0.25,
      frontierShare: 0.2,
    });
    expect(alpha?.week).toEqual({ thisWeekMicros: 12_000_000, lastWeekMicros: 3_000_000, change: 3, anomaly: "spike" });
  });

  it("shows a manager only their team, a department head their department, and neither the unallocated", async () => {
    const mia = unwrap<{ report: ReturnType<typeof productionShowback> }>(
      await call(productionPage, get(`/finops/production?${query}`, org.user.mia.cookie)),
    ).body.report;
    expect(mia.teams.map((t) => t.team)).toEqual(["Alpha"]);
    expect(mia.unallocated).toBeNull();
    expect(mia.totals.costMicros).toBe(15_000_000);
    const ola = unwrap<{ report: ReturnType<typeof productionShowback> }>(
      await call(productionPage, get(`/finops/production?${query}`, org.user.ola.cookie)),
    ).body.report;
    expect(ola.teams.map((t) => t.team)).toEqual(["Alpha", "Beta", "Fixture Support, no team"]);
    expect(ola.unallocated).toBeNull();
    const ned = unwrap<{ report: ReturnType<typeof productionShowback> }>(
      await call(productionPage, get(`/finops/production?${query}`, org.user.ned.cookie)),
    ).body.report;
    expect(ned.teams.map((t) => [t.team, t.costMicros])).toEqual([["Delta", 615_000]]);
    const learner = (await call(productionPage, get(`/finops/production?${query}`, org.user.ana.cookie))) as Response;
    expect(learner.status).toBe(403);
  });

  it("answers the same from the rollups as from allocating the raw rows, for whole and odd periods", () => {
    const now = new Date("2026-03-18T12:00:00Z");
    for (const viewer of [org.user.pat, org.user.mia, org.user.ola]) {
      const scope = viewerScope(db(), {
        id: viewer.id,
        roles: viewer === org.user.pat ? ["admin"] : viewer === org.user.mia ? ["manager"] : ["learner"],
      });
      for (const period of [
        JAN,
        { from: new Date("2026-01-05T00:00:00Z"), to: new Date("2026-01-28T00:00:00Z") },
        { from: new Date("2025-12-15T00:00:00Z"), to: new Date("2026-02-10T00:00:00Z") },
      ]) {
        expect(productionShowback(db(), scope, period, now, "rollup")).toEqual(
          productionShowback(db(), scope, period, now, "records"),
        );
      }
    }
  });

  it("draws this month's chart up to today, not as $0 on days still to come", () => {
    const all = { all: true, teamIds: [], departmentIds: [] };
    const trend = productionShowback(db(), all, JAN, new Date("2026-01-20T15:00:00Z")).trend;
    expect(trend.days.at(-1)).toBe(Date.UTC(2026, 0, 27));
    // The fixture has usage on 27 January: a chart that ended today would hide it, so it runs to the last used day.
    expect(productionShowback(db(), all, JAN, new Date("2026-01-10T15:00:00Z")).trend.days.at(-1)).toBe(
      Date.UTC(2026, 0, 27),
    );
    expect(productionShowback(db(), all, JAN, new Date("2026-03-01T00:00:00Z")).trend.days.at(-1)).toBe(
      Date.UTC(2026, 0, 31),
    );
  });

  it("exports each view as CSV whose costs add up to the total", async () => {
    for (const view of ["department", "team", "model", "tier", "source"]) {
      const res = (await call(
        productionExport,
        get(`/finops/production/export/${view}?${query}`, org.user.pat.cookie),
        {
          view,
        },
      )) as Response;
      expect(res.headers.get("Content-Type")).toMatch(/text\/csv/);
      const rows = parseCsvObjects(await res.text());
      expect(rows.reduce((s, r) => s + Number(r["Cost (micro-USD)"]), 0)).toBe(19_315_000);
    }
    const daily = (await call(productionExport, get(`/finops/production/export/daily?${query}`, org.user.mia.cookie), {
      view: "daily",
    })) as Response;
    expect(parseCsvObjects(await daily.text()).every((r) => r.Group === "Alpha")).toBe(true);
    const bad = (await call(productionExport, get(`/finops/production/export/secret?${query}`, org.user.pat.cookie), {
      view: "secret",
    })) as Response;
    expect(bad.status).toBe(400);
  });
});

describe("production budgets", () => {
  const save = async (fields: Record<string, string>, cookie = org.user.pat.cookie) =>
    unwrap<{ ok: boolean; errors: Record<string, string> }>(
      await call(
        budgetsAction,
        new Request("http://localhost/admin/usage/budgets", {
          method: "POST",
          body: new URLSearchParams(fields),
          headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
        }),
      ),
    );

  it("warns at the warn percent and when over, for this month's spend, and shows each viewer only theirs", async () => {
    const now = new Date("2026-01-31T12:00:00Z");
    expect(
      (await save({ intent: "save", scope: "team", scopeId: String(org.team.alpha), limit: "10", warnPercent: "80" }))
        .body,
    ).toMatchObject({ ok: true });
    expect(
      (
        await save({
          intent: "save",
          scope: "department",
          scopeId: String(org.dept.finance),
          limit: "0.70",
          warnPercent: "80",
        })
      ).body,
    ).toMatchObject({ ok: true });
    const all = productionBudgets(db(), viewerScope(db(), { id: org.user.pat.id, roles: ["admin"] }), now);
    expect(all.map((b) => [b.name, b.spentMicros, b.percent, b.state])).toEqual([
      ["Fixture Finance", 615_000, 87, "warn"],
      ["Alpha", 15_000_000, 150, "over"],
    ]);
    expect(all).toEqual(
      productionBudgets(db(), viewerScope(db(), { id: org.user.pat.id, roles: ["admin"] }), now, "records"),
    );
    const mia = productionBudgets(db(), viewerScope(db(), { id: org.user.mia.id, roles: ["manager"] }), now);
    expect(mia.map((b) => b.name)).toEqual(["Alpha"]);
  });

  it("refuses bad limits and other people's forms, and removes a budget", async () => {
    const bad = await save({
      intent: "save",
      scope: "team",
      scopeId: String(org.team.beta),
      limit: "-5",
      warnPercent: "80",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.limit).toBe("The monthly limit cannot be negative");
    expect(
      (await save({ intent: "save", scope: "team", scopeId: "999999", limit: "5", warnPercent: "80" })).body.errors
        .scopeId,
    ).toMatch(/does not exist/);
    expect(
      (await save({ intent: "save", scope: "team", scopeId: String(org.team.beta), limit: "5", warnPercent: "101" }))
        .status,
    ).toBe(400);
    const learner = (await call(
      budgetsAction,
      new Request("http://localhost/admin/usage/budgets", {
        method: "POST",
        body: new URLSearchParams({ intent: "remove", scope: "team", scopeId: String(org.team.alpha) }),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: org.user.mia.cookie },
      }),
    )) as Response;
    expect(learner.status).toBe(403);
    expect((await save({ intent: "remove", scope: "team", scopeId: String(org.team.alpha) })).body).toMatchObject({
      ok: true,
    });
  });
});
