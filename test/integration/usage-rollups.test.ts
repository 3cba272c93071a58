import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db";
import {
  type RollupCell,
  reallocate,
  reallocateInSlices,
  reallocationSteps,
  rollupFromRecords,
} from "~/.server/usage/allocate";
import { FRONTIER, mondayOf, SUM_COLUMNS } from "~/.server/usage/rollup-tables";
import type { UsageRow } from "~/.server/usage/row";
import { UsageStore } from "~/.server/usage/store";
import { SUM_FIELDS } from "~/domain/allocation";
import { type Org, seedOrg } from "./org-fixture";

/**
 * Every production usage rollup (usage_rollup, usage_team_rollup, usage_department_rollup, usage_use_rollup), at
 * every grain it keeps (day, week, month), equals the same grouping of the raw rows allocated under the current
 * rules, to the micro-dollar, after any sequence of imports, re-imports that restate or repeat rows, and rule
 * changes, each followed by what the app runs then (the dirty days after an import, all history after a rule change).
 */

let org: Org;
beforeAll(async () => {
  org = await seedOrg();
});

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 26); // a Monday; rows fall on days 0–40, across two month ends and six weeks
const monthOf = (ms: number) => Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth(), 1);

interface Table {
  table: string;
  keys: (c: RollupCell) => (string | number)[];
  columns: string[];
  frontier: boolean;
  grains: ("day" | "week" | "month")[];
}
const TABLES: Table[] = [
  {
    table: "usage_rollup",
    keys: (c) => [c.departmentId, c.teamId, c.source, c.provider, c.model, c.tier],
    columns: ["department_id", "team_id", "source", "provider", "model", "tier"],
    frontier: false,
    grains: ["day", "month"],
  },
  {
    table: "usage_team_rollup",
    keys: (c) => [c.departmentId, c.teamId],
    columns: ["department_id", "team_id"],
    frontier: true,
    grains: ["day", "week", "month"],
  },
  {
    table: "usage_department_rollup",
    keys: (c) => [c.departmentId],
    columns: ["department_id"],
    frontier: true,
    grains: ["day", "month"],
  },
  {
    table: "usage_use_rollup",
    keys: (c) => [c.source, c.provider, c.model, c.tier],
    columns: ["source", "provider", "model", "tier"],
    frontier: false,
    grains: ["day", "month"],
  },
];

const periodOf = { day: (ms: number) => ms, week: mondayOf, month: monthOf };

/** What a table's rows at a grain must be: the allocated raw rows grouped by its keys and period, summed. */
function expected(cells: RollupCell[], t: Table, grain: "day" | "week" | "month") {
  const groups = new Map<string, (string | number)[]>();
  for (const c of cells) {
    const head = [grain, periodOf[grain](c.periodStart), ...t.keys(c)];
    const k = JSON.stringify(head);
    const values = [...SUM_FIELDS.map((f) => c[f]), ...(t.frontier ? [c.tier === FRONTIER ? c.costMicros : 0] : [])];
    const g = groups.get(k);
    if (!g) groups.set(k, [...head, ...values]);
    else
      values.forEach((v, i) => {
        g[head.length + i] = (g[head.length + i] as number) + v;
      });
  }
  return [...groups.values()].map((r) => JSON.stringify(r)).sort();
}

function stored(t: Table, grain: string) {
  const columns = [
    "grain",
    "period_start",
    ...t.columns,
    ...SUM_COLUMNS,
    ...(t.frontier ? ["frontier_cost_micros"] : []),
  ];
  return (
    db()
      .$client.prepare(`select ${columns.join(", ")} from ${t.table} where grain = ?`)
      .raw()
      .all(grain) as unknown[][]
  )
    .map((r) => JSON.stringify(r))
    .sort();
}

function expectRollupsEqualRecords() {
  const cells = rollupFromRecords(db(), 0, Number.MAX_SAFE_INTEGER);
  for (const t of TABLES)
    for (const grain of t.grains) expect(stored(t, grain), `${t.table} ${grain}`).toEqual(expected(cells, t, grain));
  for (const t of TABLES)
    expect(
      db()
        .$client.prepare(`select count(*) from ${t.table} where grain not in (${t.grains.map(() => "?").join(", ")})`)
        .pluck()
        .get(...t.grains),
      `${t.table} has no rows of other grains`,
    ).toBe(0);
}

