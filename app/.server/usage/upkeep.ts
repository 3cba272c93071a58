import type { Db } from "~/.server/db";
import { reallocate } from "./allocate";
import { attributionFingerprint } from "./fingerprint";
import { markInterrupted } from "./import-run";

/**
 * Production usage's share of the background upkeep (app/.server/maintenance.ts): imports whose process died are
 * marked interrupted, days whose usage changed but were not attributed (a crash between an import's write and its
 * attribution) are attributed, and when what attribution depends on changed outside the rules page (a team moved
 * to another department, a user to another team), all of history is attributed again.
 */
export interface UsageUpkeepReport {
  /** Imports found interrupted and marked failed. */
  interrupted: number;
  /** Days attributed again. */
  reallocatedDays: number;
}

export async function usageUpkeep(database: Db, now: Date): Promise<UsageUpkeepReport> {
  const interrupted = markInterrupted(database, now);
  const changed = attributionFingerprint(database).changed();
  const report = reallocate(database, changed ? "all" : "dirty");
  return { interrupted, reallocatedDays: report.days };
}
