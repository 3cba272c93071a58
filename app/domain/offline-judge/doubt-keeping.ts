import type { Requirement } from "../exercise";
import { quoteRule, type Reading, type Token } from "./reading";

/**
 * A doubt settled by keeping, where the exercise passes on only what meets a test:
 *
 *     When unsure, keep the sentence: too much is better than too little.
 *     Copy the passages that relate, and, when in doubt, including it.
 *     If you're not sure whether a sentence helps, copy it anyway.
 *
 * A description of the form "only the <things> that / which / whose ..." declares a selection; what the model is
 * unsure of is exactly what that test has not let through, so an order to keep, include or copy it in that case widens
 * the selection. The doubt is a condition clause (unsure, uncertain, unclear, borderline, in doubt, not sure / certain);
 * its outcome holds an affirmed order to keep. "If in doubt, leave it out", "when unsure, drop it", "when unsure, keep
 * only what clearly helps" and "when unsure, keep it out" settle the doubt the selection's way.
 */

export interface DoubtKept {
  ids: string[];
  line: number;
  evidence: string;
}

/** "Passes on only the sentences that help answer the question": a selection by a test. */
const SELECTION = /\bonly\s+(?:the\s+)?\w+\s+(?:that|which|whose)\b/i;

/** The requirements whose description declares a selection by a test. */
export function selectionRequirements(requirements: readonly Requirement[]): string[] {
  return requirements.filter((r) => SELECTION.test(r.description)).map((r) => r.id);
}

const DOUBT = new Set(["unsure", "uncertain", "unclear", "doubt", "doubtful", "borderline", "undecided"]);
/** "not sure", "not certain": the word of certainty is read negated. */
const CERTAIN = new Set(["sure", "certain", "confident"]);
const KEEPING = new Set(["keep", "include", "copy", "retain", "pass", "preserve"]);
/** Words after the kept thing that keep it out or narrow it: "keep it out", "keep only ...", "include nothing". */
const NARROWING = new Set(["out", "away", "aside", "only", "just", "nothing", "none", "back", "short", "brief"]);

function doubtful(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (DOUBT.has(t.lower)) return true;
    if (CERTAIN.has(t.lower) && tokens[i - 1]?.lower === "not") return true;
  }
  return false;
}

/** An affirmed order to keep in the outcome, nothing in it keeping the thing out or narrowing what is kept. */
function keeps(tokens: Token[], from: number, to: number): boolean {
  let kept = false;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (NARROWING.has(t.lower) || t.lower === "not" || t.lower === "n't" || t.lower === "never") return false;
    if (!kept && KEEPING.has(t.lemma.toLowerCase()) && (t.pos === "VERB" || i === from) && !t.negated && !t.quoted)
      kept = true;
  }
  return kept;
}

/** The first order that keeps what is in doubt, if the exercise declares a selection. */
export function findDoubtKept(
  reading: Reading,
  orders: (rule: number) => boolean,
  selections: readonly string[],
): DoubtKept | null {
  if (selections.length === 0) return null;
  const { tokens, clauses } = reading;
  for (const c of clauses) {
    if (!c.condition || c.partner === null || !orders(c.rule)) continue;
    const outcome = clauses[c.partner];
    if (!outcome || outcome.reason || !doubtful(tokens, c.from, c.to) || !keeps(tokens, outcome.from, outcome.to))
      continue;
    const rule = reading.rules[c.rule];
    return { ids: [...selections], line: rule.line, evidence: quoteRule(reading, rule) };
  }
  return null;
}

/** Why keeping what is in doubt breaks the selection, the line quoted. */
export function doubtKeptReason(kept: DoubtKept): string {
  return `Line ${kept.line} says "${kept.evidence}", which keeps what the rule has not let through.`;
}
