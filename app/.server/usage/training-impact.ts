import { eq } from "drizzle-orm";
import { departments, teams } from "#db/schema";
import type { Db } from "~/.server/db";
import type { Scope } from "~/.server/scope";
import {
  differenceInDifferences,
  type Estimate,
  METRICS,
  type Metric,
  metricOf,
  monthlySaving,
  POST_WEEKS,
  PRE_WEEKS,
  TREND_WEEKS,
  type WeekFigures,
} from "~/domain/impact";
import { FRONTIER, rollupFromRecords } from "./allocate";
import type { CellSource } from "./production-cells";
import { teamTraining } from "./training-dates";

/**
 * Training impact per team, on the production bill (app/domain/impact.ts has the method): each trained team's
 * weekly figures around its training week against the pooled figures of the teams not trained by the end of its
 * comparison window, the estimates with their 95% intervals, and the monthly saving they imply. Teams the viewer
 * may see are listed; every team's usage serves as comparison (pooled, never shown one by one).
 */

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface TeamImpact {
  teamId: number;
  team: string;
  department: string;
  /** The training day (UTC, YYYY-MM-DD), or null when the team is not trained yet. */
  trainedOn: string | null;
  members: number;
  completed: number;
  status: "estimated" | "not trained" | "not enough data";
  reason: string | null;
  estimates: Partial<Record<Metric, Estimate>>;
  /** Implied by the cost-per-call estimate at the team's calls after training; positive is money saved. */
  saving: { savingMicros: number; lowMicros: number; highMicros: number } | null;
  callsPerMonth: number | null;
  /** Cost per call (micro-dollars) in each of the last TREND_WEEKS weeks, null in a week without calls. */
  trend: (number | null)[];
}

/** Monday (UTC) of the week a time falls in. */
export const mondayOf = (ms: number) => {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
};

const EMPTY: WeekFigures = {
  calls: 0,
  meteredCostMicros: 0,
  meteredInputTokens: 0,
  meteredOutputTokens: 0,
  costMicros: 0,
  frontierCostMicros: 0,
};

function add(a: WeekFigures, b: WeekFigures): WeekFigures {
  return {
    calls: a.calls + b.calls,
    meteredCostMicros: a.meteredCostMicros + b.meteredCostMicros,
    meteredInputTokens: a.meteredInputTokens + b.meteredInputTokens,
    meteredOutputTokens: a.meteredOutputTokens + b.meteredOutputTokens,
    costMicros: a.costMicros + b.costMicros,
    frontierCostMicros: a.frontierCostMicros + b.frontierCostMicros,
  };
}

/** Team id → week (its Monday) → figures, for teams' own usage (not department-level, not unallocated). */
type Weekly = Map<number, Map<number, WeekFigures>>;

