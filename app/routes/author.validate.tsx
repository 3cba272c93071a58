import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import { MAX_EXERCISE_TEXT, validateForEditor } from "~/.server/authoring/drafts";
import { withRenderedBrief } from "~/.server/brief";
import { db } from "~/.server/db";
import { parseForm } from "~/lib/forms";

/** Resource route for the exercise editor's live validation: POST the YAML, get errors and the learner preview. */

const formSchema = z.object({
  text: z.string().max(MAX_EXERCISE_TEXT, `The file is longer than ${MAX_EXERCISE_TEXT} characters`),
  slug: z.string().max(100).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  const parsed = parseForm(formSchema, await request.formData());
  if (!parsed.ok) {
    const message = Object.values(parsed.errors).join(" ");
    return Response.json(
      { errors: [{ line: 1, column: 1, field: "(file)", message }], preview: null },
      { status: 400 },
    );
  }
  const result = validateForEditor(db(), parsed.data.text, parsed.data.slug || null);
  return Response.json({ ...result, preview: await withRenderedBrief(db(), result.preview) });
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  throw new Response("POST the exercise text to validate it.", { status: 405 });
}
