import { sql } from "drizzle-orm";
import type { bestScores } from "#db/schema";
import { recordCompletionOfExercise } from "../assignments/completion";
import { type Db, type DbLike, statement } from "../db";
import { normalisedScore } from "./normalise";
import { type Window, weekStart, windowStart } from "./windows";

/**
 * The best_scores rollup (db/schema.ts): per learner, exercise and period (all time, calendar week,
 * calendar month), the best graded score, whether it passed, and the best normalised passing score.
 * Boards and the progress grid read it instead of grouping every attempt, which took seconds for an
 * organisation with a million attempts (bench/org-scale.ts).
 *
 * recordBest runs in the transaction that scores an attempt; rebuildRollups recomputes the table from
 * the attempts (after a bulk load, or if a model's tier is ever changed).
 */

type Period = (typeof bestScores.$inferSelect)["period"];

/** The periods an attempt made at `at` counts in. */
function periodsOf(at: Date): { period: Period; start: number }[] {
  return [
    { period: "all", start: 0 },
    { period: "week", start: weekStart(at).getTime() },
    { period: "month", start: Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1) },
  ];
}

/** The period a leaderboard window reads. */
export function periodOf(window: Window, now: Date): { period: Period; start: number } {
  return { period: window, start: windowStart(window, now)?.getTime() ?? 0 };
}

/**
 * normalisedScore(score, d, tier) = round(score × k / 1000) with k = (8 + d) × tier percent, an integer;
 * k is normalisedScore(1000, d, tier), so SQL can apply the same rule as normalise.ts.
 */
function factor(difficulty: number | null, tier: string): number {
  return normalisedScore(1000, difficulty ?? 1, tier);
}

/** The version's difficulty and the tier of the model the attempt ran on (the version's tier if unknown). */
function factorFor(database: DbLike, versionId: number, modelId: string): number {
  // Run for every passing attempt as it is scored: prepared once per connection.
  const v = statement(
    database,
    "select json_extract(content, '$.difficulty') as difficulty, json_extract(content, '$.tier') as tier from exercise_versions where id = ?",
  ).get(versionId) as { difficulty: number | null; tier: string | null } | undefined;
  const m = statement(database, "select tier from models where id = ?").get(modelId) as { tier: string } | undefined;
  return factor(v?.difficulty ?? null, m?.tier ?? v?.tier ?? "frontier");
}

export interface ScoredAttempt {
  userId: number;
  exerciseId: number;
  exerciseVersionId: number;
  modelId: string;
  passed: boolean | null;
  score: number | null;
  createdAt: Date;
}

/** Folds a just-scored attempt into the rollup. Call it in the transaction that sets status "scored". */
export function recordBest(tx: DbLike, attempt: ScoredAttempt): void {
  const score = attempt.score ?? 0;
  const passed = attempt.passed === true;
  const normalised = passed ? rounded(score, tx, attempt) : null;
  // Three upserts for every attempt scored: one statement prepared once per connection (drizzle built and SQLite
  // prepared each of them afresh).
  const upsert = statement(
    tx,
    `insert into best_scores (period, period_start, user_id, exercise_id, best_score, passed, best_normalised, team_id)
     values (@period, @start, @userId, @exerciseId, @score, @passed, @normalised,
             case when @period = 'all' then (select team_id from users where id = @userId) end)
     on conflict (period, period_start, user_id, exercise_id) do update set
       team_id = excluded.team_id,
       best_score = max(best_score, excluded.best_score),
       passed = max(passed, excluded.passed),
       best_normalised = coalesce(max(best_normalised, excluded.best_normalised), best_normalised, excluded.best_normalised)`,
  );
  for (const { period, start } of periodsOf(attempt.createdAt)) {
    upsert.run({
      period,
      start,
      userId: attempt.userId,
      exerciseId: attempt.exerciseId,
      score,
      passed: passed ? 1 : 0,
      normalised,
    });
  }
  // A pass may complete a course: its "completed" xAPI statement is recorded in the same transaction.
  if (passed) recordCompletionOfExercise(tx, attempt.userId, attempt.exerciseId);
}

