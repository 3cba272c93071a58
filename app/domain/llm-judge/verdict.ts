import { z } from "zod";
import type { RubricCriterion } from "../exercise";

/**
 * Parsing of the judge's reply: tolerant of how real models write JSON, strict about what it means. The reply
 * must be the JSON verdict alone (one surrounding ```json fence is tolerated, because models add it even when
 * told not to; prose around it is refused: an injected output must not smuggle a verdict in). Tolerated and
 * normalised: keys nobody asked for (ignored), a score written as a string ("8", "8/10"), a pass flag written as
 * a word or left out, a criterion id in another case, an over-long reason (cut). Refused, with one repair
 * retry: a missing, unknown or repeated criterion, a score that is not a number from 0 to 10, an empty reason.
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

/** "8", " 7.5 ", "8/10" → a number; anything else passes through for the schema to refuse. */
function scoreValue(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(?:\/\s*10)?\s*$/.exec(v);
  return m ? Number(m[1]) : v;
}

/** true/false, or the words models use for them; anything else is dropped (the score decides pass anyway). */
function passValue(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v !== "string") return undefined;
  const w = v.trim().toLowerCase();
  if (["true", "yes", "pass", "passed", "met"].includes(w)) return true;
  if (["false", "no", "fail", "failed", "not met"].includes(w)) return false;
  return undefined;
}

const verdictSchema = z.object({
  criterion: z.string().trim().min(1),
  pass: z.unknown().transform(passValue),
  score: z.preprocess(scoreValue, z.number().finite().min(0).max(10)),
  reason: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .transform((r) => (r.length > MAX_REASON_CHARS ? `${r.slice(0, MAX_REASON_CHARS - 1)}…` : r)),
});

const replySchema = z.object({ verdicts: z.array(verdictSchema).min(1) });

/**
 * The verdict's JSON schema, for providers' structured output (OpenAI json_schema, Anthropic tool input): the
 * rubric's ids as an enum, a 0–10 score and a reason per criterion. Extra keys stay allowed: the parser ignores
 * them, and strict schemas make some compatible servers refuse the call.
 */
export function verdictJsonSchema(rubric: readonly Pick<RubricCriterion, "id">[]) {
  return {
    name: "record_verdicts",
    description: "Record one verdict for each rubric criterion.",
    schema: {
      type: "object",
      properties: {
        verdicts: {
          type: "array",
          minItems: rubric.length,
          maxItems: rubric.length,
          items: {
            type: "object",
            properties: {
              criterion: { type: "string", enum: rubric.map((c) => c.id) },
              pass: { type: "boolean" },
              score: { type: "number", minimum: 0, maximum: 10 },
              reason: { type: "string", maxLength: MAX_REASON_CHARS },
            },
            required: ["criterion", "pass", "score", "reason"],
          },
        },
      },
      required: ["verdicts"],
    } as Record<string, unknown>,
  };
}

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
export function reconcile(v: { criterion: string; pass?: boolean; score: number; reason: string }): CriterionVerdict {
  const pass = v.score >= PASS_SCORE;
  const reason = v.reason.trim();
  if (v.pass === undefined || pass === v.pass)
    return { criterion: v.criterion, pass, score: v.score, reason, passOverridden: false };
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

  // Ids are matched whatever their case: "Accuracy" is the rubric's "accuracy".
  const wanted = new Map(rubric.map((c) => [c.id.toLowerCase(), c.id]));
  const seen = new Map<string, (typeof parsed.data.verdicts)[number]>();
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const raw of parsed.data.verdicts) {
    const id = wanted.get(raw.criterion.toLowerCase());
    if (!id) unknown.push(raw.criterion);
    else if (seen.has(id)) problems.push(`criterion "${id}" appears more than once`);
    else seen.set(id, { ...raw, criterion: id });
  }
  const missing = rubric.filter((c) => !seen.has(c.id)).map((c) => c.id);
  if (missing.length > 0) problems.push(`missing verdicts for: ${missing.join(", ")}`);
  if (unknown.length > 0) problems.push(`unknown criteria: ${unknown.join(", ")}`);
  if (problems.length > 0) return { ok: false, error: problems.join("; ") };

  // Rubric order, whatever order the judge answered in.
  return { ok: true, verdicts: rubric.map((c) => reconcile(seen.get(c.id)!)) };
}
