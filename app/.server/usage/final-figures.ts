import type { Db } from "~/.server/db";
import { reattribute, reattributionStatus } from "./reattribution";

/** How long an export waits for attribution to finish before saying it cannot give final figures yet. */
export const EXPORT_WAIT_MS = 10_000;
const RETRY_AFTER_S = 30;

/**
 * An export of attributed figures is a file people keep and pass on: it must never mix the old attribution and the
 * new while history is being attributed again (after a rule or organisation change, or an import; the pages say so
 * with a notice, a CSV cannot). So an export first waits, up to `waitMs`, for the background run (starting it if no
 * run is going, as upkeep would); if the figures are still not final it is answered with a 503, a Retry-After and a
 * sentence saying why, never with a file that looks final and is not. Null when the export may go ahead.
 */
export async function attributionPendingResponse(database: Db, waitMs = EXPORT_WAIT_MS): Promise<Response | null> {
  if (reattributionStatus(database) === null) return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    reattribute(database).catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, waitMs);
    }),
  ]);
  clearTimeout(timer);
  const left = reattributionStatus(database);
  if (left === null) return null;
  const days = `${left.daysLeft.toLocaleString("en-US")} day${left.daysLeft === 1 ? "" : "s"}`;
  return new Response(
    `These figures are being updated: usage is being attributed again (${days} of history left). The export will ` +
      `have the final figures once that is done; try again in a minute.\n`,
    {
      status: 503,
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Retry-After": String(RETRY_AFTER_S),
        "Cache-Control": "no-store",
      },
    },
  );
}
