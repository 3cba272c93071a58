import { config } from "~/.server/config";
import type { Db } from "~/.server/db";
import { markInterrupted } from "./import-run";
import { type PullReport, runDuePulls } from "./pulls";
import { markHistoryIfChanged, reattribute } from "./reattribution";
import { refreshTeamTraining } from "./training-dates";

/**
 * Production usage's share of the background upkeep (app/.server/maintenance.ts): imports whose process died are
 * marked interrupted, the providers' admin APIs are pulled when due (usage/pulls.ts; at most PULL_BUDGET_MS per
 * run, a longer pull resumes at the next), when what attribution depends on changed outside the rules page (a team
 * moved to another department, a user to another team) all of history is marked for attribution again, and the
 * marked days are attributed (usage/reattribution.ts: those days, and any a crash left marked, such as a run killed
 * mid-way or an import killed between its write and its attribution).
 * When attempts were graded or people changed team since the last run, the days teams count as trained from are
 * worked out again (usage/training-dates.ts), for the training impact estimate.
 */
export interface UsageUpkeepReport {
  /** Imports found interrupted and marked failed. */
  interrupted: number;
  /** Days attributed again (by the run this upkeep started or joined). */
  reallocatedDays: number;
  /** The pulls that ran (each says how it went; a failed one also stores its error for the admin's page). */
  pulls: PullReport[];
  /** Whether team_training was rebuilt. */
  trainingRefreshed: boolean;
}

export const PULL_BUDGET_MS = 2 * 60_000;

export async function usageUpkeep(
  database: Db,
  now: Date,
  deps: { fetchFn?: typeof fetch } = {},
): Promise<UsageUpkeepReport> {
  const interrupted = markInterrupted(database, now);
  const pulls = await runDuePulls(database, config(), now, {
    fetchFn: deps.fetchFn,
    deadline: Date.now() + PULL_BUDGET_MS,
  });
  markHistoryIfChanged(database, now);
  const reallocatedDays = await reattribute(database);
  return { interrupted, reallocatedDays, pulls, trainingRefreshed: refreshTeamTraining(database) };
}
