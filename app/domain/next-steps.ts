import type { GradeResult } from "./grade";
import type { RequirementVerdict } from "./offline-judge";

/** Verdicts stored by the first offline judge carry only `covered`. */
type Requirement = Pick<RequirementVerdict, "id" | "description" | "covered" | "reason"> &
  Partial<Pick<RequirementVerdict, "level" | "status" | "contradiction">>;

const rank = (r: Requirement) => ((r.level ?? "must") === "must" ? 0 : 2) + (r.status === "contradicted" ? 0 : 1);

/**
 * "What to fix first" on a result, in the order that decides a pass: gaming (it zeroes the score), then each
 * failed required check, then each requirement the prompt does not cover, then a missing output format; for a
 * passing attempt, the tokens above par. At most `max` items, each a plain sentence.
 */
/** "At most three bullets." → "At most three bullets", to be followed by a colon or a bracket. */
export const withoutEndStop = (text: string) => text.replace(/[.;:]+$/, "");

export function fixFirst(
  result: Pick<GradeResult, "checks" | "score" | "tokens"> & {
    judge: Pick<GradeResult["judge"], "gaming" | "format"> & { requirements: Requirement[] };
  },
  max = 3,
): string[] {
  const out: string[] = [];
  const { judge, checks, score, tokens } = result;
  if (judge.gaming.keywordList || judge.gaming.injection) {
    out.push(`Write instructions for the model, not for the grader: ${judge.gaming.reasons.join(" ")}`.trim());
  }
  for (const c of checks) if (c.required && !c.passed) out.push(`${c.label}: ${c.detail}`);
  // Essential ones first, those the prompt contradicts before those it leaves out.
  const open = judge.requirements.filter((r) => !r.covered).sort((a, b) => rank(a) - rank(b));
  for (const r of open) {
    out.push(
      r.status === "contradicted"
        ? `Your prompt says the opposite of: ${withoutEndStop(r.description)}${r.contradiction ? ` (line ${r.contradiction.line})` : ""}`
        : `Cover this: ${r.description} (${r.reason})`,
    );
  }
  if (judge.format.required && !judge.format.found)
    out.push(`Say what format the answer takes: ${judge.format.reason}`);
  if (out.length === 0 && score.passed && tokens.prompt > tokens.par) {
    out.push(
      `Passed. To score higher, cut ${(tokens.prompt - tokens.par).toLocaleString("en-US")} more tokens to reach par (${tokens.par}).`,
    );
  }
  return out.slice(0, max);
}
