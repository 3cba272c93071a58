import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/.server/db";
import { exportFilename, SHOWBACK_VIEWS, showbackCsv } from "~/.server/finops/exports";
import { parsePeriod } from "~/.server/finops/period";
import { showback } from "~/.server/finops/showback";
import { requireManagerScope } from "~/.server/scope";
import { csvResponse } from "~/lib/csv";
import { parseParams } from "~/lib/params";

/** /finops/export/:view?from&to — the showback per department, team, course, model or purpose as CSV. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const { view } = parseParams(z.object({ view: z.enum(SHOWBACK_VIEWS) }), params);
  const report = showback(db(), scope, parsePeriod(new URL(request.url)));
  return csvResponse(exportFilename(`showback-${view}`, report), showbackCsv(report, view));
}
