import { findFormatInstructions, hasFormatInstruction } from "./checks";
import type { ExerciseFile } from "./exercise";
import { assessCoverage } from "./offline-judge/coverage";
import { detectInjection } from "./offline-judge/injection";
import { detectKeywordList, FORMAT_ID, type Unit } from "./offline-judge/keyword-list";
import { assessWaste } from "./offline-judge/waste";
import { indexText } from "./text-match";

export { FILLER_PHRASES, WASTE_PENALTY } from "./offline-judge/waste";

/**
 * The built-in offline judge: grades the prompt itself (not a model's output) against the
 * exercise's requirements, deterministically and without a network. See DESIGN.md.
 *
 * quality = weighted share of requirements covered (the output-format instruction counts as one
 *           more requirement of weight 1 when the exercise asks for it) × 100
 *           − waste penalty (filler, repetition, unused context; capped)
 * then: a keyword list is capped at KEYWORD_LIST_QUALITY_CAP, an attempt to instruct the grader gets 0.
 */

export const OFFLINE_JUDGE_NAME = "offline-judge@1";
/** Far below any sensible pass mark, so listing the judge's vocabulary never passes. */
export const KEYWORD_LIST_QUALITY_CAP = 25;

export interface OfflineVerdict {
  judge: string;
  /** 0–100, integer. */
  quality: number;
  requirements: { id: string; description: string; weight: number; covered: boolean; reason: string }[];
  format: { required: boolean; found: boolean; reason: string };
  waste: {
    filler: { phrase: string; count: number }[];
    repetition: string[];
    unusedContext: { phrase: string; reason: string }[];
    penalty: number;
    reason: string;
  };
  gaming: { keywordList: boolean; injection: string | null; reasons: string[] };
  summary: string;
}

type JudgedExercise = Pick<ExerciseFile, "requirements" | "format_instruction" | "unused_context">;

/** Placeholders are where the data goes, not words of the instruction; blanked so offsets stay put. */
function blankPlaceholders(prompt: string): string {
  return prompt.replace(/\{\{\s*[\w.-]+\s*\}\}/g, (m) => " ".repeat(m.length));
}

export function judgeOffline(prompt: string, exercise: JudgedExercise): OfflineVerdict {
  const text = blankPlaceholders(prompt);
  const index = indexText(text);

  const coverage = assessCoverage(index, exercise.requirements);
  const formatHit = hasFormatInstruction(text);
  const format = {
    required: exercise.format_instruction,
    found: formatHit.found,
    reason: formatHit.found
      ? `states the output format: "${formatHit.evidence}"`
      : exercise.format_instruction
        ? "no output format stated (e.g. JSON, a single label, N bullets, a word limit)"
        : "no output format stated; this exercise does not require one",
  };
  const waste = assessWaste(index, exercise.unused_context);

  const totalWeight = coverage.reduce((s, r) => s + r.weight, 0) + (format.required ? 1 : 0);
  const coveredWeight =
    coverage.reduce((s, r) => s + (r.covered ? r.weight : 0), 0) + (format.required && format.found ? 1 : 0);
  const coveragePct = totalWeight === 0 ? 0 : (coveredWeight / totalWeight) * 100;

  const units: Unit[] = coverage.flatMap((r) => r.spans.map((s) => ({ ...s, ids: [r.id] })));
  for (const f of findFormatInstructions(text)) units.push({ start: f.start, end: f.end, ids: [FORMAT_ID] });
  const covered = coverage.filter((r) => r.covered).map((r) => ({ id: r.id, weight: r.weight }));
  if (format.required && format.found) covered.push({ id: FORMAT_ID, weight: 1 });
  const keywords = detectKeywordList(index, units, covered);
  const injection = detectInjection(prompt);

  let quality = Math.round(Math.max(0, Math.min(100, coveragePct - waste.penalty)));
  const reasons: string[] = [];
  if (keywords.keywordList && keywords.reason) {
    reasons.push(`${keywords.reason} Quality is capped at ${KEYWORD_LIST_QUALITY_CAP}.`);
    quality = Math.min(quality, KEYWORD_LIST_QUALITY_CAP);
  }
  if (injection) {
    reasons.push(
      `The prompt addresses the grader ("${injection}"), so quality is 0. Write for the model, not the judge.`,
    );
    quality = 0;
  }

  const coveredCount = coverage.filter((r) => r.covered).length;
  const parts = [
    `Covers ${coveredCount} of ${coverage.length} requirement${coverage.length === 1 ? "" : "s"} (${Math.round(coveragePct)}% by weight${format.required ? ", the output format counted as one" : ""})`,
    format.found ? "states an output format" : format.required ? "states no output format" : null,
    waste.penalty > 0 ? `waste costs ${waste.penalty} point${waste.penalty === 1 ? "" : "s"}` : "no waste found",
  ].filter(Boolean);
  const verdict = injection
    ? "Quality 0: it tries to instruct the grader."
    : keywords.keywordList
      ? `Quality ${quality}: capped, because it lists keywords instead of giving instructions.`
      : `Quality ${quality}/100.`;

  return {
    judge: OFFLINE_JUDGE_NAME,
    quality,
    requirements: coverage.map(({ id, description, weight, covered, reason }) => ({
      id,
      description,
      weight,
      covered,
      reason,
    })),
    format,
    waste,
    gaming: { keywordList: keywords.keywordList, injection, reasons },
    summary: `${parts.join("; ")}. ${verdict}`,
  };
}
