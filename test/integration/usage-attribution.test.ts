import { join } from "node:path";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { teams, users } from "#db/schema";
import { db } from "~/.server/db";
import { reallocate, rollupFromRecords } from "~/.server/usage/allocate";
import { importFocusFile } from "~/.server/usage/import-file";
import { reattributionSettled } from "~/.server/usage/reattribution";
import type { UsageRow } from "~/.server/usage/row";
import { UsageStore } from "~/.server/usage/store";
import { usageUpkeep } from "~/.server/usage/upkeep";
import { SUM_FIELDS } from "~/domain/allocation";
import { action as rulesAction, loader as rulesPage } from "~/routes/admin.usage.rules";
import { loader as previewLoader } from "~/routes/admin.usage.rules.preview";
import { call, get, unwrap } from "./harness";
import { type Org, seedOrg } from "./org-fixture";

const sql = <T = Record<string, number | string>>(q: string, ...p: unknown[]) =>
  db()
    .$client.prepare(q)
    .all(...p) as T[];
const one = <T = number>(q: string, ...p: unknown[]) =>
  db()
    .$client.prepare(q)
    .pluck()
    .get(...p) as T;

let org: Org;
let admin: string;

function clearUsage() {
  db().$client.exec(
    "delete from usage_rules; delete from usage_records; delete from usage_dim_daily; delete from usage_dims; delete from usage_dirty_days; delete from usage_rollup; delete from usage_team_rollup; delete from usage_use_rollup; delete from usage_department_rollup",
  );
}

async function rule(fields: Record<string, string | string[]>) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries({ intent: "save", match: "is", ...fields }))
    for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
  const req = new Request("http://localhost/admin/usage/rules", {
    method: "POST",
    body: form,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: admin },
  });
  const saved = unwrap<{ ok: boolean; errors: Record<string, string>; message: string }>(await call(rulesAction, req));
  // The action answers before history is attributed again (in the background): wait for the figures.
  await reattributionSettled(db());
  return saved;
}

/** Cost per (department, team) in the rollup's day rows. */
function costByTeam() {
  return Object.fromEntries(
    sql<{ k: string; c: number }>(
      "select department_id || '/' || team_id as k, sum(cost_micros) as c from usage_rollup where grain = 'day' group by 1 order by 1",
    ).map((r) => [r.k, r.c]),
  );
}

/** The invariants: day rows equal allocating the raw rows; every figure adds up to the imported total; months sum days. */
function expectExact() {
  const fromRecords = rollupFromRecords(db(), 0, Number.MAX_SAFE_INTEGER);
  const key = (c: Record<string, unknown>) =>
    JSON.stringify([c.periodStart, c.departmentId, c.teamId, c.source, c.provider, c.model, c.tier]);
  const stored = sql(
    `select period_start as periodStart, department_id as departmentId, team_id as teamId, source, provider, model, tier,
            calls, input_tokens as inputTokens, cached_input_tokens as cachedInputTokens, output_tokens as outputTokens,
            cost_micros as costMicros, metered_cost_micros as meteredCostMicros, metered_input_tokens as meteredInputTokens,
            metered_cached_input_tokens as meteredCachedInputTokens, metered_output_tokens as meteredOutputTokens
       from usage_rollup where grain = 'day'`,
  );
  const sorted = <T extends Record<string, unknown>>(rows: T[]) =>
    [...rows].sort((a, b) => key(a).localeCompare(key(b)));
  expect(sorted(stored)).toEqual(sorted(fromRecords.map((c) => ({ ...c }))));
  expect(one("select coalesce(sum(cost_micros), 0) from usage_rollup where grain = 'day'")).toBe(
    one("select coalesce(sum(cost_micros), 0) from usage_records"),
  );
  for (const grain of ["day", "month"])
    expect(one(`select coalesce(sum(cost_micros), 0) from usage_team_rollup where grain = '${grain}'`)).toBe(
      one("select coalesce(sum(cost_micros), 0) from usage_records"),
    );
  // The organisation-wide rollup by use is usage_rollup without the teams.
  expect(
    sql(
      "select grain, period_start, source, provider, model, tier, calls, cost_micros, output_tokens from usage_use_rollup order by 1, 2, 3, 4, 5, 6",
    ),
  ).toEqual(
    sql(
      `select grain, period_start, source, provider, model, tier, sum(calls) as calls, sum(cost_micros) as cost_micros,
              sum(output_tokens) as output_tokens from usage_rollup group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6`,
    ),
  );
  const months = sql<{ m: number; c: number }>(
    "select period_start as m, sum(cost_micros) as c from usage_rollup where grain = 'month' group by 1 order by 1",
  );
  const daysByMonth = sql<{ m: number; c: number }>(
    `select unixepoch(date(period_start / 1000, 'unixepoch', 'start of month')) * 1000 as m, sum(cost_micros) as c
       from usage_rollup where grain = 'day' group by 1 order by 1`,
  );
  expect(months).toEqual(daysByMonth);
}

