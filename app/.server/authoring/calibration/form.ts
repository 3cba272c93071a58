import { z } from "zod";
import { MAX_SCORE } from "~/domain/scoring";
import type { FieldErrors } from "~/lib/forms";
import type { Sample } from "./rules";

/**
 * The calibration form: a draft (optional) and repeated `sample` + `expect` (+ optional `min`, `max`)
 * fields, one set a row.
 */

export const MAX_SAMPLES = 20;
export const MAX_SAMPLE_CHARS = 20_000;
/** An exercise file is a few kilobytes; this only stops a runaway paste. */
export const MAX_DRAFT_CHARS = 200_000;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const scoreBound = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ invalid_type_error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be at least 0")
    .max(MAX_SCORE, `must be at most ${MAX_SCORE}`)
    .optional(),
);

const sampleSchema = z
  .object({
    prompt: z.string().max(MAX_SAMPLE_CHARS, `is longer than ${MAX_SAMPLE_CHARS.toLocaleString("en-US")} characters`),
    expect: z.enum(["pass", "fail"], { errorMap: () => ({ message: 'needs an expected grade: "pass" or "fail"' }) }),
    minScore: scoreBound,
    maxScore: scoreBound,
  })
  .refine((s) => s.minScore === undefined || s.maxScore === undefined || s.minScore <= s.maxScore, {
    message: "is above the highest score",
    path: ["minScore"],
  });

const formSchema = z.object({
  draft: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(MAX_DRAFT_CHARS, `The draft is longer than ${MAX_DRAFT_CHARS.toLocaleString("en-US")} characters`)
      .optional(),
  ),
  samples: z.array(sampleSchema).max(MAX_SAMPLES, `At most ${MAX_SAMPLES} sample prompts can be calibrated at once`),
});

export interface CalibrationForm {
  draft?: string;
  samples: Sample[];
}

/**
 * Reads the calibration form. Rows whose sample text is blank are left out (the page always shows
 * an empty row to fill in); errors are keyed `sample.<row>` by the row as posted, so the page can
 * show each beside its field, and `samples` / `draft` for the form as a whole.
 */
export function parseCalibrationForm(
  form: FormData,
): { ok: true; data: CalibrationForm } | { ok: false; errors: FieldErrors } {
  const text = (v: FormDataEntryValue | undefined) => (typeof v === "string" ? v : undefined);
  const expects = form.getAll("expect");
  const mins = form.getAll("min");
  const maxs = form.getAll("max");
  const rows = form
    .getAll("sample")
    .map((sample, row) => ({
      row,
      fields: {
        prompt: text(sample) ?? "",
        expect: text(expects[row]),
        minScore: text(mins[row]),
        maxScore: text(maxs[row]),
      },
    }))
    .filter((r) => r.fields.prompt.trim() !== "");
  const parsed = formSchema.safeParse({
    draft: text(form.get("draft") ?? undefined),
    samples: rows.map((r) => r.fields),
  });
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  const fieldName: Record<string, string> = {
    prompt: "",
    expect: "",
    minScore: "lowest score ",
    maxScore: "highest score ",
  };
  for (const issue of parsed.error.issues) {
    const [top, index, field] = issue.path;
    if (top === "samples" && typeof index === "number") {
      const row = rows[index].row;
      errors[`sample.${row}`] ??= `Sample ${row + 1}: ${fieldName[String(field)] ?? ""}${issue.message}`;
    } else {
      errors[String(top ?? "form")] ??= issue.message;
    }
  }
  return { ok: false, errors };
}
