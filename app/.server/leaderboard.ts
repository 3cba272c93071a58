import { and, eq, gte, sql } from "drizzle-orm";
import { attempts, exercises, teams, users } from "#db/schema";
import { staffOffBoards } from "./dashboard/staff-filter";
import { rankBy } from "./dashboard/stats";
import type { DbLike } from "./db";

/**
 * The per-exercise leaderboard. Learner, team and department boards over time windows live in
 * ./dashboard/leaderboards.ts.
 */

export { median } from "./dashboard/stats";

export interface ExerciseRank {
  rank: number;
  userId: number;
  name: string;
  teamId: number | null;
  team: string | null;
  score: number;
  tokens: number;
  monthlySavingsMicros: number;
}

/**
 * Best passing score per learner on one exercise (staff only when they opted in) (since `start` when given); ties share a rank,
 * fewer tokens first in display. Raw scores: on one exercise they are already comparable.
 */
export function exerciseLeaderboard(
  database: DbLike,
  exerciseId: number,
  limit = 50,
  start: Date | null = null,
): ExerciseRank[] {
  const hidden = staffOffBoards(database);
  // SQLite returns the other columns from the row that holds max(score).
  const rows = database
    .select({
      userId: attempts.userId,
      name: users.name,
      teamId: teams.id,
      team: teams.name,
      score: sql<number>`max(${attempts.score})`,
      tokens: attempts.promptTokens,
      monthly: attempts.monthlyCostMicros,
      baselineMonthly: attempts.baselineMonthlyCostMicros,
    })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(
      and(
        eq(attempts.exerciseId, exerciseId),
        eq(attempts.passed, true),
        start ? gte(attempts.createdAt, start) : undefined,
      ),
    )
    .groupBy(attempts.userId)
    .all()
    .filter((r) => !hidden.has(r.userId));
  rows.sort((a, b) => b.score - a.score || (a.tokens ?? 0) - (b.tokens ?? 0) || a.name.localeCompare(b.name));
  return rankBy(rows, (r) => r.score)
    .slice(0, limit)
    .map(({ rank, row }) => ({
      rank,
      userId: row.userId,
      name: row.name,
      teamId: row.teamId,
      team: row.team,
      score: row.score,
      tokens: row.tokens ?? 0,
      monthlySavingsMicros: (row.baselineMonthly ?? 0) - (row.monthly ?? 0),
    }));
}

export function exerciseIdBySlug(database: DbLike, slug: string): number | undefined {
  return database.select({ id: exercises.id }).from(exercises).where(eq(exercises.slug, slug)).get()?.id;
}
