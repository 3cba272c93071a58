import { type Db, statement } from "~/.server/db";
import { type Range, rangesOf } from "~/.server/finops/rollup";
import type { Scope } from "~/.server/scope";
import { SUM_FIELDS, type Sums, ZERO_SUMS } from "~/domain/allocation";
import { type RollupCell, rollupFromRecords } from "./allocate";
import { FRONTIER, SUM_COLUMNS } from "./rollup-tables";

/**
 * Reads of allocated production usage for what a viewer may see: admins everything (unallocated included),
 * department heads their departments (with their department-level usage), managers their teams. Each read comes
 * from the rollups (the pages) or, source "records", from allocating the raw usage rows: the definition the
 * rollups must equal (tests and bench/usage-scale.ts compare the two). Rollup reads are raw prepared statements
 * returning arrays, grouped by SQL: a page reads a few hundred rows, not the tens of thousands of day cells.
 */

export type CellSource = "rollup" | "records";

export interface Period {
  from: Date;
  to: Date;
}

/** Allocated usage over a period at the rollup's grain, without the day. */
export interface UsageCell extends Sums {
  departmentId: number;
  teamId: number;
  source: string;
  provider: string;
  model: string;
  tier: string;
}

/** A team's (or a department's team-less, or the unallocated) usage over a window, frontier cost apart. */
export interface TeamSums extends Sums {
  departmentId: number;
  teamId: number;
  frontierCostMicros: number;
}

/** Cost and calls per day and group (a department or a team id). */
export interface DailyPoint {
  day: number;
  groupId: number;
  costMicros: number;
  calls: number;
}

const SUMS = SUM_COLUMNS.map((c) => `sum(${c})`).join(", ");
const DAY_MS = 86_400_000;

/** The scope as SQL on a rollup's columns, with its parameters; a scoped viewer never sees department 0. */
function scopeSql(scope: Scope): { sql: string; params: number[] } {
  if (scope.all) return { sql: "1", params: [] };
  const parts: string[] = [];
  if (scope.teamIds.length > 0) parts.push("team_id in (select value from json_each(?))");
  if (scope.departmentIds.length > 0) parts.push("department_id in (select value from json_each(?))");
  if (parts.length === 0) return { sql: "0", params: [] };
  const params = [scope.teamIds, scope.departmentIds].filter((ids) => ids.length > 0).map((ids) => JSON.stringify(ids));
  return { sql: `(${parts.join(" or ")})`, params: params as unknown as number[] };
}

function inScope(scope: Scope, departmentId: number, teamId: number): boolean {
  return scope.all || scope.teamIds.includes(teamId) || scope.departmentIds.includes(departmentId);
}

function sumsOf(values: number[], at: number): Sums {
  const out = { ...ZERO_SUMS };
  SUM_FIELDS.forEach((f, i) => {
    out[f] = values[at + i] ?? 0;
  });
  return out;
}

const nonZero = (s: Sums) => SUM_FIELDS.some((f) => s[f] !== 0);

/**
 * Rows of `table` over a period of whole UTC days, grouped by `keys`: its whole months from the monthly rows, other
 * days from the daily ones, a month minus the days outside it where that reads fewer rows (finops/rollup.ts
 * rangesOf). Each row: the keys, then the sums, then `extra` sums.
 */
