import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/.server/db";
import { exportFilename } from "~/.server/finops/exports";
import { parsePeriod } from "~/.server/finops/period";
import { requireManagerScope } from "~/.server/scope";
import { attributionPendingResponse } from "~/.server/usage/final-figures";
import { PRODUCTION_VIEWS, productionCsv } from "~/.server/usage/production-exports";
import { productionShowback } from "~/.server/usage/production-showback";
import { csvResponse } from "~/lib/csv";
import { parseParams } from "~/lib/params";

/** /finops/production/export/:view?from&to — the production showback per department, team, model, tier, source or day. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const { view } = parseParams(z.object({ view: z.enum(PRODUCTION_VIEWS) }), params);
  const pending = await attributionPendingResponse(db());
  if (pending) return pending;
  const report = productionShowback(db(), scope, parsePeriod(new URL(request.url)), new Date());
  return csvResponse(exportFilename(`production-${view}`, report), productionCsv(report, view));
}
