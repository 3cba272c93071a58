import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import { previewRule } from "~/.server/usage/attribution-preview";
import { parseRuleForm, targetOf } from "~/.server/usage/rules";
import { namesOf, orgOptions } from "~/.server/usage/rules-page";
import { parseParams } from "~/lib/params";

/**
 * GET /admin/usage/rules/preview?field&match&value&targetKind&…[&ruleId] — what a rule being written would catch in
 * the last 30 days and what would stay unallocated, as JSON, for the rules page's live preview. Writes nothing.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const search = new URL(request.url).searchParams;
  const { ruleId } = parseParams(z.object({ ruleId: z.coerce.number().int().positive().optional() }), {
    ruleId: search.get("ruleId") || undefined,
  });
  const parsed = parseRuleForm(search);
  if (!parsed.ok)
    return Response.json({ ok: false, errors: parsed.errors }, { headers: { "Cache-Control": "no-store" } });
  const r = parsed.data;
  const candidate = { id: ruleId ?? -1, field: r.field, match: r.match, value: r.value, target: targetOf(r) };
  const preview = previewRule(db(), new Date(), candidate, namesOf(orgOptions(db())));
  return Response.json({ ok: true, preview }, { headers: { "Cache-Control": "no-store" } });
}
