import { and, asc, eq, gte } from "drizzle-orm";
import { attempts, departments, teams, users } from "#db/schema";
import type { DbLike } from "../db";
import type { Scope } from "../scope";
import { inScope } from "./in-scope";
import { emptyStats, isScored, type LearnerStats, learnerStats, TREND_WEEKS } from "./learner-stats";
import { type WeekPoint, weeklyTrend } from "./progress";
import { addSavings, type Savings } from "./savings";
import { lastWeeks } from "./windows";

export interface TeamLearner extends LearnerStats {
  name: string;
  email: string;
}

export interface TeamDetail {
  team: { id: number; name: string; department: string };
  learners: TeamLearner[];
  totals: { members: number; exercisesPassed: number; savings: Savings };
  trend: WeekPoint[];
}

/** A team the viewer may see, or null (the caller answers 404 either way: ids reveal nothing). */
export function teamInScope(database: DbLike, scope: Scope, teamId: number) {
  return (
    database
      .select({ id: teams.id, name: teams.name, department: departments.name })
      .from(teams)
      .innerJoin(departments, eq(departments.id, teams.departmentId))
      .where(and(eq(teams.id, teamId), inScope(teams.id, scope)))
      .get() ?? null
  );
}

/** A team's current members with their progress, skills, trends and projected savings. */
export function teamDetail(database: DbLike, scope: Scope, teamId: number, now = new Date()): TeamDetail | null {
  const team = teamInScope(database, scope, teamId);
  if (!team) return null;
  const members = database
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.teamId, team.id), inScope(users.teamId, scope)))
    .orderBy(asc(users.name))
    .all();
  const stats = learnerStats(database, and(eq(users.teamId, team.id), inScope(users.teamId, scope)), now);
  const learners = members.map((m) => ({
    ...(stats.get(m.id) ?? emptyStats(m.id, now)),
    name: m.name,
    email: m.email,
  }));

  // The team's weekly median comes from all its members' attempts, not from a median of medians.
  const since = lastWeeks(now, TREND_WEEKS)[0].start;
  const rows = database
    .select({ createdAt: attempts.createdAt, score: attempts.score })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .where(and(eq(users.teamId, team.id), inScope(users.teamId, scope), isScored, gte(attempts.createdAt, since)))
    .all();
  return {
    team,
    learners,
    totals: {
      members: learners.length,
      exercisesPassed: learners.reduce((s, l) => s + l.exercisesPassed, 0),
      savings: addSavings(learners.map((l) => l.savings)),
    },
    trend: weeklyTrend(rows, now, TREND_WEEKS),
  };
}
