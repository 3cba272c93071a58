import { and, desc, eq } from "drizzle-orm";
import { attempts, teams, users } from "#db/schema";
import type { DbLike } from "../db";
import type { Scope } from "../scope";
import { exerciseInfo } from "./content";
import { inScope } from "./in-scope";
import { emptyStats, type LearnerStats, learnerStats } from "./learner-stats";

export interface LearnerAttemptRow {
  id: number;
  exerciseSlug: string;
  exerciseTitle: string;
  createdAt: Date;
  status: string;
  passed: boolean | null;
  score: number | null;
  quality: number | null;
  promptTokens: number | null;
  costPerCallMicros: number | null;
  modelId: string;
}

export interface LearnerDetail {
  learner: { id: number; name: string; email: string; teamId: number | null; team: string | null };
  stats: LearnerStats;
  attempts: LearnerAttemptRow[];
}

/** A learner in one of the viewer's teams (by their current team), or null; admins see everyone, teamless too. */
export function learnerInScope(database: DbLike, scope: Scope, userId: number) {
  const row = database
    .select({ id: users.id, name: users.name, email: users.email, teamId: teams.id, team: teams.name })
    .from(users)
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(and(eq(users.id, userId), inScope(users.teamId, scope)))
    .get();
  return row ?? null;
}

export function learnerDetail(
  database: DbLike,
  scope: Scope,
  userId: number,
  now = new Date(),
  limit = 200,
): LearnerDetail | null {
  const learner = learnerInScope(database, scope, userId);
  if (!learner) return null;
  const who = and(eq(users.id, learner.id), inScope(users.teamId, scope));
  const stats = learnerStats(database, who, now).get(learner.id) ?? emptyStats(learner.id, now);
  const info = exerciseInfo(database);
  const rows = database
    .select({
      id: attempts.id,
      exerciseId: attempts.exerciseId,
      createdAt: attempts.createdAt,
      status: attempts.status,
      passed: attempts.passed,
      score: attempts.score,
      quality: attempts.quality,
      promptTokens: attempts.promptTokens,
      costPerCallMicros: attempts.costPerCallMicros,
      modelId: attempts.modelId,
    })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .where(who)
    .orderBy(desc(attempts.createdAt), desc(attempts.id))
    .limit(limit)
    .all();
  return {
    learner,
    stats,
    attempts: rows.map(({ exerciseId, ...r }) => ({
      ...r,
      exerciseSlug: info.get(exerciseId)?.slug ?? String(exerciseId),
      exerciseTitle: info.get(exerciseId)?.title ?? String(exerciseId),
    })),
  };
}
