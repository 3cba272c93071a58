import type { Db } from "~/.server/db";
import { type AllocatedCell, allocate, type DimDay, SUM_FIELDS, type Sums } from "~/domain/allocation";
import { type AttributionContext, attributionContext } from "./attribution-data";
import { attributionFingerprint } from "./fingerprint";
import { DAY_MS, deriveDays, dropDays, mondayOf, rollPeriod, SUM_COLUMNS, WEEK_MS } from "./rollup-tables";

/**
 * Keeps the production usage rollups (usage/rollup-tables.ts) equal to allocating the imported usage under the
 * current rules. The triggers on usage_records mark each day whose usage changed (usage_dirty_days); `reallocate`
 * recomputes those days, or every day when the rules or the organisation changed, then the weeks and months they
 * fall in.
 *
 * Each slice of days is read (from usage_dim_daily: one row per day and dimension combination) and rewritten in
 * one transaction, so an import writing at the same time is either wholly in a chunk or marks its days dirty again
 * for the next run. A day's shared splits depend only on that day, so chunks are independent.
 */

/**
 * Days per slice: a day is ~3,000–5,000 dimension rows at 5M imported rows a quarter. Few keep the objects alive at
 * once small (peak RSS of attributing 88 days of a 5M-row import: 14 days a slice +262 MB, 2 days +113 MB) and each
 * slice short: at 300k rows (85k day rows, 200 rules) a slice takes a median 22 ms of CPU with one day, 50 ms with
 * two, for the same total (the attribution context kept between slices; bench/rule-save-stall.ts).
 */
const CHUNK_DAYS = 1;

/** The rollup grouping of an allocated cell (usage_rollup's key), and its sums. */
export interface RollupCell extends Sums {
  periodStart: number;
  departmentId: number;
  teamId: number;
  source: string;
  provider: string;
  model: string;
  tier: string;
}

const monthOf = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** Allocated cells grouped as usage_rollup's day rows. Pure, given the context. */
export function rollupCells(cells: readonly AllocatedCell[], context: AttributionContext): RollupCell[] {
  const groups = new Map<string, RollupCell>();
  for (const c of cells) {
    const dim = context.dims.get(c.dimId);
    if (!dim) continue;
    const key = `${c.day}|${c.departmentId}|${c.teamId}|${dim.source}|${dim.provider}|${dim.model}|${dim.tier}`;
    const group = groups.get(key);
    if (group) for (const f of SUM_FIELDS) group[f] += c[f];
    else
      groups.set(key, {
        periodStart: c.day,
        departmentId: c.departmentId,
        teamId: c.teamId,
        source: dim.source,
        provider: dim.provider,
        model: dim.model,
        tier: dim.tier,
        ...pick(c),
      });
  }
  return [...groups.values()];
}

function pick(c: Sums): Sums {
  return Object.fromEntries(SUM_FIELDS.map((f) => [f, c[f]])) as Sums;
}

/** The days whose usage changed since they were last allocated (each comes off the list with its slice). */
function dirtyDays(database: Db): number[] {
  return database.$client.prepare("select day from usage_dirty_days").pluck().all() as number[];
}

function allDays(database: Db): number[] {
  return database.$client.prepare("select distinct day from usage_dim_daily order by day").pluck().all() as number[];
}

export interface ReallocateReport {
  days: number;
  months: number;
}

/**
 * Recomputes the allocation of `days` ("dirty": those marked by the triggers, the default; "all": every day with
 * usage, after a change of rules or organisation). Runs to the end in one go: for small sets of days (a pull, a
 * rule saved on a small history). Large ones go through `reallocateInSlices`.
 */