beforeAll(async () => {
  org = await seedOrg();
  admin = org.user.pat.cookie;
});
beforeEach(async () => {
  clearUsage();
  await importFocusFile(db(), join("test/fixtures/usage", "focus-1.2.csv"), "focus-1.2.csv", { policy: "keep" });
});

describe("attribution rules", () => {
  it("leaves everything unallocated without rules, then a tag rule sends its usage to the team", async () => {
    expect(costByTeam()).toEqual({ "0/0": 4_315_000 });
    expectExact();
    const saved = await rule({
      field: "tag",
      value: "team=support-emea",
      targetKind: "team",
      teamId: String(org.team.alpha),
    });
    expect(saved.body).toMatchObject({ ok: true });
    expect(saved.body.message).toMatch(/3 days are being attributed again/);
    // The three Bedrock meters tagged support-emea: 0.96 + 1.2 + 0.04.
    expect(costByTeam()).toEqual({ "0/0": 2_115_000, [`${org.dept.support}/${org.team.alpha}`]: 2_200_000 });
    expectExact();
  });

  it("applies the first matching rule, and moving or deleting rules re-attributes history", async () => {
    await rule({ field: "provider", value: "aws", targetKind: "department", departmentId: String(org.dept.finance) });
    await rule({ field: "tag", value: "team=support-emea", targetKind: "team", teamId: String(org.team.alpha) });
    // The department rule comes first: all AWS usage (4 Bedrock rows and the credit) to Finance without a team.
    expect(costByTeam()).toEqual({ "0/0": 1_015_000, [`${org.dept.finance}/0`]: 3_300_000 });
    const page = unwrap<{ rules: { id: number; recentMicros: number }[] }>(
      await call(rulesPage, get("/admin/usage/rules", admin)),
    );
    const [first, second] = page.body.rules;
    const move = new Request("http://localhost/admin/usage/rules", {
      method: "POST",
      body: new URLSearchParams({ intent: "up", ruleId: String(second.id) }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: admin },
    });
    expect(unwrap(await call(rulesAction, move)).body).toMatchObject({ ok: true });
    await reattributionSettled(db());
    expect(costByTeam()).toEqual({
      "0/0": 1_015_000,
      [`${org.dept.finance}/0`]: 1_100_000,
      [`${org.dept.support}/${org.team.alpha}`]: 2_200_000,
    });
    expectExact();
    const remove = new Request("http://localhost/admin/usage/rules", {
      method: "POST",
      body: new URLSearchParams({ intent: "delete", ruleId: String(first.id) }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: admin },
    });
    expect(unwrap(await call(rulesAction, remove)).body).toMatchObject({ ok: true });
    await reattributionSettled(db());
    expect(costByTeam()).toEqual({ "0/0": 2_115_000, [`${org.dept.support}/${org.team.alpha}`]: 2_200_000 });
  });

  it("splits a shared cost between teams by what each used directly that day, to the micro-dollar", async () => {
    // On 5 January Alpha used the support-emea Bedrock rows (2.2 M tokens) and Delta the Azure rows (2.9 M tokens).
    await rule({ field: "tag", value: "team=support-emea", targetKind: "team", teamId: String(org.team.alpha) });
    await rule({ field: "tag", value: "team=platform", targetKind: "team", teamId: String(org.team.delta) });
    await rule({
      field: "provider",
      value: "Google Cloud",
      targetKind: "shared",
      sharedTeamIds: [String(org.team.alpha), String(org.team.delta)],
      splitBy: "tokens",
    });
    // Vertex's $0.40 is on 7 January, when neither team used anything directly: split equally.
    const costs = costByTeam();
    expect(costs[`${org.dept.support}/${org.team.alpha}`]).toBe(2_200_000 + 200_000);
    expect(costs[`${org.dept.finance}/${org.team.delta}`]).toBe(615_000 + 200_000);
    expectExact();
  });

  it("sends a user rule's usage to each Tokenwise user's team, and the rest on to later rules", async () => {
    const store = new UsageStore(db());
    const row = (key: string, user: string, cost: number): UsageRow => ({
      key,
      dims: {
        source: "litellm",
        provider: "openai",
        service: "LiteLLM proxy",
        account: null,
        project: null,
        apiKey: "sk-hash",
        workspace: "ml-team",
        user,
        model: "gpt-4o-mini",
        tier: "small",
        tags: {},
      },
      periodStart: Date.UTC(2026, 0, 8, 9),
      periodEnd: Date.UTC(2026, 0, 8, 9),
      calls: 1,
      inputTokens: 100,
      cachedInputTokens: 0,
      outputTokens: 10,
      costMicros: cost,
      listCostMicros: null,
    });
    const ana = db().select({ email: users.email }).from(users).where(eq(users.id, org.user.ana.id)).get()!.email;
    store.write([row("r1", ana.toUpperCase(), 700), row("r2", "stranger@elsewhere.example", 300)], 1);
    reallocate(db());
    await rule({ field: "user", match: "contains", value: "@", targetKind: "user-team" });
    await rule({ field: "workspace", value: "ml-team", targetKind: "team", teamId: String(org.team.gamma) });
    const costs = costByTeam();
    expect(costs[`${org.dept.support}/${org.team.alpha}`]).toBe(700);
    expect(costs[`${org.dept.support}/${org.team.gamma}`]).toBe(300);
    expectExact();
  });

  it("refuses bad rules with a message per field and changes nothing", async () => {
    const cases: [Record<string, string | string[]>, string][] = [
      [{ field: "colour", value: "x", targetKind: "team", teamId: String(org.team.alpha) }, "field"],
      [{ field: "project", value: "", targetKind: "team", teamId: String(org.team.alpha) }, "value"],
      [{ field: "project", value: "p", targetKind: "team" }, "teamId"],
      [{ field: "project", value: "p", targetKind: "team", teamId: "999999" }, "teamId"],
      [
        {
          field: "project",
          value: "p",
          targetKind: "shared",
          sharedTeamIds: [String(org.team.alpha)],
          splitBy: "calls",
        },
        "sharedTeamIds",
      ],
      [{ field: "model", value: "gpt", targetKind: "user-team" }, "targetKind"],
      [{ field: "tag", value: "=x", targetKind: "team", teamId: String(org.team.alpha) }, "value"],
      [{ field: "project", value: "x".repeat(201), targetKind: "team", teamId: String(org.team.alpha) }, "value"],
    ];
    for (const [fields, field] of cases) {
      const res = await rule(fields);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toContain(field);
    }
    expect(one("select count(*) from usage_rules")).toBe(0);
    expect(costByTeam()).toEqual({ "0/0": 4_315_000 });
  });

  it("previews a rule as it is typed, writing nothing", async () => {
    const query = new URLSearchParams({
      field: "tag",
      match: "starts-with",
      value: "team=",
      targetKind: "team",
      teamId: String(org.team.beta),
    });
    const before = sql("select * from usage_rollup");
    const res = (await call(previewLoader, get(`/admin/usage/rules/preview?${query}`, admin))) as Response;
    const body = (await res.json()) as {
      ok: boolean;
      preview: {
        matchedDims: number;
        matchedMicros: number;
        unallocatedAfter: number;
        matched: { label: string; now: string }[];
      };
    };
    expect(body.ok).toBe(true);
    // Everything tagged with a team: the three tag combinations of the fixture (support-emea, platform, data).
    expect(body.preview.matchedMicros).toBe(2_200_000 + 615_000 + 400_000);
    expect(body.preview.matched.every((m) => m.now === "unallocated")).toBe(true);
    expect(sql("select * from usage_rollup")).toEqual(before);
    expect(one("select count(*) from usage_rules")).toBe(0);
    const bad = (await call(previewLoader, get("/admin/usage/rules/preview?field=x", admin))) as Response;
    expect(await bad.json()).toMatchObject({ ok: false });
  });

  it("re-attributes history in upkeep when a team moves to another department", async () => {
    await rule({ field: "tag", value: "team=support-emea", targetKind: "team", teamId: String(org.team.beta) });
    await usageUpkeep(db(), new Date());
    db().update(teams).set({ departmentId: org.dept.finance }).where(eq(teams.id, org.team.beta)).run();
    try {
      const report = await usageUpkeep(db(), new Date());
      expect(report.reallocatedDays).toBe(3);
      expect(costByTeam()[`${org.dept.finance}/${org.team.beta}`]).toBe(2_200_000);
      expect((await usageUpkeep(db(), new Date())).reallocatedDays).toBe(0);
    } finally {
      db().update(teams).set({ departmentId: org.dept.support }).where(eq(teams.id, org.team.beta)).run();
    }
  });
});