const rowArb = fc.record({
  key: fc.integer({ min: 0, max: 30 }),
  project: fc.constantFrom("p1", "p2", "p3", null),
  model: fc.constantFrom("gpt-4o", "claude-opus-4", "llama"),
  tag: fc.constantFrom("a", "b", null),
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
const stepArb = fc.oneof(
  // An import: keys repeat across steps, so a later import restates (or repeats unchanged) earlier rows.
  fc.record({ kind: fc.constant("import" as const), rows: fc.array(rowArb, { minLength: 1, maxLength: 25 }) }),
  fc.record({ kind: fc.constant("rules" as const), rules: fc.array(ruleArb, { maxLength: 4 }) }),
);

function usageRow(r: {
  key: number;
  project: string | null;
  model: string;
  tag: string | null;
  day: number;
  calls: number | null;
  input: number;
  output: number;
  cost: number;
}): UsageRow {
  return {
    key: `k${r.key}`,
    dims: {
      source: "openai",
      provider: "OpenAI",
      service: "OpenAI API",
      account: null,
      project: r.project,
      apiKey: null,
      workspace: null,
      user: null,
      model: r.model,
      tier: r.model === "claude-opus-4" ? FRONTIER : "medium",
      tags: r.tag ? { tag: r.tag } : {},
    },
    periodStart: START + r.day * DAY + 3_600_000,
    periodEnd: START + r.day * DAY + 7_200_000,
    calls: r.calls,
    inputTokens: r.input,
    cachedInputTokens: Math.floor(r.input / 3),
    outputTokens: r.output,
    costMicros: r.cost,
    listCostMicros: null,
  };
}

describe("production usage rollups", () => {
  it("equal the allocated raw rows at every grain, to the micro-dollar, after imports, re-imports and rule changes", () => {
    const s = db().$client;
    const teamIds = [org.team.alpha, org.team.beta, org.team.gamma, org.team.delta];
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 6 }), (steps) => {
        s.exec(
          `delete from usage_rules; delete from usage_records; delete from usage_dim_daily; delete from usage_dims;
           delete from usage_dirty_days; ${TABLES.map((t) => `delete from ${t.table};`).join(" ")}`,
        );
        steps.forEach((step, n) => {
          if (step.kind === "import") {
            new UsageStore(db()).write(step.rows.map(usageRow), n + 1);
            reallocate(db());
          } else {
            s.prepare("delete from usage_rules").run();
            step.rules.forEach((r, i) => {
              const t = r.target;
              s.prepare(
                "insert into usage_rules (position, field, match, value, target_kind, team_id, department_id, shared_team_ids, split_by, updated_at) values (?, ?, 'is', ?, ?, ?, ?, ?, ?, 0)",
              ).run(
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
          }
          expectRollupsEqualRecords();
        });
      }),
      { numRuns: 30 },
    );
  });

  it("are the same when attributed in slices, which give the event loop back between them", async () => {
    const s = db().$client;
    s.exec(
      `delete from usage_rules; delete from usage_records; delete from usage_dim_daily; delete from usage_dims;
       delete from usage_dirty_days; ${TABLES.map((t) => `delete from ${t.table};`).join(" ")}`,
    );
    const rows = Array.from({ length: 40 }, (_, i) => ({
      key: i,
      project: i % 3 === 0 ? "p1" : "p2",
      model: i % 4 === 0 ? "claude-opus-4" : "gpt-4o",
      tag: i % 5 === 0 ? "a" : null,
      day: i % 20,
      calls: i % 7 === 0 ? null : 10 + i,
      input: 1_000 * (i + 1),
      output: 100 * (i + 1),
      cost: 1_234 * (i + 1),
    }));
    new UsageStore(db()).write(rows.map(usageRow), 1);
    // Another request's turn: runs only if the attribution gives the event loop back (setImmediate) before it ends.
    let otherRequestRan = false;
    setImmediate(() => {
      otherRequestRan = true;
    });
    const report = await reallocateInSlices(db());
    expect(report.days).toBe(20);
    expect(otherRequestRan).toBe(true);
    expectRollupsEqualRecords();
    // And the same days attributed in one go leave the same rollups.
    const snapshot = () =>
      TABLES.map((t) => {
        const columns = ["grain", "period_start", ...t.columns, ...SUM_COLUMNS].join(", ");
        return s.prepare(`select ${columns} from ${t.table} order by ${columns}`).all();
      });
    const sliced = snapshot();
    expect(sliced[0].length).toBeGreaterThan(20);
    reallocate(db(), "all");
    expect(snapshot()).toEqual(sliced);
  });

  it("are completed by the next run when a run stops between slices (a killed process)", () => {
    const s = db().$client;
    s.exec(
      `delete from usage_rules; delete from usage_records; delete from usage_dim_daily; delete from usage_dims;
       delete from usage_dirty_days; ${TABLES.map((t) => `delete from ${t.table};`).join(" ")}`,
    );
    const rows = Array.from({ length: 30 }, (_, i) => ({
      key: i,
      project: i % 2 === 0 ? "p1" : "p2",
      model: i % 3 === 0 ? "claude-opus-4" : "gpt-4o",
      tag: null,
      day: i, // 30 days: several slices, weeks and a month end
      calls: 5 + i,
      input: 1_000 * (i + 1),
      output: 100 * (i + 1),
      cost: 2_000 * (i + 1),
    }));
    new UsageStore(db()).write(rows.map(usageRow), 1);
    const stopped = reallocationSteps(db(), "dirty");
    stopped.next(); // one slice written, then the process dies
    expect(s.prepare("select count(*) from usage_dirty_days").pluck().get()).toBeGreaterThan(0);
    const report = reallocate(db());
    expect(report.days).toBeGreaterThan(0);
    expect(s.prepare("select count(*) from usage_dirty_days").pluck().get()).toBe(0);
    expectRollupsEqualRecords();
  });
});
