import { type Db, statement } from "~/.server/db";
import type { Scope } from "~/.server/scope";
import { SUM_FIELDS, type Sums, ZERO_SUMS } from "~/domain/allocation";
import { type UnitEconomics, unitEconomics, type WeekOverWeek, weekOverWeek } from "~/domain/unit-economics";
import {
  type CellSource,
  type DailyPoint,
  dailyPoints,
  days as dayList,
  type Period,
  purposeCells,
  teamSums,
  type UsageCell,
  weekCosts,
} from "./production-cells";
import { FRONTIER } from "./rollup-tables";

/**
 * The production showback: what the company's AI usage cost over a period, for what the viewer may see, by
 * department, team (with unit economics and week-over-week anomalies), model, tier and source, with the daily
 * and weekly trend and, for admins, the unallocated bucket. Every view is summed from the same cells, so they all
 * add up to the same totals.
 */

const DAY_MS = 86_400_000;
/** The trend chart shows at most the period's last TREND_DAYS days, and its top TREND_SERIES groups by cost. */
export const TREND_DAYS = 92;
export const TREND_SERIES = 5;

export interface Figures extends Sums {
  frontierCostMicros: number;
  unit: UnitEconomics;
}

export interface DepartmentLine extends Figures {
  departmentId: number;
  /** "Unallocated" for department 0. */
  department: string;
  costCentre: string | null;
}

export interface TeamLine extends Figures {
  departmentId: number;
  teamId: number;
  /** "Unallocated", "<department>, no team", or the team's name. */
  team: string;
  department: string | null;
  week: WeekOverWeek;
}

export interface ModelLine extends Figures {
  provider: string;
  model: string;
  tier: string;
}

export interface ProductionShowback {
  from: string;
  to: string;
  totals: Figures;
  /** Admins only: usage no rule matched (department 0). */
  unallocated: Figures | null;
  departments: DepartmentLine[];
  teams: TeamLine[];
  models: ModelLine[];
  tiers: (Figures & { tier: string })[];
  sources: (Figures & { source: string; provider: string })[];
  /** Daily cost per the top groups (teams for a manager, departments otherwise) and the rest, for the chart. */
  trend: { days: number[]; series: { label: string; costMicros: number[] }[] };
  /** Cost and calls per week (from Monday) in the period. */
  weeks: { weekStart: string; costMicros: number; calls: number }[];
  /** The two weeks compared for anomalies: the 7 days before the period's end (or today), and the 7 before. */
  weekWindow: { thisWeekFrom: string; lastWeekFrom: string; to: string };
}

function figures(s: Sums, frontierCostMicros: number): Figures {
  return { ...pick(s), frontierCostMicros, unit: unitEconomics(s, frontierCostMicros) };
}

function pick(s: Sums): Sums {
  const out = { ...ZERO_SUMS };
  for (const f of SUM_FIELDS) out[f] = s[f];
  return out;
}

interface Acc {
  sums: Sums;
  frontier: number;
}

/** Sums rows sharing a key, each group described by its first row; costliest first. */
function group<R extends Sums & { frontierCostMicros?: number; tier?: string }, K>(
  rows: R[],
  key: (r: R) => string,
  describe: (r: R) => K,
) {
  const groups = new Map<string, { about: K } & Acc>();
  for (const r of rows) {
    const k = key(r);
    let g = groups.get(k);
    if (!g) {
      g = { about: describe(r), sums: { ...ZERO_SUMS }, frontier: 0 };
      groups.set(k, g);
    }
    for (const f of SUM_FIELDS) g.sums[f] += r[f];
    g.frontier += r.frontierCostMicros ?? (r.tier === FRONTIER ? r.costMicros : 0);
  }
  return [...groups.values()]
    .map((g) => ({ ...g.about, ...figures(g.sums, g.frontier) }))
    .sort((a, b) => b.costMicros - a.costMicros || b.calls - a.calls);
}

