import type { LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/.server/config";
import { db } from "~/.server/db";
import { exportFilename } from "~/.server/finops/exports";
import { focusCsv, ledgerLines } from "~/.server/finops/focus";
import { focusParties } from "~/.server/finops/focus-parties";
import { parsePeriod } from "~/.server/finops/period";
import { requireManagerScope } from "~/.server/scope";
import { getSetting } from "~/.server/settings";
import { csvResponse } from "~/lib/csv";

/** /finops/focus?from&to — every ledger row the viewer may see in the period, as a FOCUS 1.2 dataset. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const period = parsePeriod(new URL(request.url));
  const cfg = config();
  const options = {
    emails: getSetting(db(), "focusExportEmails")
      ? ({ mode: "plain" } as const)
      : ({ mode: "hashed", secret: cfg.SESSION_SECRET } as const),
    parties: focusParties({ provider: cfg.LLM_PROVIDER, baseUrl: cfg.LLM_BASE_URL }),
  };
  return csvResponse(
    exportFilename("focus-1.2", { from: period.fromDate, to: period.toDate }),
    focusCsv(ledgerLines(db(), scope, period), options),
  );
}
