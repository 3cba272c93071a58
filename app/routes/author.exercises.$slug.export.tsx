import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import { exportExercise } from "~/.server/authoring/exchange";
import { db } from "~/.server/db";
import { parseParams } from "~/lib/params";

/** Downloads an exercise as its YAML file (the current version, or ?version=N), ready for exercises/<course>/. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  const { slug } = parseParams(z.object({ slug: z.string().max(100) }), params);
  const url = new URL(request.url);
  const { version } = parseParams(z.object({ version: z.coerce.number().int().min(1).optional() }), {
    version: url.searchParams.get("version") || undefined,
  });
  const file = exportExercise(db(), slug, version);
  if (!file) throw new Response(`There is no such version of "${slug}" to download.`, { status: 404 });
  return new Response(file.text, {
    headers: {
      "Content-Type": "application/yaml; charset=utf-8",
      // The slug pattern allows only [a-z0-9-], so the file name needs no escaping.
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
