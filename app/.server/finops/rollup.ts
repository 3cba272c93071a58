import { and, asc, eq, gte, inArray, ne, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { ledgerOrgRollup, ledgerRollup, ledgerTeamRollup } from "#db/schema";
import type { DbLike } from "~/.server/db";
import type { Scope } from "~/.server/scope";
import type { Period } from "./period";
import type { SpendCell } from "./showback";

/**
 * Reads of the ledger_rollup table (db/schema.ts; kept by triggers on model_calls): the same sums as a
 * grouped scan of the ledger, from per-day, per-month and all-time rows. A period of whole UTC days is read as its
 * whole calendar months from the monthly rows plus the days before and after them from the daily rows.
 */

const DAY_MS = 24 * 3600 * 1000;

/** Rollup rows to add (sign 1) or subtract (sign -1): a grain and the starts of its days or months. */
export interface Range {
  grain: "day" | "month";
  starts: number[];
  sign: 1 | -1;
}

const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
const days = (from: number, to: number) => Array.from({ length: (to - from) / DAY_MS }, (_, i) => from + i * DAY_MS);

/**
 * The rollup rows whose sum is exactly [from, to), or null when the bounds are not whole UTC days. Each month the
 * period covers whole is its monthly row. A month it covers in part is whichever reads fewer rows: its days inside
 * the period, or its monthly row minus its days outside (the sums are additive, so subtracting is exact). A year
 * from the 2nd to the 30th reads 12 monthly rows and 3 daily ones instead of 11 and 58.
 */
export function rangesOf(from: Date, to: Date): Range[] | null {
  const a = from.getTime();
  const b = to.getTime();
  if (a % DAY_MS !== 0 || b % DAY_MS !== 0) return null;
  const plus = { month: [] as number[], day: [] as number[] };
  const minus: number[] = [];
  for (let m = monthStart(a); m < b; m = nextMonth(m)) {
    const end = nextMonth(m);
    const inside = { from: Math.max(a, m), to: Math.min(b, end) };
    const outside = days(m, inside.from).concat(days(inside.to, end));
    if (outside.length === 0) plus.month.push(m);
    else if (inside.to - inside.from <= outside.length * DAY_MS) plus.day.push(...days(inside.from, inside.to));
    else {
      plus.month.push(m);
      minus.push(...outside);
    }
  }
  const ranges: Range[] = [
    { grain: "month", starts: plus.month, sign: 1 },
    { grain: "day", starts: plus.day, sign: 1 },
    { grain: "day", starts: minus, sign: -1 },
  ];
  return ranges.filter((r) => r.starts.length > 0);
}

type RollupTable = typeof ledgerRollup | typeof ledgerOrgRollup | typeof ledgerTeamRollup;

/** A range as a condition: an equality on the primary key's grain and a list of its period starts. */
function inRange(table: RollupTable, r: Range): SQL {
  return and(eq(table.grain, r.grain), inArray(table.periodStart, r.starts))!;
}

/**
 * The viewer's scope on a rollup's team and department columns, as ledgerFilter does on the ledger's. Only the
 * whole organisation reads ledger_org_rollup, which has no team column (tableFor).
 */
function scoped(table: RollupTable, scope: Scope): SQL | undefined {
  if (scope.all) return undefined;
  if (!("teamId" in table)) throw new Error("a scoped read needs a rollup with teams");
  const branches: SQL[] = [];
  if (scope.teamIds.length > 0) branches.push(inArray(table.teamId, scope.teamIds));
  if (scope.departmentIds.length > 0) branches.push(inArray(table.departmentId, scope.departmentIds));
  return branches.length === 0 ? sql`0` : or(...branches);
}

const orNull = (id: number) => (id === 0 ? null : id);

const SUMMED = [
  "calls",
  "inputTokens",
  "cachedInputTokens",
  "outputTokens",
  "costMicros",
  "cacheHits",
  "savedMicros",
] as const;

/**
 * The grouping of rolled-up cells: the showback's finest grain; by department and team (the team and department
 * views come from these); or by course, model and purpose (the course, model and purpose views and the totals).
 */
export type CellGrain = "cell" | "teams" | "uses";

const keysOf = (t: RollupTable) => ({
  departmentId: t.departmentId,
  teamId: "teamId" in t ? t.teamId : undefined,
  courseId: "courseId" in t ? t.courseId : undefined,
  provider: "provider" in t ? t.provider : undefined,
  model: "model" in t ? t.model : undefined,
  tier: "tier" in t ? t.tier : undefined,
  purpose: "purpose" in t ? t.purpose : undefined,
});
type Key = keyof ReturnType<typeof keysOf>;

const GROUPED: Record<CellGrain, Key[]> = {
  cell: ["departmentId", "teamId", "courseId", "provider", "model", "tier", "purpose"],
  teams: ["departmentId", "teamId"],
  uses: ["courseId", "provider", "model", "tier", "purpose"],
};

/**
 * The smallest rollup that answers a grouping for the viewer: by team from the team rollup (~500 rows a month);
 * the whole organisation's course, model and purpose cells from the rollup without teams (~1,000); a scoped
 * viewer's, and the finest cells, from the full rollup.
 */
function tableFor(scope: Scope, grain: CellGrain): RollupTable {
  if (grain === "teams") return ledgerTeamRollup;
  return scope.all && grain === "uses" ? ledgerOrgRollup : ledgerRollup;
}

/**
 * spendCells from the rollup, at the finest grain or summed per grouping (a grouping's cells carry only its own
 * keys: null ids and empty names elsewhere, purpose "target" when not grouped by purpose); null when the period
 * is not made of whole UTC days.
 */
export function rolledUpCells(
  database: DbLike,
  scope: Scope,
  period: Pick<Period, "from" | "to">,
  grain: CellGrain = "cell",
): SpendCell[] | null {
  const ranges = rangesOf(period.from, period.to);
  if (!ranges) return null;
  const r = tableFor(scope, grain);
  const keys = GROUPED[grain];
  const all = keysOf(r);
  const columns = keys.map((k) => all[k] as SQLiteColumn);
  const sums = (within: Range[]) =>
    database
      .select({
        ...Object.fromEntries(keys.map((k) => [k, all[k] as SQLiteColumn])),
        calls: sql<number>`sum(${r.calls})`,
        inputTokens: sql<number>`sum(${r.inputTokens})`,
        cachedInputTokens: sql<number>`sum(${r.cachedInputTokens})`,
        outputTokens: sql<number>`sum(${r.outputTokens})`,
        costMicros: sql<number>`sum(${r.costMicros})`,
        cacheHits: sql<number>`sum(${r.cacheHits})`,
        savedMicros: sql<number>`sum(${r.savedMicros})`,
      })
      .from(r)
      .where(and(or(...within.map((range) => inRange(r, range))), scoped(r, scope)))
      .groupBy(...columns)
      // A calls count of 0 is left by the delete trigger: no ledger row is behind it.
      .having(sql`sum(${r.calls}) > 0`)
      .orderBy(...columns.map((c) => asc(c)))
      .all() as Record<string, number | string>[];
  const rows = sums(ranges.filter((range) => range.sign === 1));
  const subtracted = ranges.filter((range) => range.sign === -1);
  if (subtracted.length > 0) {
    // Days subtracted from a month are a subset of its rows: take each of their cells off the month's cell.
    const key = (row: Record<string, number | string>) => JSON.stringify(keys.map((k) => row[k]));
    const byKey = new Map(rows.map((row) => [key(row), row]));
    for (const less of sums(subtracted)) {
      const row = byKey.get(key(less));
      if (!row) throw new Error(`ledger rollups disagree: a day's cell ${key(less)} is missing from its month`);
      for (const m of SUMMED) row[m] = (row[m] as number) - (less[m] as number);
    }
  }
  // A month minus all of its days leaves no call behind a cell.
  return rows
    .filter((row) => (row.calls as number) > 0)
    .map((row) => ({
      calls: row.calls as number,
      inputTokens: row.inputTokens as number,
      cachedInputTokens: row.cachedInputTokens as number,
      outputTokens: row.outputTokens as number,
      costMicros: row.costMicros as number,
      cacheHits: row.cacheHits as number,
      savedMicros: row.savedMicros as number,
      departmentId: orNull((row.departmentId as number) ?? 0),
      teamId: orNull((row.teamId as number) ?? 0),
      courseId: orNull((row.courseId as number) ?? 0),
      provider: (row.provider as string) ?? "",
      model: (row.model as string) ?? "",
      tier: (row.tier as string) ?? "",
      purpose: (row.purpose as SpendCell["purpose"]) ?? "target",
    }));
}

/** Spend per team or department id since `start` (all time when null), as the leaderboards show it. */
export function rolledUpSpend(database: DbLike, level: "team" | "department", start: Date | null): Map<number, number> {
  const t = ledgerTeamRollup;
  const column = level === "team" ? t.teamId : t.departmentId;
  // Windows start on a Monday or a 1st: the daily rows answer a week, the monthly rows a month.
  const grain = !start ? "all" : start.getTime() !== monthStart(start.getTime()) ? "day" : "month";
  const rows = database
    .select({ id: column, micros: sql<number>`sum(${t.costMicros})` })
    .from(t)
    .where(and(eq(t.grain, grain), ne(column, 0), gte(t.periodStart, start?.getTime() ?? 0)))
    .groupBy(column)
    .all();
  return new Map(rows.map((r) => [r.id, r.micros ?? 0]));
}

/** A calendar month's spend per team or department id among `ids`. */
export function rolledUpMonthSpend(
  database: DbLike,
  level: "team" | "department",
  ids: number[],
  monthStartDate: Date,
): Map<number, number> {
  const t = ledgerTeamRollup;
  const column = level === "team" ? t.teamId : t.departmentId;
  const rows = database
    .select({ id: column, total: sql<number>`sum(${t.costMicros})` })
    .from(t)
    .where(and(eq(t.grain, "month"), eq(t.periodStart, monthStartDate.getTime()), inArray(column, ids)))
    .groupBy(column)
    .all();
  return new Map(rows.map((r) => [r.id, r.total]));
}
