import { eq, sql } from "drizzle-orm";
import { CALL_PURPOSES, exercises } from "#db/schema";
import type { RubricCriterion } from "~/domain/exercise";
import { MAX_SCORE } from "~/domain/scoring";
import type { DbLike } from "../db";

/**
 * Exercise analytics for its authors, per version (an attempt stays tied to the version it was
 * graded on, so each version's figures are its own): attempts, learners, pass rate, score and token
 * distributions, the checks, requirements and rubric criteria learners fail most, the median tokens
 * of passing prompts against par, and the exercise's spend from the ledger.
 *
 * Every figure is one grouped query over the exercise's attempts (read through the
 * attempts_exercise_passed index) or its ledger rows; result JSON is unpacked in SQLite with
 * json_each, so no attempt's breakdown is shipped to Node. `+status` keeps SQLite from choosing the
 * attempts_status index instead, which would visit every scored attempt of every exercise.
 * The ledger has no index on exercise_id, so the spend query scans model_calls.
 */

export type Purpose = (typeof CALL_PURPOSES)[number];

export const SCORE_BIN_WIDTH = 100;
export const SCORE_BINS = MAX_SCORE / SCORE_BIN_WIDTH;
/** Token histograms aim for this many bins of a round width, the same width for every version. */
export const TOKEN_BINS = 10;
export const TOP_FAILURES = 5;

export interface Bin {
  /** Inclusive. */
  from: number;
  /** Exclusive, except for the last score bin, which holds 1000 too. */
  to: number;
  count: number;
}

export interface FailureRow {
  id: string;
  label: string;
  /** How many graded attempts (or judged outputs, for criteria) failed it. */
  failed: number;
  /** Out of how many that were graded on it. */
  seen: number;
}

export interface SpendRow {
  purpose: Purpose;
  calls: number;
  /** Calls graded by the built-in offline judge: recorded in the ledger at $0. */
  offlineCalls: number;
  cacheHits: number;
  costMicros: number;
}

export interface Spend {
  calls: number;
  costMicros: number;
  byPurpose: SpendRow[];
}

export interface AttemptFigures {
  attempts: number;
  /** Attempts with a score (queued, running and failed gradings are not). */
  graded: number;
  learners: number;
  passed: number;
  /** Passed as a percentage of graded, one decimal; null before any attempt is graded. */
  passRate: number | null;
  medianPassingTokens: number | null;
}

export interface VersionAnalytics extends AttemptFigures {
  versionId: number;
  version: number;
  createdAt: string;
  current: boolean;
  title: string;
  parTokens: number;
  passMark: number;
  scoreBins: Bin[];
  tokenBins: Bin[];
  failures: { checks: FailureRow[]; requirements: FailureRow[]; criteria: FailureRow[] };
  spend: Spend;
}

export interface ExerciseAnalytics {
  exercise: { id: number; slug: string; status: string; title: string; parTokens: number | null };
  totals: AttemptFigures & { spend: Spend };
  tokenBinWidth: number;
  /** Newest first. */
  versions: VersionAnalytics[];
  /** Ledger rows of the exercise not tied to an attempt: calibration previews. */
  previews: Spend;
}

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

/** Passed as a percentage of graded, to one decimal; null when nothing is graded. */
export function passRate(passed: number, graded: number): number | null {
  return graded > 0 ? Math.round((passed * 1000) / graded) / 10 : null;
}

/**
 * A round bin width (1, 2, 2.5 or 5 × a power of ten, and a whole number) so that values from 0 to
 * `max` fill at most `bins` bins: easy to read on an axis, and the same for every version.
 */
export function niceBinWidth(max: number, bins = TOKEN_BINS): number {
  const raw = (Math.max(0, max) + 1) / bins;
  if (raw <= 1) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const width = m * pow;
    if (width >= raw && Number.isInteger(width)) return width;
  }
  return 10 * pow;
}

/** How many bins of `width` hold 0..max. */
export function binCount(max: number, width: number): number {
  return Math.floor(Math.max(0, max) / width) + 1;
}

/** Dense bins from sparse (bin index → count) pairs. */
export function fillBins(counts: readonly { bin: number; n: number }[], width: number, bins: number): Bin[] {
  const out = Array.from({ length: bins }, (_, i) => ({ from: i * width, to: (i + 1) * width, count: 0 }));
  for (const { bin, n } of counts) if (bin >= 0 && bin < bins) out[bin].count += n;
  return out;
}

/** The most failed first (then the highest failure share, then by label); only rows that failed at least once. */
export function rankFailures(rows: readonly FailureRow[], limit = TOP_FAILURES): FailureRow[] {
  return rows
    .filter((r) => r.failed > 0)
    .sort((a, b) => b.failed - a.failed || b.failed / b.seen - a.failed / a.seen || a.label.localeCompare(b.label))
    .slice(0, limit);
}

const emptySpend = (): Spend => ({ calls: 0, costMicros: 0, byPurpose: [] });

