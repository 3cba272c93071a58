import type { Requirement } from "../exercise";
import { findPhrase, type Span, type TextIndex } from "../text-match";

export interface RequirementCoverage {
  id: string;
  description: string;
  weight: number;
  covered: boolean;
  reason: string;
  /** Every place any phrase of the requirement occurs, for the keyword-list test. */
  spans: Span[];
}

function shortQuote(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  return `"${t.length > 40 ? `${t.slice(0, 39)}…` : t}"`;
}

/**
 * A requirement is covered when every `all_of` group has a phrase in the prompt. The reason for a
 * miss names one example phrase of the first missing group (never the whole list: that would hand
 * the learner the judge's vocabulary instead of the idea).
 */
export function assessRequirement(index: TextIndex, req: Requirement): RequirementCoverage {
  const spans: Span[] = [];
  const found: string[] = [];
  let firstMissing: string[] | null = null;
  for (const group of req.all_of) {
    let hit: Span | null = null;
    for (const phrase of group) {
      const at = findPhrase(index, phrase, 20);
      spans.push(...at);
      hit ??= at[0] ?? null;
    }
    if (hit) found.push(shortQuote(index.text.slice(hit.start, hit.end)));
    else firstMissing ??= group;
  }
  const groups = req.all_of.length;
  let reason: string;
  if (!firstMissing) reason = `found ${found.join(", ")}`;
  else {
    const example = firstMissing.find((p) => !/^\/.+\/[a-z]*$/s.test(p.trim()));
    const parts = groups > 1 ? ` (${found.length} of ${groups} parts found)` : "";
    reason = `not stated${example ? `: nothing like "${example}"` : ""}${parts}`;
  }
  return { id: req.id, description: req.description, weight: req.weight, covered: !firstMissing, reason, spans };
}

export function assessCoverage(index: TextIndex, requirements: readonly Requirement[]): RequirementCoverage[] {
  return requirements.map((r) => assessRequirement(index, r));
}
