import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/.server/db";
import { exportFilename } from "~/.server/finops/exports";
import { focusCsv, ledgerLines } from "~/.server/finops/focus";
import { parsePeriod } from "~/.server/finops/period";
import { requireManagerScope } from "~/.server/scope";
import { csvResponse } from "~/lib/csv";

/** /finops/focus?from&to — every ledger row the viewer may see in the period, in the FinOps FOCUS layout. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const period = parsePeriod(new URL(request.url));
  return csvResponse(
    exportFilename("focus", { from: period.fromDate, to: period.toDate }),
    focusCsv(ledgerLines(db(), scope, period)),
  );
}
