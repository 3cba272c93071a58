import { and, eq, gte, isNotNull, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { attempts, departments, modelCalls, teams, users } from "#db/schema";
import type { DbLike } from "../db";
import { rolledUpSpend } from "../finops/rollup";
import { modelTiers, versionMeta } from "./content";
import { normalisedScore } from "./normalise";
import { rolledUpTotals } from "./rollup";
import { staffOffBoards } from "./staff-filter";
import { groupBy, median, rankBy } from "./stats";
import { type Window, windowStart } from "./windows";

/**
 * Learner, team and department leaderboards over a window (this week, this month, all time).
 *
 * A learner's total is the sum, over exercises, of their best normalised passing score in the
 * window (see normalise.ts). Teams and departments rank by the MEDIAN of their current members'
 * totals (a member with nothing in the window counts as 0), then by participation (members with
 * a graded attempt in the window), so one heavy user cannot carry a team. Spend comes from the
 * ledger (model_calls in the window, by the team and department copied into each row); quality
 * per dollar = sum of members' totals / spend in dollars, null when nothing was spent.
 */

export interface BoardOptions {
  window: Window;
  now?: Date;
  /**
   * Where best scores and spend come from: the best_scores and ledger_rollup rollups, or a grouping of
   * every attempt and ledger row, which is the definition the rollups must equal (tests and
   * bench/org-scale.ts compare the two).
   */
  source?: "rollup" | "attempts";
}

interface Totals {
  total: number;
  passed: number;
}

// One collator for every comparison: String#localeCompare builds one per call, which dominated sorting
// 10,000 learners. Same default locale and options, so the same order.
const byName = new Intl.Collator();

const since = (column: SQLiteColumn, start: Date | null): SQL | undefined => (start ? gte(column, start) : undefined);

/** userId → sum of best normalised passing scores and number of exercises passed, in the window. */
export function learnerTotals(
  database: DbLike,
  window: Window,
  now: Date,
  source: BoardOptions["source"] = "rollup",
): Map<number, Totals> {
  if (source === "attempts") return learnerTotalsFromAttempts(database, windowStart(window, now));
  return passersOf(rolledUpTotals(database, window, now));
}

function passersOf(rows: ReturnType<typeof rolledUpTotals>): Map<number, Totals> {
  return new Map(rows.filter((r) => r.passed > 0).map((r) => [r.userId, { total: r.total ?? 0, passed: r.passed }]));
}

/** learnerTotals from every passing attempt in the window: the definition, and the benchmark's baseline. */
export function learnerTotalsFromAttempts(database: DbLike, start: Date | null): Map<number, Totals> {
  const versions = versionMeta(database);
  const tiers = modelTiers(database);
  // Grouped by version and model as well, because the normalisation factor depends on both.
  const rows = database
    .select({
      userId: attempts.userId,
      exerciseId: attempts.exerciseId,
      versionId: attempts.exerciseVersionId,
      modelId: attempts.modelId,
      best: sql<number>`max(${attempts.score})`,
    })
    .from(attempts)
    .where(and(eq(attempts.passed, true), since(attempts.createdAt, start)))
    .groupBy(attempts.userId, attempts.exerciseId, attempts.exerciseVersionId, attempts.modelId)
    .all();
  const bestPerExercise = new Map<string, { userId: number; score: number }>();
  for (const r of rows) {
    const v = versions.get(r.versionId);
    const score = normalisedScore(r.best ?? 0, v?.difficulty ?? 1, tiers.get(r.modelId) ?? v?.tier ?? "frontier");
    const key = `${r.userId}:${r.exerciseId}`;
    const prev = bestPerExercise.get(key);
    if (!prev || score > prev.score) bestPerExercise.set(key, { userId: r.userId, score });
  }
  const out = new Map<number, Totals>();
  for (const { userId, score } of bestPerExercise.values()) {
    const t = out.get(userId) ?? { total: 0, passed: 0 };
    out.set(userId, { total: t.total + score, passed: t.passed + 1 });
  }
  return out;
}

/** Learners with a graded attempt in the window, from every graded attempt. */
function participantsFromAttempts(database: DbLike, start: Date | null): Set<number> {
  const rows = database
    .selectDistinct({ userId: attempts.userId })
    .from(attempts)
    .where(and(eq(attempts.status, "scored"), since(attempts.createdAt, start)))
    .all();
  return new Set(rows.map((r) => r.userId));
}

/**
 * Ledger spend in the window by team or department, from the ledger rollup's daily or monthly rows
 * (or, source "attempts", from the ledger's covering indexes). Spend is not shown per learner:
 * the ledger has no user index and a board of names with dollars next to them is not the point.
 */
function spendBy(
  database: DbLike,
  level: "team" | "department",
  start: Date | null,
  source: BoardOptions["source"],
): Map<number, number> {
  if (source !== "attempts") return rolledUpSpend(database, level, start);
  const column = level === "team" ? modelCalls.teamId : modelCalls.departmentId;
  const rows = database
    .select({ id: column, micros: sql<number>`sum(${modelCalls.costMicros})` })
    .from(modelCalls)
    .where(and(isNotNull(column), since(modelCalls.createdAt, start)))
    .groupBy(column)
    .all();
  return new Map(rows.map((r) => [r.id as number, r.micros ?? 0]));
}

interface Member {
  userId: number;
  teamId: number | null;
  departmentId: number | null;
}

/** Every user with their current team and its department (arrays, not ORM rows: 10,000 of them per board). */
function members(database: DbLike): Member[] {
  return database
    .values<[number, number | null, number | null]>(
      sql`select u.id, u.team_id, t.department_id from ${users} u left join ${teams} t on t.id = u.team_id`,
    )
    .map(([userId, teamId, departmentId]) => ({ userId, teamId, departmentId }));
}

/** Names of the learners among `ids` (a JSON array: no limit on how many), with their team and department. */
function named(database: DbLike, ids: number[]) {
  return database
    .values<[number, string, number | null, string | null, string | null]>(
      sql`select u.id, u.name, u.team_id, t.name, d.name from ${users} u
            left join ${teams} t on t.id = u.team_id left join ${departments} d on d.id = t.department_id
           where u.id in (select value from json_each(${JSON.stringify(ids)}))`,
    )
    .map(([userId, name, teamId, team, department]) => ({ userId, name, teamId, team, department }));
}

export interface LearnerRank {
  rank: number;
  userId: number;
  name: string;
  teamId: number | null;
  team: string | null;
  department: string | null;
  total: number;
  passed: number;
}

export interface LearnerBoardOptions extends BoardOptions {
  /** How many of the best to return (all when unset). */
  limit?: number;
  /** A learner whose standing is wanted too, wherever they rank. */
  viewerId?: number;
}

export interface LearnerBoard {
  /** The best `limit` learners with a pass in the window, best total first (then by name); equal totals share a rank. */
  top: LearnerRank[];
  /** The viewer's row, when they have a pass in the window. */
  mine: LearnerRank | null;
  /** Learners with a pass in the window. */
  ranked: number;
}

/**
 * The learner leaderboard (staff only when they opted in: see staff-filter.ts). Ranks are competition ranks over every learner with a pass (1 + how many have a
 * higher total), but names are read only for the rows returned: the learners at or above the limit's total
 * (ties at the cut are ordered by name like the rest) and the viewer.
 */
export function learnerBoard(
  database: DbLike,
  { window, now = new Date(), source, limit = Number.POSITIVE_INFINITY, viewerId }: LearnerBoardOptions,
): LearnerBoard {
  const totals = learnerTotals(database, window, now, source);
  for (const id of staffOffBoards(database)) totals.delete(id);
  const descending = [...totals.values()].map((t) => t.total).sort((a, b) => b - a);
  const cut = descending[Math.min(limit, descending.length) - 1] ?? Number.POSITIVE_INFINITY;
  const higher = (total: number) => {
    // Binary search: how many totals are strictly greater.
    let lo = 0;
    let hi = descending.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (descending[mid] > total) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const wanted = [...totals].filter(([id, t]) => t.total >= cut || id === viewerId).map(([id]) => id);
  const rows = named(database, wanted).map((m) => {
    const t = totals.get(m.userId) ?? { total: 0, passed: 0 };
    return { rank: higher(t.total) + 1, ...m, total: t.total, passed: t.passed };
  });
  rows.sort((a, b) => b.total - a.total || byName.compare(a.name, b.name) || a.userId - b.userId);
  const top = rows.filter((r) => r.total >= cut).slice(0, limit);
  return { top, mine: rows.find((r) => r.userId === viewerId) ?? null, ranked: totals.size };
}

export interface GroupRank {
  rank: number;
  id: number;
  name: string;
  /** The department of a team; the cost centre of a department. */
  parent: string;
  members: number;
  participants: number;
  /** participants / members, 0–1. */
  participation: number;
  medianBest: number;
  totalBest: number;
  spendMicros: number;
  /** Sum of members' totals per dollar of spend; null when nothing was spent. */
  qualityPerDollar: number | null;
}

function groupBoard(
  database: DbLike,
  { window, now = new Date(), source }: BoardOptions,
  level: "team" | "department",
): GroupRank[] {
  const start = windowStart(window, now);
  const rolled = source === "attempts" ? null : rolledUpTotals(database, window, now);
  const totals = rolled ? passersOf(rolled) : learnerTotalsFromAttempts(database, start);
  const active = rolled ? new Set(rolled.map((r) => r.userId)) : participantsFromAttempts(database, start);
  const spend = spendBy(database, level, start, source);
  const groups = level === "team" ? teamList(database) : departmentList(database);
  const byGroup = groupBy(
    members(database).filter((m) => (level === "team" ? m.teamId : m.departmentId) !== null),
    (m: Member) => (level === "team" ? m.teamId : m.departmentId) as number,
  );
  const rows = groups.map((g) => {
    const people = byGroup.get(g.id) ?? [];
    const scores = people.map((p) => totals.get(p.userId)?.total ?? 0);
    const joined = people.filter((p) => active.has(p.userId)).length;
    const totalBest = scores.reduce((s, v) => s + v, 0);
    const spendMicros = spend.get(g.id) ?? 0;
    return {
      id: g.id,
      name: g.name,
      parent: g.parent,
      members: people.length,
      participants: joined,
      participation: people.length === 0 ? 0 : joined / people.length,
      medianBest: median(scores),
      totalBest,
      spendMicros,
      qualityPerDollar: spendMicros > 0 ? totalBest / (spendMicros / 1_000_000) : null,
    };
  });
  rows.sort(
    (a, b) => b.medianBest - a.medianBest || b.participation - a.participation || byName.compare(a.name, b.name),
  );
  return rankBy(rows, (r) => `${r.medianBest}|${r.participation}`).map(({ rank, row }) => ({ rank, ...row }));
}

function teamList(database: DbLike) {
  return database
    .select({ id: teams.id, name: teams.name, parent: departments.name })
    .from(teams)
    .innerJoin(departments, eq(departments.id, teams.departmentId))
    .all();
}

function departmentList(database: DbLike) {
  return database
    .select({ id: departments.id, name: departments.name, parent: departments.costCentre })
    .from(departments)
    .all();
}

export function teamBoard(database: DbLike, options: BoardOptions): GroupRank[] {
  return groupBoard(database, options, "team");
}

export function departmentBoard(database: DbLike, options: BoardOptions): GroupRank[] {
  return groupBoard(database, options, "department");
}
