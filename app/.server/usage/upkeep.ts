import type { Db } from "~/.server/db";
import { markInterrupted } from "./import-run";

/**
 * Production usage's share of the background upkeep (app/.server/maintenance.ts): imports whose process died are
 * marked interrupted, so their page stops showing a bar that never moves.
 */
export interface UsageUpkeepReport {
  /** Imports found interrupted and marked failed. */
  interrupted: number;
}

export async function usageUpkeep(database: Db, now: Date): Promise<UsageUpkeepReport> {
  return { interrupted: markInterrupted(database, now) };
}
