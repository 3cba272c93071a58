import type { DbLike } from "../db";
import { log } from "../log";
import { type Lease, releaseJob, type Waiting } from "./jobs";

/** A write refused because another connection held the database's write lock past busy_timeout. */
export function isBusy(err: unknown): boolean {
  return /^SQLITE_BUSY/.test(String((err as { code?: unknown })?.code ?? ""));
}

export interface HandBackOptions {
  delayMs?: number;
  waiting?: Waiting;
  note?: string | null;
}

/** Times a release refused by a busy database is tried again, and how far apart. */
const RELEASE_TRIES = 20;
const RELEASE_RETRY_MS = 1_000;

/**
 * Hands a job back to the queue (releaseJob) even when the database is busy right now. Another process holding the
 * write lock past busy_timeout (a backup, a long import) must not leave a job leased to a worker that stopped running
 * it: nothing renews that lease, and the job would wait out the lease and then the stalled-job grace (a minute or
 * more) before anyone took it. A busy release is tried again on a timer, RELEASE_TRIES times RELEASE_RETRY_MS apart;
 * if the process dies meanwhile, its leases end with it (releaseDeadLeases). Never throws.
 */
export function handBack(database: DbLike, lease: Lease, opts: HandBackOptions = {}, triesLeft = RELEASE_TRIES): void {
  try {
    releaseJob(database, lease, opts);
  } catch (err) {
    if (!isBusy(err) || triesLeft <= 1) {
      log.error(`grading job ${lease.jobId}: could not hand it back to the queue; its lease will lapse`, err);
      return;
    }
    const timer = setTimeout(() => handBack(database, lease, opts, triesLeft - 1), RELEASE_RETRY_MS);
    timer.unref?.();
  }
}
