import { rmSync } from "node:fs";
import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { z } from "zod";
import { BAD_ROW_POLICIES } from "#db/schema";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import { startFileImport } from "~/.server/usage/import-jobs";
import { isUsageSource } from "~/.server/usage/importers";
import { receiveUpload, UploadError } from "~/.server/usage/upload";
import { parseForm } from "~/lib/forms";

/**
 * POST /admin/usage/upload (multipart: file, source, policy): stores the file and starts its import in the
 * background. A browser without JavaScript is sent to the import's page; the page's script (which shows the
 * upload's progress) asks for JSON: { importId } or { error }.
 */

const fields = z.object({
  source: z.string().refine(isUsageSource, "Choose what kind of file this is"),
  policy: z.enum(BAD_ROW_POLICIES, { errorMap: () => ({ message: "Choose what to do with bad rows" }) }),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const wantsJson = (request.headers.get("Accept") ?? "").includes("application/json");
  const answer = (status: number, error: string) =>
    wantsJson ? Response.json({ error }, { status }) : redirect(`/admin/usage?error=${encodeURIComponent(error)}`);
  let upload: Awaited<ReturnType<typeof receiveUpload>>;
  try {
    upload = await receiveUpload(request);
  } catch (error) {
    if (error instanceof UploadError) return answer(error.status, error.message);
    throw error;
  }
  const parsed = parseForm(fields, upload.form);
  if (!parsed.ok) {
    rmSync(upload.path, { force: true });
    return answer(400, Object.values(parsed.errors).join(" "));
  }
  const importId = startFileImport(db(), upload, {
    source: parsed.data.source as Parameters<typeof startFileImport>[2]["source"],
    policy: parsed.data.policy,
    createdBy: admin.id,
  });
  return wantsJson ? Response.json({ importId }) : redirect(`/admin/usage?import=${importId}`);
}
