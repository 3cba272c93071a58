import { setMaxListeners } from "node:events";
import type { Db } from "../db";
import { sweepPending } from "../ledger";
import { log } from "../log";
import { handBack } from "./hand-back";
import { claimNextJob, type Lease, nextDueAt, releaseDeadLeases, renewLeases, stalledJobs } from "./jobs";
import { createOwner, isDeadOwner, type Owner } from "./owner";
import { type PipelineContext, runJob } from "./pipeline";

export interface WorkerOptions {
  maxJobs: number;
  leaseMs: number;
  /** How often leases of running jobs are renewed; at most half the lease. */
  heartbeatMs: number;
  idleMs?: number;
  /** Pending ledger rows older than this are given up as unknown whoever wrote them (no call runs that long). */
  pendingMaxAgeMs?: number;
  /** How long a worker alive on this host keeps its jobs past a missed heartbeat (jobs.ts stalledJobs). */
  stalledGraceMs?: number;
}

const STALLED_GRACE_MS = 60_000;

/** The longest pause before a job whose run crashed is run again. */
const CRASH_PAUSE_MAX_MS = 30_000;

interface Running {
  lease: Lease;
  done: Promise<void>;
}

/**
 * The in-process grading worker: claims due jobs (with a lease) up to `maxJobs` at a time and runs them; per-call
 * concurrency towards the provider is bounded separately by the provider's limiter. A heartbeat renews the leases
 * of running jobs; a job whose lease was lost anyway is stopped at its next write. Jobs live in the database, so a
 * restart loses nothing: at start-up the worker closes the pending ledger rows and releases the leases of workers
 * known dead, and resumes their jobs at once.
 */
export class GradingWorker {
  private running = false;
  private readonly jobs = new Map<number, Running>();
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private abort = new AbortController();
  private drainStarted = new AbortController();
  private owner: Owner | null = null;

  constructor(
    private readonly database: Db,
    private readonly ctx: Omit<PipelineContext, "owner" | "signal" | "drain">,
    private readonly opts: WorkerOptions,
  ) {}

  /** This worker's owner id (owner.ts) while it runs. */
  get id(): string | null {
    return this.owner?.id ?? null;
  }

  start(): void {
    if (this.running) return;
    this.owner = createOwner();
    this.running = true;
    this.abort = new AbortController();
    this.drainStarted = new AbortController();
    // Every call in flight or waiting listens to these two: dozens at once is normal, not a leak.
    setMaxListeners(0, this.abort.signal, this.drainStarted.signal);
    this.recover();
    this.heartbeat = setInterval(() => this.beat(), this.opts.heartbeatMs);
    this.heartbeat.unref?.();
    this.loop = this.run();
  }

  /**
   * Graceful stop (SIGTERM): takes no new job and sends no new call; calls in flight finish and are settled, up to
   * `deadlineMs`, after which they are cancelled (their rows then stay at their estimate, unknown). Every lease is
   * handed back, so the next process resumes the jobs at once.
   */
  async drain(deadlineMs: number): Promise<void> {
    this.drainStarted.abort();
    this.running = false;
    this.poke();
    await this.loop;
    const all = Promise.allSettled([...this.jobs.values()].map((j) => j.done));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), deadlineMs);
    });
    if ((await Promise.race([all, timedOut])) === "late") {
      log.info(`grading: ${this.jobs.size} job(s) still running at the shutdown deadline; cancelling their calls`);
      this.abort.abort();
      await all;
    }
    clearTimeout(timer);
    this.stopHeartbeat();
    this.owner?.release();
  }

  /** Stops claiming; waits for the jobs in flight unless `abandon` (a crash, simulated: nothing is handed back). */
  async stop({ abandon = false } = {}): Promise<void> {
    this.running = false;
    this.poke();
    await this.loop;
    this.stopHeartbeat();
    if (abandon) {
      this.owner?.release();
      this.abort.abort();
    }
    await Promise.allSettled([...this.jobs.values()].map((j) => j.done));
    this.owner?.release();
  }

  /** A new job was queued: look now instead of at the next tick. */
  poke(): void {
    this.wake?.();
  }

  get activeJobs(): number {
    return this.jobs.size;
  }

  /** Start-up: rows and leases of dead workers are closed and freed, so their jobs resume now, not in minutes. */
  private recover(): void {
    const olderThan = new Date(Date.now() - (this.opts.pendingMaxAgeMs ?? 24 * 3_600_000));
    const closed = sweepPending(this.database, isDeadOwner, olderThan);
    const freed = releaseDeadLeases(this.database);
    if (closed || freed)
      log.info(`grading: ${closed} pending ledger row(s) of dead workers closed as unknown; ${freed} job(s) resumed`);
  }

  private beat(): void {
    if (this.jobs.size === 0) return;
    try {
      const lost = renewLeases(
        this.database,
        [...this.jobs.values()].map((j) => j.lease),
        this.opts.leaseMs,
      );
      for (const id of lost) log.info(`grading job ${id}: lease lost; its next write will stop it`);
    } catch (err) {
      log.error("grading: heartbeat failed", err);
    }
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private async run(): Promise<void> {
    const owner = this.owner!.id;
    const ctx: PipelineContext = {
      ...this.ctx,
      owner,
      signal: this.abort.signal,
      drain: this.drainStarted.signal,
    };
    while (this.running) {
      let claimed = 0;
      // Full: nothing could be claimed, so nothing is read; a job that ends pokes the loop awake.
      const full = this.jobs.size >= this.opts.maxJobs;
      if (!full) {
        try {
          releaseDeadLeases(this.database);
          const spare = stalledJobs(this.database, this.opts.stalledGraceMs ?? STALLED_GRACE_MS);
          while (this.running && this.jobs.size < this.opts.maxJobs) {
            const job = claimNextJob(this.database, {
              owner,
              leaseMs: this.opts.leaseMs,
              running: [...this.jobs.keys()],
              spare,
            });
            if (!job) break;
            claimed++;
            const lease = { jobId: job.id, fence: job.fence, owner };
            const done: Promise<void> = runJob(ctx, job)
              .catch((err) => {
                // runJob writes every outcome itself; a throw is a fault of ours or a write refused. The job goes back
                // to the queue after a pause that grows with its runs, instead of waiting out its lease.
                log.error(`grading job ${job.id} crashed`, err);
                handBack(this.database, lease, { delayMs: Math.min(CRASH_PAUSE_MAX_MS, 1_000 * job.tries) });
              })
              .finally(() => {
                if (this.jobs.get(job.id)?.done === done) this.jobs.delete(job.id);
                this.poke();
              });
            this.jobs.set(job.id, { lease, done });
          }
        } catch (err) {
          log.error("grading: claiming jobs failed", err);
        }
      }
      await this.sleep(claimed === 0, full);
    }
  }

  /** Until the next job is due; after a pass that claimed nothing, not sooner than 100 ms (a due job may be one this
   * worker must not take: its own, or a stalled live worker's), so the loop never spins. A new job pokes it. */
  private sleep(idlePass: boolean, full = false): Promise<void> {
    const idle = this.opts.idleMs ?? 1000;
    const due = full ? null : nextDueAt(this.database);
    const soonest = idlePass ? Math.min(idle, 100) : 5;
    const wait = due === null ? idle : Math.min(idle, Math.max(soonest, due - Date.now()));
    return new Promise((resolve) => {
      // unref: an idle worker must not keep the process alive on its own.
      const timer = setTimeout(done, wait);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