/** Adds a ledger group to a spend summary, keeping purposes in a fixed order. */
export function addSpend(spend: Spend, row: SpendRow): void {
  spend.calls += row.calls;
  spend.costMicros += row.costMicros;
  const same = spend.byPurpose.find((p) => p.purpose === row.purpose);
  if (same) {
    same.calls += row.calls;
    same.offlineCalls += row.offlineCalls;
    same.cacheHits += row.cacheHits;
    same.costMicros += row.costMicros;
  } else {
    spend.byPurpose.push({ ...row });
    spend.byPurpose.sort((a, b) => CALL_PURPOSES.indexOf(a.purpose) - CALL_PURPOSES.indexOf(b.purpose));
  }
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

interface VersionRow {
  id: number;
  version: number;
  createdAt: number;
  title: string;
  parTokens: number;
  passMark: number;
  rubric: string;
}

interface CountsRow {
  versionId: number;
  attempts: number;
  graded: number;
  passed: number;
  learners: number;
}

interface BinRow {
  versionId: number;
  bin: number;
  n: number;
}

interface FailureQueryRow extends FailureRow {
  versionId: number;
}

/** Median prompt tokens of passing attempts, per version or overall, in SQL (the middle one or two rows). */
function passingMedians(database: DbLike, exerciseId: number, perVersion: boolean) {
  const partition = perVersion ? sql`partition by exercise_version_id` : sql``;
  return database.all<{ versionId: number; median: number | null }>(sql`
    select version_id as versionId, avg(tokens) as median from (
      select exercise_version_id as version_id, prompt_tokens as tokens,
        row_number() over (${partition} order by prompt_tokens) as rn,
        count(*) over (${partition}) as n
      from attempts
      where exercise_id = ${exerciseId} and passed = 1 and prompt_tokens is not null
    )
    where rn in ((n + 1) / 2, (n + 2) / 2)
    ${perVersion ? sql`group by version_id` : sql``}`);
}

/** better-sqlite3 binds JS numbers as REAL, so the casts keep the bin an integer division (850 / 100 → 8, not 8.5). */
function histogram(
  database: DbLike,
  exerciseId: number,
  column: "score" | "prompt_tokens",
  width: number,
  bins: number,
) {
  const value = sql.raw(column);
  return database.all<BinRow>(sql`
    select exercise_version_id as versionId,
      min(cast(${value} as integer) / cast(${width} as integer), ${bins - 1}) as bin, count(*) as n
    from attempts
    where exercise_id = ${exerciseId} and +status = 'scored' and ${value} is not null
    group by versionId, bin`);
}

function checkFailures(database: DbLike, exerciseId: number) {
  return database.all<FailureQueryRow>(sql`
    select a.exercise_version_id as versionId, c.value ->> '$.id' as id, max(c.value ->> '$.label') as label,
      count(*) as seen, sum((c.value ->> '$.passed') = 0) as failed
    from attempts a, json_each(a.result, '$.checks') c
    where a.exercise_id = ${exerciseId} and +a.status = 'scored'
    group by versionId, c.value ->> '$.id'`);
}

function requirementFailures(database: DbLike, exerciseId: number) {
  return database.all<FailureQueryRow>(sql`
    select a.exercise_version_id as versionId, r.value ->> '$.id' as id, max(r.value ->> '$.description') as label,
      count(*) as seen, sum((r.value ->> '$.covered') = 0) as failed
    from attempts a, json_each(a.result, '$.judge.requirements') r
    where a.exercise_id = ${exerciseId} and +a.status = 'scored'
    group by versionId, r.value ->> '$.id'`);
}

/** Per rubric criterion, over every judged output of live attempts; labelled from the version's rubric. */
function criterionFailures(database: DbLike, exerciseId: number) {
  return database.all<FailureQueryRow>(sql`
    select a.exercise_version_id as versionId, v.value ->> '$.criterion' as id, v.value ->> '$.criterion' as label,
      count(*) as seen, sum((v.value ->> '$.pass') = 0) as failed
    from attempts a, json_each(a.result, '$.live.report.inputs') i, json_each(i.value, '$.verdicts') v
    where a.exercise_id = ${exerciseId} and +a.status = 'scored'
    group by versionId, v.value ->> '$.criterion'`);
}

function ledgerSpend(database: DbLike, exerciseId: number) {
  return database.all<SpendRow & { versionId: number | null }>(sql`
    select a.exercise_version_id as versionId, mc.purpose as purpose, count(*) as calls,
      sum(mc.provider = 'builtin') as offlineCalls, sum(mc.cache_hit) as cacheHits,
      coalesce(sum(mc.cost_micros), 0) as costMicros
    from model_calls mc left join attempts a on a.id = mc.attempt_id
    where mc.exercise_id = ${exerciseId}
    group by versionId, mc.purpose`);
}

const roundOrNull = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x));

function byVersion<T extends { versionId: number | null }>(rows: readonly T[]): Map<number | null, T[]> {
  const map = new Map<number | null, T[]>();
  for (const row of rows) map.set(row.versionId, [...(map.get(row.versionId) ?? []), row]);
  return map;
}

