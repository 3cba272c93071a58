import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { teamLearnersCsv } from "~/.server/dashboard/export";
import { teamDetail } from "~/.server/dashboard/team";
import { db } from "~/.server/db";
import { requireManagerScope } from "~/.server/scope";
import { csvResponse } from "~/lib/csv";
import { parseParams } from "~/lib/params";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const { teamId } = parseParams(z.object({ teamId: z.coerce.number().int().positive() }), params);
  const detail = teamDetail(db(), scope, teamId);
  if (!detail) throw new Response("There is no team of yours at this address.", { status: 404 });
  return csvResponse(`${detail.team.name}-learners.csv`, teamLearnersCsv(detail));
}
