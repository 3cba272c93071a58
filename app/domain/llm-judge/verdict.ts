import { z } from "zod";
import type { RubricCriterion } from "../exercise";

/**
 * Strict parsing of the judge's reply. The reply must be exactly the JSON verdict (one surrounding
 * ```json fence is tolerated, because models add it even when told not to); prose around it, a
 * missing or unknown criterion, or a score out of range is an error that earns one repair retry.
 *
 * The model's own `pass` is not trusted: pass := score ≥ PASS_SCORE, decided here. When the model's
 * flag disagrees with its score the score wins, and the reason says so, so the learner sees it.
 */

/** The lowest score (0–10) at which a criterion counts as met. */
export const PASS_SCORE = 6;
export const MAX_REASON_CHARS = 500;

export interface CriterionVerdict {
  /** The rubric criterion's id. */
  criterion: string;
  /** score ≥ PASS_SCORE, decided in code. */
  pass: boolean;
  /** 0–10 as the judge gave it. */
  score: number;
  reason: string;
  /** The judge's own pass flag disagreed with its score and was overridden. */
  passOverridden: boolean;
}

export type ParsedVerdict = { ok: true; verdicts: CriterionVerdict[] } | { ok: false; error: string };

const replySchema = z
  .object({
    verdicts: z
      .array(
        z
          .object({
            criterion: z.string().min(1),
            pass: z.boolean(),
            score: z.number().finite().min(0).max(10),
            reason: z.string().trim().min(1, "must not be empty").max(MAX_REASON_CHARS),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

const FENCED = /^```(?:json)?[ \t]*\r?\n([\s\S]*?)\r?\n?```$/i;

function unfence(text: string): string {
  const trimmed = text.trim();
  const m = FENCED.exec(trimmed);
  return m && !m[1].includes("```") ? m[1].trim() : trimmed;
}

function formatIssue(issue: z.ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join(".") : "(root)";
  return `${path}: ${issue.message}`;
}

/** score ≥ PASS_SCORE decides; a disagreeing `pass` from the model is noted in the reason. */
export function reconcile(v: { criterion: string; pass: boolean; score: number; reason: string }): CriterionVerdict {
  const pass = v.score >= PASS_SCORE;
  const reason = v.reason.trim();
  if (pass === v.pass) return { criterion: v.criterion, pass, score: v.score, reason, passOverridden: false };
  const said = v.pass ? "pass" : "fail";
  return {
    criterion: v.criterion,
    pass,
    score: v.score,
    reason: `${reason} (The judge said ${said} but scored ${v.score}/10; the score decides: ${pass ? "pass" : "fail"}.)`,
    passOverridden: true,
  };
}

export function parseJudgeVerdict(text: string, rubric: readonly Pick<RubricCriterion, "id">[]): ParsedVerdict {
  const body = unfence(text);
  if (body === "") return { ok: false, error: "the reply is empty; expected a JSON object" };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const hint = body.startsWith("{") ? "" : " (it must start with { and contain nothing but the JSON)";
    return { ok: false, error: `the reply is not a single JSON object${hint}` };
  }
  const parsed = replySchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.slice(0, 3).map(formatIssue).join("; ") };

  const wanted = new Set(rubric.map((c) => c.id));
  const seen = new Map<string, (typeof parsed.data.verdicts)[number]>();
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const v of parsed.data.verdicts) {
    if (!wanted.has(v.criterion)) unknown.push(v.criterion);
    else if (seen.has(v.criterion)) problems.push(`criterion "${v.criterion}" appears more than once`);
    else seen.set(v.criterion, v);
  }
  const missing = rubric.filter((c) => !seen.has(c.id)).map((c) => c.id);
  if (missing.length > 0) problems.push(`missing verdicts for: ${missing.join(", ")}`);
  if (unknown.length > 0) problems.push(`unknown criteria: ${unknown.join(", ")}`);
  if (problems.length > 0) return { ok: false, error: problems.join("; ") };

  // Rubric order, whatever order the judge answered in.
  return { ok: true, verdicts: rubric.map((c) => reconcile(seen.get(c.id)!)) };
}