function rangeSums(
  database: Db,
  table: "usage_rollup" | "usage_team_rollup" | "usage_use_rollup",
  keys: string[],
  scope: Scope,
  period: Period,
  extra: string[] = [],
): unknown[][] {
  const ranges = rangesOf(period.from, period.to);
  if (!ranges) throw new Error("a production period is made of whole UTC days");
  const where = scopeSql(scope);
  const read = (within: Range[]) =>
    within.flatMap(
      (r) =>
        statement(
          database,
          `select ${keys.join(", ")}, ${SUMS}${extra.map((e) => `, sum(${e})`).join("")} from ${table}
            where grain = ? and period_start in (select value from json_each(?)) and ${where.sql}
            group by ${keys.join(", ")}`,
        )
          .raw()
          .all(r.grain, JSON.stringify(r.starts), ...where.params) as unknown[][],
    );
  const groups = new Map<string, unknown[]>();
  for (const [sign, rows] of [
    [1, read(ranges.filter((r) => r.sign === 1))],
    [-1, read(ranges.filter((r) => r.sign === -1))],
  ] as const) {
    for (const row of rows) {
      const k = keys.length === 1 ? String(row[0]) : row.slice(0, keys.length).join("\u0001");
      const group = groups.get(k);
      if (!group) groups.set(k, sign === 1 ? row : row.map((v, i) => (i < keys.length ? v : -(v as number))));
      else for (let i = keys.length; i < row.length; i++) group[i] = (group[i] as number) + sign * (row[i] as number);
    }
  }
  return [...groups.values()];
}

function recordDays(database: Db, scope: Scope, from: number, to: number): RollupCell[] {
  return rollupFromRecords(database, from, to).filter((c) => inScope(scope, c.departmentId, c.teamId));
}

const USE_KEYS = ["source", "provider", "model", "tier"];

/** The period's usage by source, provider, model and tier (what it was used for, whoever used it). */
export function purposeCells(database: Db, scope: Scope, period: Period, source: CellSource = "rollup"): UsageCell[] {
  let cells: UsageCell[];
  if (source === "records") {
    const byKey = new Map<string, UsageCell>();
    for (const d of recordDays(database, scope, period.from.getTime(), period.to.getTime())) {
      const k = [d.source, d.provider, d.model, d.tier].join("\u0001");
      const known = byKey.get(k);
      if (known) for (const f of SUM_FIELDS) known[f] += d[f];
      else {
        const { periodStart: _day, ...cell } = d;
        byKey.set(k, { ...cell, departmentId: 0, teamId: 0 });
      }
    }
    cells = [...byKey.values()];
  } else {
    // The whole organisation's from the rollup without teams; a scoped viewer's from the full one.
    cells = rangeSums(database, scope.all ? "usage_use_rollup" : "usage_rollup", USE_KEYS, scope, period).map(
      (row) => ({
        departmentId: 0,
        teamId: 0,
        source: row[0] as string,
        provider: row[1] as string,
        model: row[2] as string,
        tier: row[3] as string,
        ...sumsOf(row as number[], 4),
      }),
    );
  }
  const text = (c: UsageCell) => `${c.source}\u0001${c.provider}\u0001${c.model}\u0001${c.tier}`;
  return cells.filter(nonZero).sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}

/** Each team's (and department-level and unallocated) sums over a period, frontier cost apart. */
export function teamSums(database: Db, scope: Scope, period: Period, source: CellSource = "rollup"): TeamSums[] {
  let rows: TeamSums[];
  if (source === "records") {
    const byTeam = new Map<string, TeamSums>();
    for (const d of recordDays(database, scope, period.from.getTime(), period.to.getTime())) {
      const k = `${d.departmentId}|${d.teamId}`;
      const t = byTeam.get(k) ?? {
        departmentId: d.departmentId,
        teamId: d.teamId,
        ...ZERO_SUMS,
        frontierCostMicros: 0,
      };
      for (const f of SUM_FIELDS) t[f] += d[f];
      if (d.tier === FRONTIER) t.frontierCostMicros += d.costMicros;
      byTeam.set(k, t);
    }
    rows = [...byTeam.values()];
  } else {
    rows = rangeSums(database, "usage_team_rollup", ["department_id", "team_id"], scope, period, [
      "frontier_cost_micros",
    ]).map((row) => ({
      departmentId: row[0] as number,
      teamId: row[1] as number,
      ...sumsOf(row as number[], 2),
      frontierCostMicros: row[2 + SUM_FIELDS.length] as number,
    }));
  }
  return rows
    .filter((r) => nonZero(r) || r.frontierCostMicros !== 0)
    .sort((a, b) => a.departmentId - b.departmentId || a.teamId - b.teamId);
}

