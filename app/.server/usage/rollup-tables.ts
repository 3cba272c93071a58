import type Database from "better-sqlite3";
import { SUM_FIELDS } from "~/domain/allocation";

/**
 * The production usage rollups and how each is derived (db/usage-schema.ts has the tables). usage_rollup's day rows
 * are the allocation itself (usage/allocate.ts writes them); every other row is a grouped sum of rows already
 * written: the other tables' day rows from usage_rollup's (the department one from the team one), every table's
 * month rows from its own day rows, and usage_team_rollup's week rows (from Monday, UTC) from its day rows. Sums are
 * additive, so each equals allocating the raw rows over its period exactly.
 */

export const FRONTIER = "frontier";
export const SUM_COLUMNS = SUM_FIELDS.map((f) => f.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`));
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch: weeks start on Mondays, UTC. */
const FIRST_MONDAY = 4 * DAY_MS;

/** Monday (UTC) of the week a time falls in. */
export const mondayOf = (ms: number) => Math.floor((ms - FIRST_MONDAY) / WEEK_MS) * WEEK_MS + FIRST_MONDAY;

interface RollupTable {
  table: string;
  keys: string[];
  /** Where its day rows come from, and the frontier cost's expression there (tables that keep it apart). */
  from?: string;
  frontier?: string;
}

const ROLLUP: RollupTable = {
  table: "usage_rollup",
  keys: ["department_id", "team_id", "source", "provider", "model", "tier"],
};
/** In the order their day rows are derived: each reads a table before it. */
const DERIVED: RollupTable[] = [
  {
    table: "usage_team_rollup",
    keys: ["department_id", "team_id"],
    from: "usage_rollup",
    frontier: `case when tier = '${FRONTIER}' then cost_micros else 0 end`,
  },
  {
    table: "usage_department_rollup",
    keys: ["department_id"],
    from: "usage_team_rollup",
    frontier: "frontier_cost_micros",
  },
  { table: "usage_use_rollup", keys: ["source", "provider", "model", "tier"], from: "usage_rollup" },
];
export const ROLLUP_TABLES = [ROLLUP.table, ...DERIVED.map((d) => d.table)];

const columns = (t: RollupTable) => [...t.keys, ...SUM_COLUMNS, ...(t.frontier ? ["frontier_cost_micros"] : [])];
const sums = (frontier?: string) =>
  [...SUM_COLUMNS.map((c) => `sum(${c})`), ...(frontier ? [`sum(${frontier})`] : [])].join(", ");

/** Derives the other tables' day rows for the days listed (a JSON array), once usage_rollup's are written. */
export function deriveDays(client: Database.Database, days: string): void {
  for (const t of DERIVED)
    client
      .prepare(
        `insert into ${t.table} (grain, period_start, ${columns(t).join(", ")})
         select 'day', period_start, ${t.keys.join(", ")}, ${sums(t.frontier)} from ${t.from}
          where grain = 'day' and period_start in (select value from json_each(?))
          group by period_start, ${t.keys.join(", ")}`,
      )
      .run(days);
}

/** Deletes the days listed (a JSON array) from every rollup's day rows. */
export function dropDays(client: Database.Database, days: string): void {
  for (const table of ROLLUP_TABLES)
    client
      .prepare(`delete from ${table} where grain = 'day' and period_start in (select value from json_each(?))`)
      .run(days);
}

/** Rewrites the `grain` rows starting at `start` of the tables that have it, as the sum of their day rows in [start, end). */
export function rollPeriod(client: Database.Database, grain: "week" | "month", start: number, end: number): void {
  const tables = grain === "week" ? DERIVED.filter((t) => t.table === "usage_team_rollup") : [ROLLUP, ...DERIVED];
  client
    .transaction(() => {
      for (const t of tables) {
        client.prepare(`delete from ${t.table} where grain = ? and period_start = ?`).run(grain, start);
        client
          .prepare(
            `insert into ${t.table} (grain, period_start, ${columns(t).join(", ")})
             select ?, ?, ${t.keys.join(", ")}, ${sums(t.frontier ? "frontier_cost_micros" : undefined)} from ${t.table}
              where grain = 'day' and period_start >= ? and period_start < ?
              group by ${t.keys.join(", ")}`,
          )
          .run(grain, start, start, end);
      }
    })
    .immediate();
}