function rubricLabels(rubricJson: string | null): Map<string, string> {
  try {
    const rubric = JSON.parse(rubricJson ?? "[]") as RubricCriterion[];
    return new Map(rubric.map((c) => [c.id, c.criterion]));
  } catch {
    return new Map();
  }
}

const failureRows = (rows: readonly FailureQueryRow[] | undefined, label?: (id: string) => string | undefined) =>
  rankFailures(
    (rows ?? []).map((r) => ({ id: r.id, label: label?.(r.id) ?? r.label ?? r.id, failed: r.failed, seen: r.seen })),
  );

/** The analytics of one exercise (any status), or null when no exercise has this slug. */
export function exerciseAnalytics(database: DbLike, slug: string): ExerciseAnalytics | null {
  const exercise = database
    .select({
      id: exercises.id,
      slug: exercises.slug,
      status: exercises.status,
      currentVersionId: exercises.currentVersionId,
    })
    .from(exercises)
    .where(eq(exercises.slug, slug))
    .get();
  if (!exercise) return null;
  const id = exercise.id;

  const versions = database.all<VersionRow>(sql`
    select id, version, created_at as createdAt, content ->> '$.title' as title,
      content ->> '$.par_tokens' as parTokens, content ->> '$.pass_mark' as passMark, content -> '$.rubric' as rubric
    from exercise_versions where exercise_id = ${id} order by version desc`);

  const totals = database.get<CountsRow & { maxTokens: number | null }>(sql`
    select count(*) as attempts, coalesce(sum(status = 'scored'), 0) as graded, coalesce(sum(passed = 1), 0) as passed,
      count(distinct user_id) as learners, max(case when status = 'scored' then prompt_tokens end) as maxTokens
    from attempts where exercise_id = ${id}`);
  const counts = new Map(
    database
      .all<CountsRow>(sql`
        select exercise_version_id as versionId, count(*) as attempts, sum(status = 'scored') as graded,
          sum(passed = 1) as passed, count(distinct user_id) as learners
        from attempts where exercise_id = ${id} group by exercise_version_id`)
      .map((r) => [r.versionId, r]),
  );

  const tokenBinWidth = niceBinWidth(totals.maxTokens ?? 0);
  const tokenBins = binCount(totals.maxTokens ?? 0, tokenBinWidth);
  const scores = byVersion(histogram(database, id, "score", SCORE_BIN_WIDTH, SCORE_BINS));
  const tokens = byVersion(histogram(database, id, "prompt_tokens", tokenBinWidth, tokenBins));
  const medians = new Map(passingMedians(database, id, true).map((r) => [r.versionId, r.median]));
  const overallMedian = passingMedians(database, id, false)[0]?.median ?? null;
  const checks = byVersion(checkFailures(database, id));
  const requirements = byVersion(requirementFailures(database, id));
  const criteria = byVersion(criterionFailures(database, id));

  const total: Spend = emptySpend();
  const previews: Spend = emptySpend();
  const spendByVersion = new Map<number, Spend>();
  for (const row of ledgerSpend(database, id)) {
    const { versionId, ...group } = row;
    addSpend(total, group);
    if (versionId === null) addSpend(previews, group);
    else {
      const spend = spendByVersion.get(versionId) ?? emptySpend();
      addSpend(spend, group);
      spendByVersion.set(versionId, spend);
    }
  }

  const current = versions.find((v) => v.id === exercise.currentVersionId) ?? versions[0];
  return {
    exercise: {
      id,
      slug: exercise.slug,
      status: exercise.status,
      title: current?.title ?? exercise.slug,
      parTokens: current?.parTokens ?? null,
    },
    totals: {
      attempts: totals.attempts,
      graded: totals.graded,
      learners: totals.learners,
      passed: totals.passed,
      passRate: passRate(totals.passed, totals.graded),
      medianPassingTokens: overallMedian === null ? null : Math.round(overallMedian),
      spend: total,
    },
    tokenBinWidth,
    versions: versions.map((v) => {
      const c = counts.get(v.id);
      const labels = rubricLabels(v.rubric);
      return {
        versionId: v.id,
        version: v.version,
        createdAt: new Date(v.createdAt).toISOString(),
        current: v.id === exercise.currentVersionId,
        title: v.title,
        parTokens: v.parTokens,
        passMark: v.passMark,
        attempts: c?.attempts ?? 0,
        graded: c?.graded ?? 0,
        learners: c?.learners ?? 0,
        passed: c?.passed ?? 0,
        passRate: passRate(c?.passed ?? 0, c?.graded ?? 0),
        medianPassingTokens: roundOrNull(medians.get(v.id)),
        scoreBins: fillBins(scores.get(v.id) ?? [], SCORE_BIN_WIDTH, SCORE_BINS),
        tokenBins: fillBins(tokens.get(v.id) ?? [], tokenBinWidth, tokenBins),
        failures: {
          checks: failureRows(checks.get(v.id)),
          requirements: failureRows(requirements.get(v.id)),
          criteria: failureRows(criteria.get(v.id), (cid) => labels.get(cid)),
        },
        spend: spendByVersion.get(v.id) ?? emptySpend(),
      };
    }),
    previews,
  };
}