export function reallocate(database: Db, days: "dirty" | "all" | number[] = "dirty"): ReallocateReport {
  const steps = reallocationSteps(database, days);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same, giving the event loop back between slices of CHUNK_DAYS days, so that attributing the history of a
 * multi-million-row import (about 0.1 s of work a day) never holds up the server's requests.
 */
export async function reallocateInSlices(
  database: Db,
  days: "dirty" | "all" | number[] = "dirty",
): Promise<ReallocateReport> {
  const steps = reallocationSteps(database, days);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * One transaction per slice of days, with the weeks and months each slice finishes; yields after each slice. Exported
 * so a test can stop a run between slices, as a killed process would.
 */
export function* reallocationSteps(
  database: Db,
  days: "dirty" | "all" | number[],
): Generator<void, ReallocateReport, void> {
  // "all" takes the dirty days too (a day whose rows were all restated away has no usage left but stale rollups).
  const list = [
    ...new Set(
      days === "dirty" ? dirtyDays(database) : days === "all" ? [...allDays(database), ...dirtyDays(database)] : days,
    ),
  ].sort((a, b) => a - b);
  if (list.length === 0) return { days: 0, months: 0 };
  const s = database.$client;
  const readDays = s.prepare(
    `select day, dim_id, ${SUM_COLUMNS.join(", ")} from usage_dim_daily
      where day in (select value from json_each(?)) and records > 0`,
  );
  const insertCell = s.prepare(
    `insert into usage_rollup (grain, period_start, department_id, team_id, source, provider, model, tier, ${SUM_COLUMNS.join(", ")})
     values ('day', ?, ?, ?, ?, ?, ?, ?, ${SUM_COLUMNS.map(() => "?").join(", ")})`,
  );
  const clearMarks = s.prepare("delete from usage_dirty_days where day in (select value from json_each(?))");
  const dimsMark = s.prepare("select count(*) || '/' || coalesce(max(id), 0) from usage_dims").pluck();
  // The context (every combination attributed under every rule: ~0.1 s at 3,200 combinations and 200 rules, most of a
  // slice's time) is kept between slices while nothing it reads changed: the fingerprint covers the rules, teams'
  // departments and users' teams; combinations are only ever added.
  let cached: { key: string; context: AttributionContext } | null = null;
  const contextNow = () => {
    const key = `${attributionFingerprint(database).value}|${dimsMark.get()}`;
    if (cached?.key !== key) cached = { key, context: attributionContext(database) };
    return cached.context;
  };
  const months = [...new Set(list.map(monthOf))];
  for (let i = 0; i < list.length; i += CHUNK_DAYS) {
    const slice = list.slice(i, i + CHUNK_DAYS);
    const chunk = JSON.stringify(slice);
    const later = list[i + CHUNK_DAYS];
    s.transaction(() => {
      // Read inside the slice's transaction: rules saved while an earlier slice was waiting apply to this one.
      const context = contextNow();
      const rows = readDays.all(chunk) as Record<string, number>[];
      const cells: DimDay[] = rows.map((r) => ({
        day: r.day,
        dimId: r.dim_id,
        ...(Object.fromEntries(SUM_FIELDS.map((f, k) => [f, r[SUM_COLUMNS[k]]])) as Sums),
      }));
      const allocated = rollupCells(allocate(cells, context.attributionOf, context.departmentOf), context);
      dropDays(s, chunk);
      for (const c of allocated)
        insertCell.run(
          c.periodStart,
          c.departmentId,
          c.teamId,
          c.source,
          c.provider,
          c.model,
          c.tier,
          ...SUM_FIELDS.map((f) => c[f]),
        );
      deriveDays(s, chunk);
      // The days come off the dirty list with their rows, and each week and month is rolled up in the slice that
      // finishes it: a process killed between slices leaves the rest marked, and the next run completes them.
      clearMarks.run(chunk);
      for (const week of new Set(slice.map(mondayOf)))
        if (later === undefined || mondayOf(later) !== week) rollPeriod(s, "week", week, week + WEEK_MS);
      for (const month of new Set(slice.map(monthOf)))
        if (later === undefined || monthOf(later) !== month) rollPeriod(s, "month", month, nextMonth(month));
    }).immediate();
    yield;
  }
  return { days: list.length, months: months.length };
}

/**
 * The definition the rollup must equal: usage_records in [from, to) grouped by day and dimension combination,
 * allocated under the current rules, grouped as usage_rollup's day rows. Tests and the benchmark compare the two.
 */
export function rollupFromRecords(database: Db, from: number, to: number): RollupCell[] {
  const metered = (c: string) => `sum(case when calls is null then 0 else ${c} end)`;
  const rows = database.$client
    .prepare(
      `select cast(period_start / ${DAY_MS} as integer) * ${DAY_MS} as day, dim_id, sum(coalesce(calls, 0)) as calls,
              sum(input_tokens) as input, sum(cached_input_tokens) as cached, sum(output_tokens) as output,
              sum(cost_micros) as cost, ${metered("cost_micros")} as mcost, ${metered("input_tokens")} as minput,
              ${metered("cached_input_tokens")} as mcached, ${metered("output_tokens")} as moutput
         from usage_records where period_start >= ? and period_start < ? group by 1, 2`,
    )
    .raw()
    .all(from, to) as number[][];
  const cells: DimDay[] = rows.map(
    ([day, dimId, calls, input, cached, output, cost, mcost, minput, mcached, moutput]) => ({
      day,
      dimId,
      calls,
      inputTokens: input,
      cachedInputTokens: cached,
      outputTokens: output,
      costMicros: cost,
      meteredCostMicros: mcost,
      meteredInputTokens: minput,
      meteredCachedInputTokens: mcached,
      meteredOutputTokens: moutput,
    }),
  );
  const context = attributionContext(database);
  return rollupCells(allocate(cells, context.attributionOf, context.departmentOf), context);
}
