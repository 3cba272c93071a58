import { and, eq, inArray, sql } from "drizzle-orm";
import { type GradingJob, gradingJobs } from "#db/schema";
import { type DbLike, immediateWrite, preparedQuery, statement } from "../db";
import { isDeadOwner, isLiveOwner } from "./owner";

/**
 * Grading jobs in the database, leased to one worker at a time. A lease lives as long as the work: the worker
 * renews it on a heartbeat, and every write of a job carries the fence it was claimed with (bumped by each
 * claim), so a worker that lost its lease can no longer change the job. A dead worker's jobs are taken over
 * once its lease lapses, or at once when its process is known gone (owner.ts); a worker known alive on this host
 * keeps its jobs for a grace period past a missed heartbeat (stalledJobs).
 */

export type Stage = GradingJob["stage"];
export type Waiting = GradingJob["waiting"];

/** A job as claimed: its id and the fence that proves the claim. */
export interface Lease {
  jobId: number;
  fence: number;
  owner: string;
}

export class LeaseLost extends Error {
  constructor(jobId: number) {
    super(`grading job ${jobId}: the lease was lost (another worker took the job over)`);
  }
}

export function enqueueJob(database: DbLike, attemptId: number, now = new Date()): number {
  return database
    .insert(gradingJobs)
    .values({ attemptId, stage: "queued", nextRunAt: now, updatedAt: now })
    .returning({ id: gradingJobs.id })
    .get().id;
}

const open = sql`${gradingJobs.stage} not in ('scored', 'failed')`;

/** Leases held by workers known dead end now, so their jobs are claimable at once. Returns how many. */
export function releaseDeadLeases(database: DbLike, now = new Date()): number {
  // Run by the worker before every claim: one prepared read; the update only when a dead owner holds a lease.
  const owners = (
    statement(
      database,
      `select distinct lease_owner as owner from grading_jobs where stage not in ('scored', 'failed')
       and lease_owner is not null and lease_until >= ?`,
    ).all(now.getTime()) as { owner: string }[]
  )
    .map((r) => r.owner)
    .filter(isDeadOwner);
  if (owners.length === 0) return 0;
  return database
    .update(gradingJobs)
    .set({ leaseUntil: null, leaseOwner: null, waiting: null, updatedAt: now })
    .where(and(open, inArray(gradingJobs.leaseOwner, owners)))
    .run().changes;
}

/**
 * Jobs whose lease lapsed while their worker is alive on this host and beat within `graceMs`. A worker on a loaded
 * machine (or waiting on a lock another process holds) can miss a heartbeat; taking its jobs over would pay a second
 * time for every call it has in flight, so they stay with it until the grace ends. A dead worker's jobs are claimable
 * at once, and a worker on another host cannot be judged from here: its jobs go when the lease lapses.
 */
export function stalledJobs(database: DbLike, graceMs: number, now = new Date()): number[] {
  const nowMs = now.getTime();
  return statement(
    database,
    `select id, lease_owner as owner from grading_jobs where stage not in ('scored', 'failed')
     and lease_owner is not null and lease_until < ? and heartbeat_at >= ?`,
  )
    .all(nowMs, nowMs - graceMs)
    .filter((r) => isLiveOwner((r as { owner: string }).owner))
    .map((r) => (r as { id: number }).id);
}

/**
 * Claims the next due job with a lease, atomically (one UPDATE … RETURNING), never one of `running` (the
 * worker's own jobs still in flight, whatever their lease says) nor of `spare` (stalledJobs). Finished steps are
 * stored per test input, so a resumed job only does what is left.
 */
export function claimNextJob(
  database: DbLike,
  opts: { owner: string; leaseMs: number; running: readonly number[]; spare?: readonly number[] },
  now = new Date(),
): GradingJob | null {
  const nowMs = now.getTime();
  const row = preparedQuery(database, "jobs.claim", prepareClaim).get({
    now: nowMs,
    until: nowMs + opts.leaseMs,
    owner: opts.owner,
    excluded: JSON.stringify([...opts.running, ...(opts.spare ?? [])]),
  });
  return row ?? null;
}

/** The claim as one prepared UPDATE … RETURNING (placeholders take raw values: times in ms). */
function prepareClaim(database: DbLike) {
  const now = sql.placeholder("now");
  const free = sql`(${gradingJobs.leaseUntil} is null or ${gradingJobs.leaseUntil} < ${now})`;
  const candidate = database
    .select({ id: gradingJobs.id })
    .from(gradingJobs)
    .where(
      and(
        open,
        sql`${gradingJobs.nextRunAt} <= ${now}`,
        free,
        sql`${gradingJobs.id} not in (select value from json_each(${sql.placeholder("excluded")}))`,
      ),
    )
    .orderBy(gradingJobs.nextRunAt, gradingJobs.id)
    .limit(1);
  return database
    .update(gradingJobs)
    .set({
      leaseUntil: sql`${sql.placeholder("until")}`,
      leaseOwner: sql`${sql.placeholder("owner")}`,
      heartbeatAt: sql`${now}`,
      fence: sql`${gradingJobs.fence} + 1`,
      tries: sql`${gradingJobs.tries} + 1`,
      waiting: null,
      updatedAt: sql`${now}`,
    })
    .where(and(eq(gradingJobs.id, sql`(${candidate})`), free))
    .returning()
    .prepare();
}

