import type { Requirement } from "../exercise";
import { quoteRule, type Reading, type Token } from "./reading";

/**
 * Triggers that each suffice, required together:
 *
 *     needs_review is true only when both apply: over £75 without a receipt, and the line includes alcohol.
 *     ESCALATE only if the customer threatens to cancel and also mentions a chargeback (both must hold).
 *
 * An exercise declares triggers that each suffice where a description's condition is a list joined by "or" ("when
 * the customer says they will cancel, leave or switch"), or where two descriptions give the same outcome under
 * conditions of their own ("Needs review when the amount is over £75 ..." and "Needs review whenever the line
 * includes alcohol"). A rule that asks for all of them at once ("only when / if both", "requires both", "both must
 * apply") turns the disjunction into a conjunction. "If either or both apply", "flag both kinds of line" and "when
 * both apply it is still true" keep every trigger enough on its own.
 */

export interface BothRequired {
  ids: string[];
  line: number;
  evidence: string;
}

const CONDITION = /^(.*?)\s+(?:only\s+)?(?:when|whenever|if)\s+(.*)$/i;

/** The requirements whose triggers each suffice: a condition listed with "or", or an outcome two descriptions share. */
export function disjunctiveRequirements(requirements: readonly Requirement[]): Set<string> {
  const out = new Set<string>();
  const byOutcome = new Map<string, string[]>();
  for (const r of requirements) {
    const m = CONDITION.exec(r.description.trim());
    if (!m) continue;
    if (/\bor\b/i.test(m[2].split(/[;.]/)[0])) out.add(r.id);
    const outcome = m[1].toLowerCase();
    byOutcome.set(outcome, [...(byOutcome.get(outcome) ?? []), r.id]);
  }
  for (const ids of byOutcome.values()) if (ids.length > 1) for (const id of ids) out.add(id);
  return out;
}

const ALL = new Set(["both", "all"]);
const ONLY_WHEN = new Set(["when", "if", "where", "whenever"]);
const REQUIRING = new Set(["require", "requires", "need", "needs", "needing", "requiring"]);
const MUST = new Set(["must", "have", "has", "need", "needs", "should"]);

/** "only when both", "only if all", "requires both", "both must ...": a rule that asks for every trigger at once. */
function asksForAll(tokens: Token[], t: Token): boolean {
  if (!ALL.has(t.lower) || t.negated || t.quoted) return false;
  const prev = tokens[t.index - 1];
  const before = tokens[t.index - 2];
  const next = tokens[t.index + 1];
  // "either or both", "one or both": each alone is still enough.
  if (prev?.lower === "or" || tokens.slice(Math.max(0, t.index - 4), t.index).some((w) => w.lower === "either"))
    return false;
  if (prev && ONLY_WHEN.has(prev.lower) && before?.lower === "only") return true;
  if (prev && REQUIRING.has(prev.lower)) return true;
  return t.lower === "both" && next !== undefined && MUST.has(next.lower);
}

/**
 * The first rule that asks for every trigger at once, with the disjunctive requirements it names (`named(k, rule)`:
 * a phrase of requirement `id` is found in the rule).
 */
export function findBothRequired(
  reading: Reading,
  orders: (rule: number) => boolean,
  disjunctive: ReadonlySet<string>,
  named: (id: string, rule: number) => boolean,
): BothRequired | null {
  if (disjunctive.size === 0) return null;
  for (const t of reading.tokens) {
    if (!asksForAll(reading.tokens, t) || !orders(t.rule) || t.parenthetical || t.descriptive) continue;
    const ids = [...disjunctive].filter((id) => named(id, t.rule));
    if (ids.length === 0) continue;
    const rule = reading.rules[t.rule];
    return { ids, line: rule.line, evidence: quoteRule(reading, rule) };
  }
  return null;
}

/** Why asking for every trigger at once breaks a rule whose triggers each suffice, the line quoted. */
export function bothRequiredReason(both: BothRequired): string {
  return `Line ${both.line} says "${both.evidence}", which asks for together what is enough on its own.`;
}
