import { and, asc, eq, sql } from "drizzle-orm";
import { attempts, departments, exercises, teams, users } from "#db/schema";
import type { DbLike } from "./db";

export interface ExerciseRank {
  rank: number;
  userId: number;
  name: string;
  team: string | null;
  score: number;
  tokens: number;
  monthlySavingsMicros: number;
}

/** Best passing score per learner on one exercise; ties share a rank, fewer tokens first in display. */
export function exerciseLeaderboard(database: DbLike, exerciseId: number, limit = 50): ExerciseRank[] {
  // SQLite returns the other columns from the row that holds max(score).
  const rows = database
    .select({
      userId: attempts.userId,
      name: users.name,
      team: teams.name,
      score: sql<number>`max(${attempts.score})`,
      tokens: attempts.promptTokens,
      monthly: attempts.monthlyCostMicros,
      baselineMonthly: attempts.baselineMonthlyCostMicros,
    })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(and(eq(attempts.exerciseId, exerciseId), eq(attempts.passed, true)))
    .groupBy(attempts.userId)
    .all();
  rows.sort((a, b) => b.score - a.score || (a.tokens ?? 0) - (b.tokens ?? 0) || a.name.localeCompare(b.name));
  return rankBy(rows, (r) => r.score)
    .slice(0, limit)
    .map(({ rank, row }) => ({
      rank,
      userId: row.userId,
      name: row.name,
      team: row.team,
      score: row.score,
      tokens: row.tokens ?? 0,
      monthlySavingsMicros: (row.baselineMonthly ?? 0) - (row.monthly ?? 0),
    }));
}

export interface TeamRank {
  rank: number;
  teamId: number;
  team: string;
  department: string;
  members: number;
  participants: number;
  participation: number;
  medianTotal: number;
  monthlySavingsMicros: number;
}

/**
 * Teams ranked by the median member's total of best passing scores (members with no passes count
 * as 0), so one heavy user cannot carry a team; participation is shown beside it.
 */
export function teamLeaderboard(database: DbLike): TeamRank[] {
  const best = database
    .select({
      userId: attempts.userId,
      exerciseId: attempts.exerciseId,
      score: sql<number>`max(${attempts.score})`.as("score"),
      monthly: attempts.monthlyCostMicros,
      baselineMonthly: attempts.baselineMonthlyCostMicros,
    })
    .from(attempts)
    .where(eq(attempts.passed, true))
    .groupBy(attempts.userId, attempts.exerciseId)
    .as("best");
  const perUser = database
    .select({
      teamId: teams.id,
      team: teams.name,
      department: departments.name,
      userId: users.id,
      total: sql<number>`coalesce(sum(${best.score}), 0)`,
      savings: sql<number>`coalesce(sum(${best.baselineMonthly} - ${best.monthly}), 0)`,
      passes: sql<number>`count(${best.exerciseId})`,
    })
    .from(teams)
    .innerJoin(departments, eq(departments.id, teams.departmentId))
    .leftJoin(users, eq(users.teamId, teams.id))
    .leftJoin(best, eq(best.userId, users.id))
    .groupBy(teams.id, users.id)
    .orderBy(asc(teams.id))
    .all();
  const byTeam = new Map<number, typeof perUser>();
  for (const row of perUser) byTeam.set(row.teamId, [...(byTeam.get(row.teamId) ?? []), row]);
  const teamsOut = [...byTeam.values()].map((rows) => {
    const members = rows.filter((r) => r.userId !== null);
    const participants = members.filter((r) => r.passes > 0).length;
    return {
      teamId: rows[0].teamId,
      team: rows[0].team,
      department: rows[0].department,
      members: members.length,
      participants,
      participation: members.length === 0 ? 0 : participants / members.length,
      medianTotal: median(members.map((m) => m.total)),
      monthlySavingsMicros: members.reduce((s, m) => s + m.savings, 0),
    };
  });
  teamsOut.sort(
    (a, b) => b.medianTotal - a.medianTotal || b.participation - a.participation || a.team.localeCompare(b.team),
  );
  return rankBy(teamsOut, (t) => `${t.medianTotal}|${t.participation}`).map(({ rank, row }) => ({ rank, ...row }));
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/** Competition ranking (1, 2, 2, 4) over rows already sorted best first. */
function rankBy<T>(rows: T[], key: (row: T) => unknown): { rank: number; row: T }[] {
  return rows.map((row, i) => {
    let rank = i + 1;
    for (let j = i - 1; j >= 0 && key(rows[j]) === key(row); j--) rank = j + 1;
    return { rank, row };
  });
}

export function exerciseIdBySlug(database: DbLike, slug: string): number | undefined {
  return database.select({ id: exercises.id }).from(exercises).where(eq(exercises.slug, slug)).get()?.id;
}
