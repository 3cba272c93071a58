import type { z } from "zod";

/** Parses route or search params; anything malformed is a 400 naming the parameter, never a 500. */
export function parseParams<S extends z.ZodTypeAny>(schema: S, params: unknown): z.infer<S> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Response(`Bad URL parameter ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`, {
      status: 400,
    });
  }
  return parsed.data;
}