/** The lease condition of a job's writes, as SQL taking (id, fence, owner). */
const HELD = "id = ? and fence = ? and lease_owner = ? and stage not in ('scored', 'failed')";

/** Throws LeaseLost unless the lease still holds: call it inside the transaction of every write of the job. */
export function assertLease(database: DbLike, lease: Lease): void {
  const row = statement(database, `select 1 as held from grading_jobs where ${HELD}`).get(
    lease.jobId,
    lease.fence,
    lease.owner,
  );
  if (!row) throw new LeaseLost(lease.jobId);
}

/**
 * The heartbeat: extends each lease still held; returns the ids of those lost (taken over, or finished). One
 * transaction per beat, not one commit per running job (a worker runs up to 4 × LLM_CONCURRENCY jobs at once); each
 * update is still fenced on its own.
 */
export function renewLeases(database: DbLike, leases: readonly Lease[], leaseMs: number, now = new Date()): number[] {
  const until = now.getTime() + leaseMs;
  return immediateWrite(database, (tx) => {
    const lost: number[] = [];
    const renew = statement(tx, `update grading_jobs set lease_until = ?, heartbeat_at = ? where ${HELD}`);
    for (const lease of leases) {
      const res = renew.run(until, now.getTime(), lease.jobId, lease.fence, lease.owner);
      if (res.changes === 0) lost.push(lease.jobId);
    }
    return lost;
  });
}

/**
 * The job's calls begin: stage "target", with the attempt's offline grade kept for a run resumed later (null keeps
 * what is there).
 */
export function startCalls(database: DbLike, lease: Lease, offline: unknown | null): void {
  statement(
    database,
    `update grading_jobs set stage = 'target', offline_result = coalesce(?, offline_result), updated_at = ?
     where ${HELD}`,
  ).run(offline === null ? null : JSON.stringify(offline), Date.now(), lease.jobId, lease.fence, lease.owner);
}

/** Keeps the attempt's offline grade for a later run (a resumed run computes it alongside its calls). */
export function keepOfflineResult(database: DbLike, lease: Lease, offline: unknown): void {
  statement(database, `update grading_jobs set offline_result = ? where ${HELD}`).run(
    JSON.stringify(offline),
    lease.jobId,
    lease.fence,
    lease.owner,
  );
}

export function setStage(database: DbLike, lease: Lease, stage: Stage): void {
  statement(database, `update grading_jobs set stage = ?, updated_at = ? where ${HELD}`).run(
    stage,
    Date.now(),
    lease.jobId,
    lease.fence,
    lease.owner,
  );
}

/** Why the job is not progressing now (null: it is), for the learner's progress. Cosmetic, so never throws. */
export function setWaiting(database: DbLike, lease: Lease, waiting: Waiting): void {
  statement(database, `update grading_jobs set waiting = ?, updated_at = ? where ${HELD}`).run(
    waiting,
    Date.now(),
    lease.jobId,
    lease.fence,
    lease.owner,
  );
}

/**
 * Hands the job back to the queue without failing it (a drain at shutdown, a budget held by others): the lease
 * ends, so any worker, this one included, may run it from `delayMs` on.
 */
export function releaseJob(
  database: DbLike,
  lease: Lease,
  opts: { delayMs?: number; waiting?: Waiting; note?: string | null } = {},
  now = new Date(),
): boolean {
  return (
    statement(
      database,
      `update grading_jobs set next_run_at = ?, lease_until = null, lease_owner = null, waiting = ?, last_error = ?,
         updated_at = ? where ${HELD}`,
    ).run(
      now.getTime() + (opts.delayMs ?? 0),
      opts.waiting ?? null,
      opts.note ?? null,
      now.getTime(),
      lease.jobId,
      lease.fence,
      lease.owner,
    ).changes === 1
  );
}

/** Ends the job; throws LeaseLost when another worker holds it now (so the caller's transaction rolls back). */
export function finishJob(
  database: DbLike,
  lease: Lease,
  stage: "scored" | "failed",
  error: string | null = null,
): void {
  const res = statement(
    database,
    `update grading_jobs set stage = ?, lease_until = null, lease_owner = null, waiting = null, last_error = ?,
       offline_result = null, updated_at = ? where ${HELD}`,
  ).run(stage, error, Date.now(), lease.jobId, lease.fence, lease.owner);
  if (res.changes !== 1) throw new LeaseLost(lease.jobId);
}

/** The learner's "retry" after a job failed: start over from where it stopped. */
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
  const row = statement(
    database,
    `select min(coalesce(max(next_run_at, lease_until), next_run_at)) as at from grading_jobs
     where stage not in ('scored', 'failed')`,
  ).get() as { at: number | null } | undefined;
  return row?.at ?? null;
}
