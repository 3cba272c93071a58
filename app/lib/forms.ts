import type { z } from "zod";

export type FieldErrors = Record<string, string>;

/** Parses a form against a schema; returns the data or one message per field, named after the field. */
export function parseForm<S extends z.ZodTypeAny>(
  schema: S,
  form: FormData,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.join(".") || "form";
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}
