import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { invitationsCsv } from "~/.server/admin/import-users";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import { openInvitations } from "~/.server/password-links";
import { csvResponse } from "~/lib/csv";
import { parseParams } from "~/lib/params";

const paramsSchema = z.object({ batch: z.string().regex(/^import-[\w:-]{1,60}$/) });

/** A user import's invitation links that still work, derived again: downloadable until each is used or expires. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { batch } = parseParams(paramsSchema, params);
  const open = openInvitations(db(), batch);
  if (open.length === 0)
    throw new Response("Every invitation of that import has been used, withdrawn or has expired.", { status: 404 });
  return csvResponse(`tokenwise-invitations-${batch}.csv`, invitationsCsv(open));
}
