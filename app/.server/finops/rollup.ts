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

interface Range {
  grain: "day" | "month";
  from: number;
  to: number;
}

const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** The rollup rows that cover [from, to) exactly, or null when the bounds are not whole UTC days. */
export function rangesOf(from: Date, to: Date): Range[] | null {
  const a = from.getTime();
  const b = to.getTime();
  if (a % DAY_MS !== 0 || b % DAY_MS !== 0) return null;
  const firstMonth = a === monthStart(a) ? a : nextMonth(a);
  let endMonths = firstMonth;
  while (nextMonth(endMonths) <= b) endMonths = nextMonth(endMonths);
  if (endMonths === firstMonth) return [{ grain: "day", from: a, to: b }];
  return [
    { grain: "day" as const, from: a, to: firstMonth },
    { grain: "month" as const, from: firstMonth, to: endMonths },
    { grain: "day" as const, from: endMonths, to: b },
  ].filter((r) => r.from < r.to);
}

type RollupTable = typeof ledgerRollup | typeof ledgerOrgRollup | typeof ledgerTeamRollup;

/**
 * The range's days or months as a list: for one month (the usual period) that is an equality on the primary
 * key's (grain, period_start) prefix, so the rows come out in the GROUP BY's order and need no sort.
 */
function inRange(table: RollupTable, r: Range): SQL {
  const starts: number[] = [];
  for (let t = r.from; t < r.to; t = r.grain === "day" ? t + DAY_MS : nextMonth(t)) starts.push(t);
  return and(eq(table.grain, r.grain), inArray(table.periodStart, starts))!;
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

/** The grouping of rolled-up cells: the showback's finest grain, or one of its views. */
export type CellGrain = "cell" | "department" | "team" | "course" | "model" | "purpose";

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
  department: ["departmentId"],
  team: ["teamId"],
  course: ["courseId"],
  model: ["provider", "model", "tier"],
  purpose: ["purpose"],
};

/**
 * The smallest rollup that answers a view for the viewer: per team and per department from the team rollup
 * (~500 rows a month); the whole organisation's course, model and purpose views from the rollup without teams
 * (~1,000); a scoped viewer's course, model and purpose views, and the finest cells, from the full rollup.
 */
function tableFor(scope: Scope, grain: CellGrain): RollupTable {
  if (grain === "team" || grain === "department") return ledgerTeamRollup;
  return scope.all && grain !== "cell" ? ledgerOrgRollup : ledgerRollup;
}

/**
 * spendCells from the rollup, at the finest grain or summed per view (a view's cells carry only its own
 * key: null ids and empty names elsewhere); null when the period is not made of whole UTC days.
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
  const rows = database
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
    .where(and(or(...ranges.map((range) => inRange(r, range))), scoped(r, scope)))
    .groupBy(...columns)
    // A calls count of 0 is left by the delete trigger: no ledger row is behind it.
    .having(sql`sum(${r.calls}) > 0`)
    .orderBy(...columns.map((c) => asc(c)))
    .all() as Record<string, number | string>[];
  return rows.map((row) => ({
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
