import { type Db, writeTransaction } from "~/.server/db";
import { log } from "~/.server/log";
import { getSetting, setSetting } from "~/.server/settings";
import { reallocateInSlices } from "./allocate";
import { attributionFingerprint } from "./fingerprint";

/**
 * Attributing history again after a change of rules or organisation, in the background. The change marks every day
 * with usage dirty (usage_dirty_days) in its own transaction and notes when; a runner (one per database handle in
 * this process) then attributes the dirty days in slices of its own transactions (`reallocateInSlices`), giving the
 * event loop back between them, until none is left. So the request that saved a rule answers at once and the server
 * keeps serving everyone while a multi-million-row history is redone.
 *
 * Nothing is lost: a rule saved while a run goes marks the days again; each slice reads the rules inside its own
 * transaction, and the runner goes round again while any day is marked, so the figures end under the last rules
 * saved. The list is in the database: a process killed mid-run leaves the rest marked, and the next start or upkeep
 * tick finishes it. Until then the pages that read attributed figures say they are being updated
 * (`reattributionStatus`).
 */

// On globalThis: the dev server evaluates this module again when a file it imports changes, and a run under way must
// still be the one run.
const shared = globalThis as { __tokenwiseReattribution?: Map<Db, Promise<number>> };
shared.__tokenwiseReattribution ??= new Map();
const runs = shared.__tokenwiseReattribution;

function markedDays(database: Db): number {
  return database.$client.prepare("select count(*) from usage_dirty_days").pluck().get() as number;
}

/**
 * Marks every day with usage for attribution again and records the attribution fingerprint it will be done under.
 * Call it inside the transaction that changes the rules, so the change and the mark commit together. Returns the
 * days marked.
 */
export function markHistory(database: Db, now = new Date()): number {
  const before = markedDays(database);
  database.$client
    .prepare("insert or ignore into usage_dirty_days (day) select distinct day from usage_dim_daily")
    .run();
  attributionFingerprint(database).changed();
  const days = markedDays(database);
  // A run under way (days already marked) keeps its start; otherwise this change starts one.
  const since = (before > 0 && getSetting(database, "usageReattribution").since) || now.toISOString();
  setSetting(database, "usageReattribution", { since, days }, null);
  return days;
}

/**
 * When what attribution depends on changed outside the rules page (a team moved to another department, a user to
 * another team), marks all of history, in one transaction with the fingerprint. True when it did.
 */
export function markHistoryIfChanged(database: Db, now = new Date()): boolean {
  // Read first: upkeep asks every minute, and the write lock is taken only when something changed.
  if (attributionFingerprint(database).isStored()) return false;
  return writeTransaction(database, () => {
    if (attributionFingerprint(database).isStored()) return false;
    markHistory(database, now);
    return true;
  });
}

/**
 * Attributes the marked days in the background, unless a run is already going (it will take them: it goes round
 * again while any day is marked). Resolves with the days the run attributed once none is left; rejects if a slice
 * failed (logged; the days stay marked for the next upkeep tick). Never blocks the caller: the first slice waits for
 * the next turn of the event loop, so a request that starts a run answers first.
 */
export function reattribute(database: Db): Promise<number> {
  const running = runs.get(database);
  if (running) return running;
  const run = (async () => {
    let days = 0;
    try {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        // The check and the end of the run in one synchronous step: a change marked after it starts a new run.
        if (markedDays(database) === 0) {
          const marked = getSetting(database, "usageReattribution");
          if (marked.since || marked.days) setSetting(database, "usageReattribution", { since: "", days: 0 }, null);
          runs.delete(database);
          return days;
        }
        days += (await reallocateInSlices(database, "dirty")).days;
      }
    } catch (error) {
      runs.delete(database);
      throw error;
    }
  })();
  run.catch((error: unknown) =>
    log.error("usage re-attribution stopped; upkeep will resume it", error instanceof Error ? error.message : error),
  );
  runs.set(database, run);
  return run;
}

/** Resolves when this process's run on `database` (if any) has ended; for tests and graceful stops. */
export async function reattributionSettled(database: Db): Promise<void> {
  await runs.get(database)?.catch(() => {});
}

export interface ReattributionStatus {
  /** Days still to attribute. */
  daysLeft: number;
  /** Days marked by the change (at least daysLeft). */
  days: number;
  /** When history was marked after a change of rules or organisation (ISO); null for newly imported days only. */
  since: string | null;
}

/** What is left to attribute, or null when every figure follows the rules and organisation as they are now. */
export function reattributionStatus(database: Db): ReattributionStatus | null {
  const daysLeft = markedDays(database);
  if (daysLeft === 0) return null;
  const marked = getSetting(database, "usageReattribution");
  return { daysLeft, days: Math.max(daysLeft, marked.days), since: marked.since || null };
}
