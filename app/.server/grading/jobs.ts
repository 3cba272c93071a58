import { and, eq, sql } from "drizzle-orm";
import { type GradingJob, gradingJobs } from "#db/schema";
import type { DbLike } from "../db";

export type Stage = GradingJob["stage"];

export function enqueueJob(database: DbLike, attemptId: number, now = new Date()): number {
  return database
    .insert(gradingJobs)
    .values({ attemptId, stage: "queued", nextRunAt: now, updatedAt: now })
    .returning({ id: gradingJobs.id })
    .get().id;
}

/**
 * Claims the next due job with a lease, atomically (one UPDATE … RETURNING). A job whose worker
 * died keeps its lease until it expires, then any worker picks it up again; finished steps are
 * stored per test input, so the resumed job only does what is left.
 */
export function claimNextJob(database: DbLike, leaseMs: number, now = new Date()): GradingJob | null {
  const nowMs = now.getTime();
  const row = database
    .update(gradingJobs)
    .set({ leaseUntil: new Date(nowMs + leaseMs), tries: sql`${gradingJobs.tries} + 1`, updatedAt: now })
    .where(
      eq(
        gradingJobs.id,
        sql`(select id from ${gradingJobs} where ${gradingJobs.stage} not in ('scored', 'failed')
             and ${gradingJobs.nextRunAt} <= ${nowMs}
             and (${gradingJobs.leaseUntil} is null or ${gradingJobs.leaseUntil} < ${nowMs})
             order by ${gradingJobs.nextRunAt}, ${gradingJobs.id} limit 1)`,
      ),
    )
    .returning()
    .get();
  return row ?? null;
}

export function setStage(database: DbLike, jobId: number, stage: Stage): void {
  database.update(gradingJobs).set({ stage, updatedAt: new Date() }).where(eq(gradingJobs.id, jobId)).run();
}

/** Gives the job back to the queue after a retryable failure. */
export function rescheduleJob(database: DbLike, jobId: number, delayMs: number, error: string, now = new Date()): void {
  database
    .update(gradingJobs)
    .set({ nextRunAt: new Date(now.getTime() + delayMs), leaseUntil: null, lastError: error, updatedAt: now })
    .where(eq(gradingJobs.id, jobId))
    .run();
}

export function finishJob(
  database: DbLike,
  jobId: number,
  stage: "scored" | "failed",
  error: string | null = null,
): void {
  database
    .update(gradingJobs)
    .set({ stage, leaseUntil: null, lastError: error, updatedAt: new Date() })
    .where(eq(gradingJobs.id, jobId))
    .run();
}

/** The learner's "retry" after a job exhausted its retries: start over from where it stopped. */
export function requeueFailedJob(database: DbLike, attemptId: number, now = new Date()): boolean {
  const res = database
    .update(gradingJobs)
    .set({ stage: "queued", tries: 0, nextRunAt: now, leaseUntil: null, lastError: null, updatedAt: now })
    .where(and(eq(gradingJobs.attemptId, attemptId), eq(gradingJobs.stage, "failed")))
    .run();
  return res.changes === 1;
}

export function jobForAttempt(database: DbLike, attemptId: number): GradingJob | null {
  return database.select().from(gradingJobs).where(eq(gradingJobs.attemptId, attemptId)).get() ?? null;
}

/** When the next job is due (for the worker's sleep), or null when the queue is empty. */
export function nextDueAt(database: DbLike): number | null {
  const row = database
    .select({
      at: sql<
        number | null
      >`min(coalesce(max(${gradingJobs.nextRunAt}, ${gradingJobs.leaseUntil}), ${gradingJobs.nextRunAt}))`,
    })
    .from(gradingJobs)
    .where(sql`${gradingJobs.stage} not in ('scored', 'failed')`)
    .get();
  return row?.at ?? null;
}