function names(database: Db, cells: { departmentId: number; teamId: number }[]) {
  const ids = (of: (c: { departmentId: number; teamId: number }) => number) =>
    JSON.stringify([...new Set(cells.map(of))].filter((id) => id !== 0));
  const teamRows = statement(database, "select id, name from teams where id in (select value from json_each(?))")
    .raw()
    .all(ids((c) => c.teamId)) as [number, string][];
  const departmentRows = statement(
    database,
    "select id, name, cost_centre from departments where id in (select value from json_each(?))",
  )
    .raw()
    .all(ids((c) => c.departmentId)) as [number, string, string | null][];
  const team = new Map(teamRows);
  const department = new Map(departmentRows.map(([id, name, costCentre]) => [id, { name, costCentre }]));
  return {
    team: (id: number) => team.get(id) ?? `team #${id} (deleted)`,
    department: (id: number) => department.get(id),
  };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monday = (ms: number) => ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY_MS;

export function productionShowback(
  database: Db,
  scope: Scope,
  period: Period,
  now: Date,
  source: CellSource = "rollup",
): ProductionShowback {
  const from = period.from.getTime();
  const to = period.to.getTime();
  // Two groupings summed by SQL: who used it (teams, which make the departments and totals) and what for.
  const teamsIn = teamSums(database, scope, period, source);
  const uses: UsageCell[] = purposeCells(database, scope, period, source);
  // Week-over-week: the last 7 whole days before the period's end (or today, if earlier), and the 7 before them.
  const weekEnd = Math.min(to, Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const weekly = weekCosts(database, scope, weekEnd, source);
  const byDepartment = scope.all || scope.departmentIds.length > 0;
  const daily = dailyPoints(database, scope, period, byDepartment ? "department" : "team", source);
  // Days after today with no usage are not drawn: this month's chart would fall to $0 on days still to come.
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const lastUsed = daily.reduce((m, d) => Math.max(m, d.day), -Infinity);
  const trendTo = Math.max(from + DAY_MS, Math.min(to, Math.max(today + DAY_MS, lastUsed + DAY_MS)));
  const trendFrom = Math.max(from, trendTo - TREND_DAYS * DAY_MS);
  const n = names(database, [...teamsIn, ...weekly]);
  const departmentName = (id: number) => (id === 0 ? "Unallocated" : (n.department(id)?.name ?? `department #${id}`));

  const teamLabel = (departmentId: number, teamId: number) =>
    departmentId === 0 ? "Unallocated" : teamId === 0 ? `${departmentName(departmentId)}, no team` : n.team(teamId);
  const weekOf = new Map(weekly.map((w) => [`${w.departmentId}|${w.teamId}`, w]));
  const totals = group(
    teamsIn,
    () => "all",
    () => ({}),
  )[0] ?? { ...figures(ZERO_SUMS, 0) };
  const unallocatedTeams = teamsIn.filter((t) => t.departmentId === 0);
  return {
    from: isoDay(from),
    to: isoDay(to),
    totals: { ...pick(totals), frontierCostMicros: totals.frontierCostMicros, unit: totals.unit },
    unallocated: scope.all
      ? (group(
          unallocatedTeams,
          () => "u",
          () => ({}),
        )[0] ?? figures(ZERO_SUMS, 0))
      : null,
    departments: group(
      teamsIn,
      (c) => String(c.departmentId),
      (c) => ({
        departmentId: c.departmentId,
        department: departmentName(c.departmentId),
        costCentre: n.department(c.departmentId)?.costCentre ?? null,
      }),
    ),
    teams: group(
      teamsIn,
      (c) => `${c.departmentId}|${c.teamId}`,
      (c) => ({
        departmentId: c.departmentId,
        teamId: c.teamId,
        team: teamLabel(c.departmentId, c.teamId),
        department: c.departmentId === 0 ? null : departmentName(c.departmentId),
        week: weekOverWeek(
          weekOf.get(`${c.departmentId}|${c.teamId}`)?.thisWeek ?? 0,
          weekOf.get(`${c.departmentId}|${c.teamId}`)?.lastWeek ?? 0,
        ),
      }),
    ),
    models: group(
      uses,
      (c) => `${c.provider}|${c.model}|${c.tier}`,
      (c) => ({ provider: c.provider, model: c.model, tier: c.tier }),
    ),
    tiers: group(
      uses,
      (c) => c.tier,
      (c) => ({ tier: c.tier }),
    ),
    sources: group(
      uses,
      (c) => `${c.source}|${c.provider}`,
      (c) => ({ source: c.source, provider: c.provider }),
    ),
    trend: trend(
      daily.filter((d) => d.day >= trendFrom && d.day < trendTo),
      trendFrom,
      trendTo,
      byDepartment ? departmentName : (id) => (id === 0 ? "No team" : n.team(id)),
    ),
    weeks: weeks(daily),
    weekWindow: {
      thisWeekFrom: isoDay(weekEnd - 7 * DAY_MS),
      lastWeekFrom: isoDay(weekEnd - 14 * DAY_MS),
      to: isoDay(weekEnd),
    },
  };
}

function trend(
  points: DailyPoint[],
  from: number,
  to: number,
  label: (id: number) => string,
): ProductionShowback["trend"] {
  const dayIndex = dayList(from, to);
  const index = new Map(dayIndex.map((d, i) => [d, i]));
  const totals = new Map<number, number>();
  for (const p of points) totals.set(p.groupId, (totals.get(p.groupId) ?? 0) + p.costMicros);
  const top = [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, TREND_SERIES)
    .map(([id]) => id);
  const series = top.map((id) => ({ label: label(id), costMicros: dayIndex.map(() => 0) }));
  const other = { label: "Others", costMicros: dayIndex.map(() => 0) };
  for (const p of points) {
    const i = index.get(p.day);
    if (i === undefined) continue;
    const at = top.indexOf(p.groupId);
    (at >= 0 ? series[at] : other).costMicros[i] += p.costMicros;
  }
  if (other.costMicros.some((c) => c !== 0)) series.push(other);
  return { days: dayIndex, series };
}

function weeks(points: DailyPoint[]): ProductionShowback["weeks"] {
  const byWeek = new Map<number, { costMicros: number; calls: number }>();
  for (const p of points) {
    const w = monday(p.day);
    const acc = byWeek.get(w) ?? { costMicros: 0, calls: 0 };
    acc.costMicros += p.costMicros;
    acc.calls += p.calls;
    byWeek.set(w, acc);
  }
  return [...byWeek.entries()].sort((a, b) => a[0] - b[0]).map(([w, v]) => ({ weekStart: isoDay(w), ...v }));
}
