import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/.server/db";
import { requireManagerScope } from "~/.server/scope";
import { attributionPendingResponse } from "~/.server/usage/final-figures";
import { impactCsv } from "~/.server/usage/impact-exports";
import { trainingImpact } from "~/.server/usage/training-impact";
import { csvResponse } from "~/lib/csv";

/** /finops/impact.csv — the training impact estimate per team the viewer may see. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const pending = await attributionPendingResponse(db());
  if (pending) return pending;
  const now = new Date();
  return csvResponse(
    `tokenwise-training-impact-${now.toISOString().slice(0, 10)}.csv`,
    impactCsv(trainingImpact(db(), scope, now)),
  );
}
