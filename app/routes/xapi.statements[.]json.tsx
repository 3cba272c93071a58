import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { statementPages, statementsStream, XAPI_VERSION } from "~/.server/xapi";
import { parseParams } from "~/lib/params";

const DAY = 24 * 3600 * 1000;
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date, YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "is not a real date")
  .transform((d) => new Date(`${d}T00:00:00Z`));

const querySchema = z
  .object({ from: day.optional(), to: day.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "must not be before from", path: ["to"] });

/**
 * xAPI statements of graded attempts (graded between `from` and `to`, whole UTC days, both included), then of the
 * learning journey (assigned, completed; by their timestamp): admins all, managers their teams and themselves,
 * learners their own.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { from, to } = parseParams(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const pages = statementPages(db(), user, { from, to: to ? new Date(to.getTime() + DAY) : undefined });
  return new Response(statementsStream(pages), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": 'attachment; filename="tokenwise-xapi-statements.json"',
      "X-Experience-API-Version": XAPI_VERSION,
      "Cache-Control": "no-store",
    },
  });
}