describe("the allocation invariant, on random usage and random rules", () => {
  it("keeps allocated + unallocated = imported to the micro-dollar, day by day, whatever the rules", () => {
    const teamList = () => [org.team.alpha, org.team.beta, org.team.gamma, org.team.delta];
    const dimArb = fc.record({
      project: fc.constantFrom("p1", "p2", "p3", null),
      model: fc.constantFrom("gpt-4o", "claude-opus-4", "llama"),
      tag: fc.constantFrom("a", "b", null),
    });
    const rowArb = fc.record({
      dim: dimArb,
      day: fc.integer({ min: 0, max: 40 }),
      calls: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
      input: fc.integer({ min: 0, max: 5_000_000 }),
      output: fc.integer({ min: 0, max: 500_000 }),
      cost: fc.integer({ min: -2_000_000, max: 50_000_000 }),
    });
    const ruleArb = fc.record({
      field: fc.constantFrom("project", "model", "tag"),
      value: fc.constantFrom("p1", "p2", "gpt-4o", "claude-opus-4", "tag=a", "tag=b"),
      target: fc.oneof(
        fc.constantFrom(0, 1, 2, 3).map((i) => ({ kind: "team" as const, i })),
        fc.constant({ kind: "department" as const }),
        fc.record({
          kind: fc.constant("shared" as const),
          picks: fc.uniqueArray(fc.constantFrom(0, 1, 2, 3), { minLength: 2, maxLength: 4 }),
          splitBy: fc.constantFrom("calls", "tokens", "cost", "equal"),
        }),
      ),
    });
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 60 }),
        fc.array(ruleArb, { maxLength: 5 }),
        (rows, rules) => {
          clearUsage();
          const store = new UsageStore(db());
          store.write(
            rows.map(
              (r, i): UsageRow => ({
                key: `k${i}`,
                dims: {
                  source: "openai",
                  provider: "OpenAI",
                  service: "OpenAI API",
                  account: null,
                  project: r.dim.project,
                  apiKey: null,
                  workspace: null,
                  user: null,
                  model: r.dim.model,
                  tier: r.dim.model === "claude-opus-4" ? "frontier" : "medium",
                  tags: r.dim.tag ? { tag: r.dim.tag } : {},
                },
                periodStart: Date.UTC(2026, 0, 1) + r.day * 86_400_000 + 3_600_000,
                periodEnd: Date.UTC(2026, 0, 1) + r.day * 86_400_000 + 7_200_000,
                calls: r.calls,
                inputTokens: r.input,
                cachedInputTokens: Math.floor(r.input / 3),
                outputTokens: r.output,
                costMicros: r.cost,
                listCostMicros: null,
              }),
            ),
            1,
          );
          const teamIds = teamList();
          rules.forEach((r, i) => {
            const t = r.target;
            db()
              .$client.prepare(
                "insert into usage_rules (position, field, match, value, target_kind, team_id, department_id, shared_team_ids, split_by, updated_at) values (?, ?, 'is', ?, ?, ?, ?, ?, ?, 0)",
              )
              .run(
                i + 1,
                r.field,
                r.value,
                t.kind,
                t.kind === "team" ? teamIds[t.i] : null,
                t.kind === "department" ? org.dept.finance : null,
                t.kind === "shared" ? JSON.stringify(t.picks.map((p) => teamIds[p])) : null,
                t.kind === "shared" ? t.splitBy : null,
              );
          });
          reallocate(db(), "all");
          expectExact();
          for (const f of SUM_FIELDS) {
            const column = f.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
            expect(one(`select coalesce(sum(${column}), 0) from usage_rollup where grain = 'day'`)).toBe(
              one(`select coalesce(sum(${column}), 0) from usage_dim_daily`),
            );
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
