import { type Db, statement } from "~/.server/db";
import type { WeekFigures } from "~/domain/impact";
import { rollupFromRecords } from "./allocate";
import type { CellSource } from "./production-cells";
import { FRONTIER, mondayOf } from "./rollup-tables";

/**
 * The weekly usage the training impact reads, teams' own usage only (not department-level, not unallocated): each
 * listed team's weeks, and every team's weeks pooled by training cohort (the week its team trained, or untrained),
 * so that a comparison pool is a sum of a few cohorts rather than of every team. From usage_team_rollup's week rows
 * or, source "records", from allocating the raw usage rows (the definition the rollup must equal).
 */

export const EMPTY_WEEK: WeekFigures = {
  calls: 0,
  meteredCostMicros: 0,
  meteredInputTokens: 0,
  meteredOutputTokens: 0,
  costMicros: 0,
  frontierCostMicros: 0,
};

export function addWeeks(a: WeekFigures, b: WeekFigures): WeekFigures {
  return {
    calls: a.calls + b.calls,
    meteredCostMicros: a.meteredCostMicros + b.meteredCostMicros,
    meteredInputTokens: a.meteredInputTokens + b.meteredInputTokens,
    meteredOutputTokens: a.meteredOutputTokens + b.meteredOutputTokens,
    costMicros: a.costMicros + b.costMicros,
    frontierCostMicros: a.frontierCostMicros + b.frontierCostMicros,
  };
}

/** Key → week (its Monday) → figures. */
export type Weekly = Map<number, Map<number, WeekFigures>>;

/** The cohort of teams not trained (no training date). */
export const UNTRAINED = -1;

export interface TrainingWeeks {
  /** Listed team id → its weeks. */
  teams: Weekly;
  /** Cohort (training week, or UNTRAINED) → the weeks of its teams, summed. */
  cohorts: Weekly;
  /** Cohort → how many of its teams had usage in the window. */
  cohortTeams: Map<number, number>;
}

function put(into: Weekly, key: number, week: number, f: WeekFigures) {
  let byWeek = into.get(key);
  if (!byWeek) {
    byWeek = new Map();
    into.set(key, byWeek);
  }
  const known = byWeek.get(week);
  byWeek.set(week, known ? addWeeks(known, f) : f);
}

const figuresOf = ([calls, mcost, minput, moutput, cost, frontier]: number[]): WeekFigures => ({
  calls,
  meteredCostMicros: mcost,
  meteredInputTokens: minput,
  meteredOutputTokens: moutput,
  costMicros: cost,
  frontierCostMicros: frontier,
});

/** A training day's cohort in SQL: the Monday of its week (as rollup-tables.ts mondayOf), or UNTRAINED. */
const COHORT_SQL = `coalesce(((t.trained_at - 345600000) / 604800000) * 604800000 + 345600000, ${UNTRAINED})`;
const FIGURES_SQL =
  "calls, metered_cost_micros, metered_input_tokens, metered_output_tokens, cost_micros, frontier_cost_micros";
const SUMS_SQL = FIGURES_SQL.split(", ")
  .map((c) => `sum(${c})`)
  .join(", ");

/** The weeks in [from, to) (Mondays) of the teams listed (all: every team) and of every cohort. */
export function trainingWeeks(
  database: Db,
  listed: number[] | "all",
  trainedAt: Map<number, number | null>,
  from: number,
  to: number,
  source: CellSource,
): TrainingWeeks {
  const out: TrainingWeeks = { teams: new Map(), cohorts: new Map(), cohortTeams: new Map() };
  const cohortOf = (teamId: number) => {
    const at = trainedAt.get(teamId) ?? null;
    return at === null ? UNTRAINED : mondayOf(at);
  };
  const isListed = listed === "all" ? () => true : (id: number) => listed.includes(id);
  if (source === "records") {
    const seen = new Set<number>();
    for (const c of rollupFromRecords(database, from, to)) {
      if (c.teamId === 0) continue;
      const f: WeekFigures = {
        calls: c.calls,
        meteredCostMicros: c.meteredCostMicros,
        meteredInputTokens: c.meteredInputTokens,
        meteredOutputTokens: c.meteredOutputTokens,
        costMicros: c.costMicros,
        frontierCostMicros: c.tier === FRONTIER ? c.costMicros : 0,
      };
      const week = mondayOf(c.periodStart);
      if (isListed(c.teamId)) put(out.teams, c.teamId, week, f);
      put(out.cohorts, cohortOf(c.teamId), week, f);
      if (!seen.has(c.teamId)) {
        seen.add(c.teamId);
        out.cohortTeams.set(cohortOf(c.teamId), (out.cohortTeams.get(cohortOf(c.teamId)) ?? 0) + 1);
      }
    }
    return out;
  }
  const weeksOf = `select team_id, period_start, ${FIGURES_SQL} from usage_team_rollup
    where grain = 'week' and period_start >= ? and period_start < ? and team_id != 0`;
  const teamRows = (
    listed === "all"
      ? statement(database, weeksOf).raw().all(from, to)
      : statement(database, `${weeksOf} and team_id in (select value from json_each(?))`)
          .raw()
          .all(from, to, JSON.stringify(listed))
  ) as number[][];
  for (const row of teamRows) put(out.teams, row[0], row[1], figuresOf(row.slice(2)));
  const cohortRows = statement(
    database,
    `select ${COHORT_SQL} as cohort, r.period_start, ${SUMS_SQL}
       from usage_team_rollup r left join team_training t on t.team_id = r.team_id
      where r.grain = 'week' and r.period_start >= ? and r.period_start < ? and r.team_id != 0
      group by cohort, r.period_start`,
  )
    .raw()
    .all(from, to) as number[][];
  for (const row of cohortRows) put(out.cohorts, row[0], row[1], figuresOf(row.slice(2)));
  const counts = statement(
    database,
    `select ${COHORT_SQL} as cohort, count(distinct r.team_id)
       from usage_team_rollup r left join team_training t on t.team_id = r.team_id
      where r.grain = 'week' and r.period_start >= ? and r.period_start < ? and r.team_id != 0
      group by cohort`,
  )
    .raw()
    .all(from, to) as [number, number][];
  for (const [cohort, n] of counts) out.cohortTeams.set(cohort, n);
  return out;
}
