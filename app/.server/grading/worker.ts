import type { Db } from "../db";
import { log } from "../log";
import { claimNextJob, nextDueAt } from "./jobs";
import { type PipelineContext, runJob } from "./pipeline";

/**
 * The in-process grading worker: claims due jobs (with a lease) up to `maxJobs` at a time and runs
 * them; per-call concurrency towards the provider is bounded separately by the provider's limiter.
 * Jobs live in the database, so a restart loses nothing: the next worker resumes them.
 */
export class GradingWorker {
  private running = false;
  private inFlight = new Set<Promise<void>>();
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private abort = new AbortController();

  constructor(
    private readonly database: Db,
    private readonly ctx: PipelineContext,
    private readonly opts: { maxJobs: number; leaseMs: number; idleMs?: number },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  /** Stops claiming new jobs; waits for the ones in flight unless `abandon` (used to simulate a crash). */
  async stop({ abandon = false } = {}): Promise<void> {
    this.running = false;
    this.poke();
    await this.loop;
    if (abandon) this.abort.abort();
    await Promise.allSettled(this.inFlight);
  }

  /** A new job was queued: look now instead of at the next tick. */
  poke(): void {
    this.wake?.();
  }

  get activeJobs(): number {
    return this.inFlight.size;
  }

  private async run(): Promise<void> {
    while (this.running) {
      while (this.running && this.inFlight.size < this.opts.maxJobs) {
        const job = claimNextJob(this.database, this.opts.leaseMs);
        if (!job) break;
        const p: Promise<void> = runJob({ ...this.ctx, signal: this.abort.signal }, job)
          .catch((err) => {
            log.error(`grading job ${job.id} crashed`, err);
          })
          .finally(() => {
            this.inFlight.delete(p);
            this.poke();
          });
        this.inFlight.add(p);
      }
      await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    const due = nextDueAt(this.database);
    const idle = this.opts.idleMs ?? 1000;
    const wait = due === null ? idle : Math.min(idle, Math.max(5, due - Date.now()));
    return new Promise((resolve) => {
      // unref: an idle worker must not keep the process alive after the HTTP server closed (SIGTERM).
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