/** A team's (or department-level, or unallocated) cost in the 7 days before a day and in the 7 before those. */
export interface WeekCosts {
  departmentId: number;
  teamId: number;
  thisWeek: number;
  lastWeek: number;
}

/** Each team's cost in the two weeks before `weekEnd` (a UTC day), for week-over-week anomalies. One read. */
export function weekCosts(database: Db, scope: Scope, weekEnd: number, source: CellSource = "rollup"): WeekCosts[] {
  const [from, split] = [weekEnd - 14 * DAY_MS, weekEnd - 7 * DAY_MS];
  let rows: WeekCosts[];
  if (source === "records") {
    const byTeam = new Map<string, WeekCosts>();
    for (const d of recordDays(database, scope, from, weekEnd)) {
      const k = `${d.departmentId}|${d.teamId}`;
      const t = byTeam.get(k) ?? { departmentId: d.departmentId, teamId: d.teamId, thisWeek: 0, lastWeek: 0 };
      if (d.periodStart >= split) t.thisWeek += d.costMicros;
      else t.lastWeek += d.costMicros;
      byTeam.set(k, t);
    }
    rows = [...byTeam.values()];
  } else {
    const where = scopeSql(scope);
    rows = (
      statement(
        database,
        `select department_id, team_id, sum(case when period_start >= ? then cost_micros else 0 end),
                sum(case when period_start < ? then cost_micros else 0 end)
           from usage_team_rollup where grain = 'day' and period_start >= ? and period_start < ? and ${where.sql}
          group by department_id, team_id`,
      )
        .raw()
        .all(split, split, from, weekEnd, ...where.params) as number[][]
    ).map(([departmentId, teamId, thisWeek, lastWeek]) => ({ departmentId, teamId, thisWeek, lastWeek }));
  }
  return rows
    .filter((r) => r.thisWeek !== 0 || r.lastWeek !== 0)
    .sort((a, b) => a.departmentId - b.departmentId || a.teamId - b.teamId);
}

/** Cost and calls per UTC day in [from, to) per department or per team. */
export function dailyPoints(
  database: Db,
  scope: Scope,
  period: Period,
  by: "department" | "team",
  source: CellSource = "rollup",
): DailyPoint[] {
  const from = period.from.getTime();
  const to = period.to.getTime();
  let points: DailyPoint[];
  if (source === "records") {
    const byKey = new Map<string, DailyPoint>();
    for (const d of recordDays(database, scope, from, to)) {
      const groupId = by === "department" ? d.departmentId : d.teamId;
      const k = `${d.periodStart}|${groupId}`;
      const p = byKey.get(k) ?? { day: d.periodStart, groupId, costMicros: 0, calls: 0 };
      p.costMicros += d.costMicros;
      p.calls += d.calls;
      byKey.set(k, p);
    }
    points = [...byKey.values()];
  } else {
    const where = scopeSql(scope);
    const column = by === "department" ? "department_id" : "team_id";
    // The whole organisation by department from the department rollup: a row per day and department.
    const table = by === "department" && scope.all ? "usage_department_rollup" : "usage_team_rollup";
    points = (
      statement(
        database,
        `select period_start, ${column}, sum(cost_micros), sum(calls) from ${table}
          where grain = 'day' and period_start >= ? and period_start < ? and ${where.sql}
          group by period_start, ${column}`,
      )
        .raw()
        .all(from, to, ...where.params) as number[][]
    ).map(([day, groupId, costMicros, calls]) => ({ day, groupId, costMicros, calls }));
  }
  return points
    .filter((p) => p.costMicros !== 0 || p.calls !== 0)
    .sort((a, b) => a.day - b.day || a.groupId - b.groupId);
}

export const days = (from: number, to: number) =>
  Array.from({ length: Math.max(0, Math.round((to - from) / DAY_MS)) }, (_, i) => from + i * DAY_MS);
