import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import { importView } from "~/.server/usage/import-jobs";
import { parseParams } from "~/lib/params";

/** GET /admin/usage/imports/:id.json — an import's progress and outcome, polled by the imports page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { importId } = parseParams(z.object({ importId: z.coerce.number().int().positive() }), params);
  const view = importView(db(), importId);
  if (!view) throw new Response("No such import.", { status: 404 });
  return Response.json(view, { headers: { "Cache-Control": "no-store" } });
}