function weekly(database: Db, from: number, to: number, source: CellSource): Weekly {
  const out: Weekly = new Map();
  const put = (team: number, week: number, f: WeekFigures) => {
    const byWeek = out.get(team) ?? new Map<number, WeekFigures>();
    byWeek.set(week, add(byWeek.get(week) ?? EMPTY, f));
    out.set(team, byWeek);
  };
  if (source === "records") {
    for (const c of rollupFromRecords(database, from, to)) {
      if (c.teamId === 0) continue;
      put(c.teamId, mondayOf(c.periodStart), {
        calls: c.calls,
        meteredCostMicros: c.meteredCostMicros,
        meteredInputTokens: c.meteredInputTokens,
        meteredOutputTokens: c.meteredOutputTokens,
        costMicros: c.costMicros,
        frontierCostMicros: c.tier === FRONTIER ? c.costMicros : 0,
      });
    }
    return out;
  }
  // Monday of a day: days since 1970-01-05 (a Monday), in whole weeks.
  const rows = database.$client
    .prepare(
      `select team_id, ((period_start - 345600000) / ${WEEK_MS}) * ${WEEK_MS} + 345600000 as week, sum(calls),
              sum(metered_cost_micros), sum(metered_input_tokens), sum(metered_output_tokens), sum(cost_micros),
              sum(frontier_cost_micros)
         from usage_team_rollup where grain = 'day' and period_start >= ? and period_start < ? and team_id != 0
        group by team_id, week`,
    )
    .raw()
    .all(from, to) as number[][];
  for (const [team, week, calls, mcost, minput, moutput, cost, frontier] of rows)
    put(team, week, {
      calls,
      meteredCostMicros: mcost,
      meteredInputTokens: minput,
      meteredOutputTokens: moutput,
      costMicros: cost,
      frontierCostMicros: frontier,
    });
  return out;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function trainingImpact(database: Db, scope: Scope, now: Date, source: CellSource = "rollup"): TeamImpact[] {
  const training = teamTraining(database);
  const thisWeek = mondayOf(now.getTime());
  const trainedWeeks = [...training.values()].flatMap((t) => (t.trainedAt === null ? [] : [mondayOf(t.trainedAt)]));
  const from = Math.min(thisWeek - TREND_WEEKS * WEEK_MS, ...trainedWeeks.map((w) => w - PRE_WEEKS * WEEK_MS));
  const to = Math.max(thisWeek + WEEK_MS, ...trainedWeeks.map((w) => w + (POST_WEEKS + 1) * WEEK_MS));
  const data = weekly(database, from, to, source);

  const visibleTeams = database
    .select({ id: teams.id, name: teams.name, departmentId: teams.departmentId, department: departments.name })
    .from(teams)
    .innerJoin(departments, eq(departments.id, teams.departmentId))
    .all()
    .filter((t) => scope.all || scope.teamIds.includes(t.id) || scope.departmentIds.includes(t.departmentId))
    .sort((a, b) => a.department.localeCompare(b.department) || a.name.localeCompare(b.name));

  return visibleTeams.map((t) => {
    const info = training.get(t.id);
    const own = data.get(t.id) ?? new Map<number, WeekFigures>();
    const trend = Array.from({ length: TREND_WEEKS }, (_, i) => {
      const f = own.get(thisWeek - (TREND_WEEKS - 1 - i) * WEEK_MS);
      const v = f ? metricOf(f, "costPerCall") : null;
      return v === null ? null : Math.round(v);
    });
    const base = {
      teamId: t.id,
      team: t.name,
      department: t.department,
      trainedOn: info?.trainedAt ? isoDay(info.trainedAt) : null,
      members: info?.members ?? 0,
      completed: info?.completed ?? 0,
      trend,
    };
    if (!info?.trainedAt)
      return {
        ...base,
        status: "not trained",
        reason: null,
        estimates: {},
        saving: null,
        callsPerMonth: null,
      } as TeamImpact;
    const w0 = mondayOf(info.trainedAt);
    const offsets = [
      ...Array.from({ length: PRE_WEEKS }, (_, i) => i - PRE_WEEKS),
      ...Array.from({ length: POST_WEEKS }, (_, i) => i + 1),
    ];
    // Comparison: teams with no training before the end of this team's window, their weeks pooled.
    const windowEnd = w0 + (POST_WEEKS + 1) * WEEK_MS;
    const comparisonTeams = [...data.keys()].filter((id) => {
      if (id === t.id) return false;
      const at = training.get(id)?.trainedAt ?? null;
      return at === null || mondayOf(at) >= windowEnd;
    });
    const mine = new Map<number, WeekFigures>();
    const theirs = new Map<number, WeekFigures>();
    for (const k of offsets) {
      const week = w0 + k * WEEK_MS;
      const f = own.get(week);
      if (f) mine.set(k, f);
      let pooled: WeekFigures | null = null;
      for (const id of comparisonTeams) {
        const g = data.get(id)?.get(week);
        if (g) pooled = add(pooled ?? EMPTY, g);
      }
      if (pooled) theirs.set(k, pooled);
    }
    const estimates: Partial<Record<Metric, Estimate>> = {};
    let reason: string | null = null;
    for (const metric of METRICS) {
      const outcome = differenceInDifferences(mine, theirs, metric);
      if (outcome.ok) estimates[metric] = outcome.estimate;
      else
        reason ??=
          comparisonTeams.length === 0 ? "no team left untrained to compare with over those weeks" : outcome.reason;
    }
    const after = offsets.filter((k) => k > 0 && mine.has(k));
    const callsAfter = after.reduce((s, k) => s + (mine.get(k)?.calls ?? 0), 0);
    const callsPerMonth = after.length > 0 ? Math.round((callsAfter / (after.length * 7)) * 30) : null;
    const cost = estimates.costPerCall;
    return {
      ...base,
      status: cost ? "estimated" : "not enough data",
      reason: cost ? null : reason,
      estimates,
      saving: cost && callsPerMonth !== null ? monthlySaving(cost, callsPerMonth) : null,
      callsPerMonth,
    } as TeamImpact;
  });
}

/** What the team leaderboard shows of it, per team id: the saving (or why none) and the weekly cost per call. */
export interface ImpactColumns {
  saving: TeamImpact["saving"];
  status: TeamImpact["status"];
  trend: (number | null)[];
  /** Mean cost per call of the last 4 weeks with calls against the 4 before them, as a fraction; null without both. */
  trendChange: number | null;
}

export function teamImpactColumns(database: Db, now: Date): Record<number, ImpactColumns> {
  const all: Scope = { all: true, teamIds: [], departmentIds: [] };
  const out: Record<number, ImpactColumns> = {};
  for (const t of trainingImpact(database, all, now)) {
    const weeks = t.trend.filter((v): v is number => v !== null);
    const recent = weeks.slice(-4);
    const earlier = weeks.slice(-8, -4);
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    out[t.teamId] = {
      saving: t.saving,
      status: t.status,
      trend: t.trend,
      trendChange:
        recent.length === 4 && earlier.length === 4 && avg(earlier) > 0 ? avg(recent) / avg(earlier) - 1 : null,
    };
  }
  return out;
}
