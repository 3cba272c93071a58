import { and, desc, eq, lt, sql } from "drizzle-orm";
import { draftHistory } from "#db/schema";
import type { DbLike } from "./db";

/**
 * Prompts a learner set aside in the workbench: before "Reset to starting prompt" or loading an earlier attempt,
 * the text in the editor is kept here, so neither loses anything. The newest KEEP per learner and exercise stay.
 */
export const KEEP = 20;

export function keepInHistory(
  database: DbLike,
  userId: number,
  exerciseId: number,
  prompt: string | null | undefined,
  startingPrompt: string,
): void {
  if (!prompt?.trim() || prompt === startingPrompt) return;
  const latest = database
    .select({ prompt: draftHistory.prompt })
    .from(draftHistory)
    .where(and(eq(draftHistory.userId, userId), eq(draftHistory.exerciseId, exerciseId)))
    .orderBy(desc(draftHistory.id))
    .limit(1)
    .get();
  if (latest?.prompt === prompt) return;
  database.insert(draftHistory).values({ userId, exerciseId, prompt }).run();
  database
    .delete(draftHistory)
    .where(
      and(
        eq(draftHistory.userId, userId),
        eq(draftHistory.exerciseId, exerciseId),
        lt(
          draftHistory.id,
          sql`(select min(id) from (select id from draft_history where user_id = ${userId} and exercise_id = ${exerciseId} order by id desc limit ${KEEP}))`,
        ),
      ),
    )
    .run();
}

export function listKept(database: DbLike, userId: number, exerciseId: number) {
  return database
    .select({
      id: draftHistory.id,
      createdAt: draftHistory.createdAt,
      preview: sql<string>`substr(${draftHistory.prompt}, 1, 80)`,
    })
    .from(draftHistory)
    .where(and(eq(draftHistory.userId, userId), eq(draftHistory.exerciseId, exerciseId)))
    .orderBy(desc(draftHistory.id))
    .all();
}

/** A kept prompt of this learner on this exercise (ownership in the query), or null. */
export function getKept(database: DbLike, userId: number, exerciseId: number, id: number): string | null {
  return (
    database
      .select({ prompt: draftHistory.prompt })
      .from(draftHistory)
      .where(and(eq(draftHistory.id, id), eq(draftHistory.userId, userId), eq(draftHistory.exerciseId, exerciseId)))
      .get()?.prompt ?? null
  );
}