function rounded(score: number, database: DbLike, attempt: ScoredAttempt): number {
  return Math.round((score * factorFor(database, attempt.exerciseVersionId, attempt.modelId)) / 1000);
}

const PERIOD_START_SQL: Record<Period, string> = {
  all: "0",
  // Days since the epoch (a Thursday) back to Monday, in UTC ms.
  // (created_at may be REAL when it came from the column default, hence the casts.)
  week: "(cast(a.created_at / 86400000 as integer) - (cast(a.created_at / 86400000 as integer) + 3) % 7) * 86400000",
  month: "unixepoch(date(a.created_at / 1000, 'unixepoch', 'start of month')) * 1000",
};

/** Recomputes best_scores from the attempts. */
export function rebuildRollups(database: Db): void {
  const s = database.$client;
  s.transaction(() => {
    s.exec("delete from best_scores");
    s.exec("create temp table if not exists rollup_factor (version_id integer, model_id text, k integer)");
    s.exec("delete from rollup_factor");
    const pairs = s
      .prepare("select distinct exercise_version_id as versionId, model_id as modelId from attempts")
      .all() as { versionId: number; modelId: string }[];
    const insert = s.prepare("insert into rollup_factor values (?, ?, ?)");
    for (const p of pairs) insert.run(p.versionId, p.modelId, factorFor(database, p.versionId, p.modelId));
    s.exec("create unique index if not exists temp.rollup_factor_key on rollup_factor (version_id, model_id)");
    for (const period of ["all", "week", "month"] as const) {
      s.exec(`
        insert into best_scores (period, period_start, user_id, exercise_id, best_score, passed, best_normalised, team_id)
        select '${period}', ${PERIOD_START_SQL[period]}, a.user_id, a.exercise_id, coalesce(max(a.score), 0),
               coalesce(max(a.passed), 0),
               max(case when a.passed = 1 then cast(round(a.score * f.k / 1000.0) as integer) end),
               ${period === "all" ? "(select team_id from users where id = a.user_id)" : "null"}
          from attempts a
          join rollup_factor f on f.version_id = a.exercise_version_id and f.model_id = a.model_id
         where a.status = 'scored'
         group by 2, a.user_id, a.exercise_id`);
    }
    s.exec("drop table rollup_factor");
  }).immediate();
}

/**
 * Builds best_scores when it is empty but graded attempts exist: a database that predates the rollup
 * (migration 0005 adds the table empty), or attempts loaded in bulk.
 */
export function ensureRollups(database: Db): void {
  const s = database.$client;
  const missing = s.prepare("select exists (select 1 from best_scores)").pluck().get() === 0;
  if (missing && s.prepare("select exists (select 1 from attempts where status = 'scored')").pluck().get() === 1)
    rebuildRollups(database);
}

/** A learner's row of rolledUpTotals. */
export interface RolledUpTotal {
  userId: number;
  /** Sum of the best normalised passing scores; null without a pass. */
  total: number | null;
  passed: number;
}

/**
 * Every learner with a graded attempt in the window's period (the participants), with the sum of their
 * best normalised passing scores (null without a pass) and the number of exercises passed: one read
 * of the period's rows serves both the totals and the participation of the boards. Read as arrays: for
 * 10,000 learners the ORM's per-row mapping cost as much as the query.
 */
export function rolledUpTotals(database: DbLike, window: Window, now: Date): RolledUpTotal[] {
  const { period, start } = periodOf(window, now);
  return database
    .values<[number, number | null, number]>(sql`
      select user_id, sum(best_normalised), count(best_normalised) from best_scores
       where period = ${period} and period_start = ${start}
       group by user_id`)
    .map(([userId, total, passed]) => ({ userId, total, passed }));
}
