import { type Db, statement } from "~/.server/db";
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
import type { CellSource } from "./production-cells";
import { mondayOf, WEEK_MS } from "./rollup-tables";
import { teamTraining } from "./training-dates";
import { addWeeks, EMPTY_WEEK, trainingWeeks, UNTRAINED } from "./training-weeks";

interface VisibleTeam {
  id: number;
  name: string;
  departmentId: number;
  department: string;
}

const byName = new Intl.Collator("en");

/**
 * Training impact per team, on the production bill (app/domain/impact.ts has the method): each trained team's
 * weekly figures around its training week against the pooled figures of the teams not trained by the end of its
 * comparison window, the estimates with their 95% intervals, and the monthly saving they imply. Teams the viewer
 * may see are listed; every team's usage serves as comparison (pooled, never shown one by one).
 */

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
  /**
   * Implied by the cost-per-call estimate (a percentage) on the team's own spend since training: what that spend
   * would have been without the change, minus the spend. Positive is money saved.
   */
  saving: { savingMicros: number; lowMicros: number; highMicros: number } | null;
  /** Calls and metered spend (micro-dollars) per 30 days over the weeks after training that had calls. */
  callsPerMonth: number | null;
  spendPerMonthMicros: number | null;
  /** Cost per call (micro-dollars) in each of the last TREND_WEEKS weeks, null in a week without calls. */
  trend: (number | null)[];
}

/** Weeks from the training week compared: PRE_WEEKS before it and POST_WEEKS after (the week itself left out). */
const OFFSETS = [
  ...Array.from({ length: PRE_WEEKS }, (_, i) => i - PRE_WEEKS),
  ...Array.from({ length: POST_WEEKS }, (_, i) => i + 1),
];

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function trainingImpact(database: Db, scope: Scope, now: Date, source: CellSource = "rollup"): TeamImpact[] {
  const training = teamTraining(database);
  const thisWeek = mondayOf(now.getTime());
  const trainedWeeks = [...training.values()].flatMap((t) => (t.trainedAt === null ? [] : [mondayOf(t.trainedAt)]));
  const from = Math.min(thisWeek - TREND_WEEKS * WEEK_MS, ...trainedWeeks.map((w) => w - PRE_WEEKS * WEEK_MS));
  const to = Math.max(thisWeek + WEEK_MS, ...trainedWeeks.map((w) => w + (POST_WEEKS + 1) * WEEK_MS));
  const visibleTeams = statement(
    database,
    "select t.id, t.name, t.department_id, d.name from teams t join departments d on d.id = t.department_id",
  )
    .raw()
    .all()
    .map((row) => {
      const [id, name, departmentId, department] = row as [number, string, number, string];
      return { id, name, departmentId, department } as VisibleTeam;
    })
    .filter((t) => scope.all || scope.teamIds.includes(t.id) || scope.departmentIds.includes(t.departmentId))
    .sort((a, b) => byName.compare(a.department, b.department) || byName.compare(a.name, b.name));
  const trainedAt = new Map([...training.values()].map((t) => [t.teamId, t.trainedAt]));
  const data = trainingWeeks(database, scope.all ? "all" : visibleTeams.map((t) => t.id), trainedAt, from, to, source);

  // A team's comparison depends only on its training week: the teams not trained by the end of its window (itself
  // excluded, as it trained within it), their weeks pooled by offset from the training week. One pool per week.
  const pools = new Map<number, { teams: number; weeks: Map<number, WeekFigures> }>();
  const poolFor = (w0: number) => {
    const known = pools.get(w0);
    if (known) return known;
    const windowEnd = w0 + (POST_WEEKS + 1) * WEEK_MS;
    const cohorts = [...data.cohorts.keys()].filter((c) => c === UNTRAINED || c >= windowEnd);
    const weeks = new Map<number, WeekFigures>();
    for (const k of OFFSETS) {
      let pooled: WeekFigures | null = null;
      for (const c of cohorts) {
        const g = data.cohorts.get(c)?.get(w0 + k * WEEK_MS);
        if (g) pooled = addWeeks(pooled ?? EMPTY_WEEK, g);
      }
      if (pooled) weeks.set(k, pooled);
    }
    const pool = { teams: cohorts.reduce((n, c) => n + (data.cohortTeams.get(c) ?? 0), 0), weeks };
    pools.set(w0, pool);
    return pool;
  };

  return visibleTeams.map((t) => {
    const info = training.get(t.id);
    const own = data.teams.get(t.id) ?? new Map<number, WeekFigures>();
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
        spendPerMonthMicros: null,
      } as TeamImpact;
    const w0 = mondayOf(info.trainedAt);
    const pool = poolFor(w0);
    const mine = new Map<number, WeekFigures>();
    for (const k of OFFSETS) {
      const f = own.get(w0 + k * WEEK_MS);
      if (f) mine.set(k, f);
    }
    const theirs = pool.weeks;
    const estimates: Partial<Record<Metric, Estimate>> = {};
    let reason: string | null = null;
    for (const metric of METRICS) {
      const outcome = differenceInDifferences(mine, theirs, metric);
      if (outcome.ok) estimates[metric] = outcome.estimate;
      else reason ??= pool.teams === 0 ? "no team left untrained to compare with over those weeks" : outcome.reason;
    }
    const after = OFFSETS.filter((k) => k > 0 && mine.has(k));
    const perMonth = (of: (f: WeekFigures) => number) =>
      after.length > 0
        ? Math.round((after.reduce((s, k) => s + of(mine.get(k) ?? EMPTY_WEEK), 0) / (after.length * 7)) * 30)
        : null;
    const callsPerMonth = perMonth((f) => f.calls);
    const spendPerMonthMicros = perMonth((f) => f.meteredCostMicros);
    const cost = estimates.costPerCall;
    return {
      ...base,
      status: cost ? "estimated" : "not enough data",
      reason: cost ? null : reason,
      estimates,
      saving: cost && spendPerMonthMicros !== null ? monthlySaving(cost, spendPerMonthMicros) : null,
      callsPerMonth,
      spendPerMonthMicros,
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
