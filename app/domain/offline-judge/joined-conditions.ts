import type { Clause, Token } from "./reading";

/**
 * Conditions joined by "or" / "and" are one condition with one outcome:
 *
 *     churn_risk: true if they say they will leave, or if their tone is angry     both ifs lead to "true"
 *     If the total is missing, or if it is unreadable, stop                       both lead to "stop"
 *
 * Read one at a time, the joined condition ("or if their tone is angry") opened with "or", not "if", so it was no
 * condition at all, and the first condition took the joined one for its outcome: what the prompt asks for under
 * the second condition ("true" when the tone is angry) was lost, and a reversal such as widening "true only when
 * they say they will leave" to an angry tone passed.
 */

const JOINERS = new Set(["or", "and"]);

/** "or if ...", "and when ...": a clause that goes on with another condition of the one before it. */
export function opensJoinedCondition(
  tokens: Token[],
  opener: Token,
  to: number,
  openers: ReadonlySet<string>,
): boolean {
  if (!JOINERS.has(opener.lower)) return false;
  const next = tokens[opener.index + 1];
  return next !== undefined && opener.index + 1 < to && openers.has(next.lower);
}

const LEADS_ON = new Set([",", "->", "=>", "→", ":", "="]);

/**
 * Links each condition of a rule's clauses (from `first` on) to the clause it governs: the one after it when a
 * comma or an arrow leads on ("If unsure, answer OK", "unsure -> SAFETY"), else the one before it ("Add ESCALATE
 * if they threaten to cancel"). A run of joined conditions is linked as one: from its last condition's
 * punctuation forwards, or from before its first condition.
 */
export function linkConditions(tokens: Token[], clauses: Clause[], first: number, joined: ReadonlySet<number>): void {
  for (let c = first; c < clauses.length; c++) {
    if (!clauses[c].condition) continue;
    const start = clauses[c];
    const prev = clauses[c - 1];
    // Not another condition, nor across a semicolon ("...; if neither applies, X is false").
    const prevOk =
      prev !== undefined &&
      prev.rule === start.rule &&
      c > first &&
      !prev.condition &&
      tokens[prev.to - 1]?.text !== ";";
    const outcomeAfter = (last: number) => {
      const next = clauses[last + 1];
      const leadsOn = c === first || LEADS_ON.has(tokens[clauses[last].to - 1].text);
      const nextOk = next !== undefined && !next.condition && next.rule === start.rule;
      return { next: nextOk ? next : undefined, leadsOn };
    };
    let last = c;
    while (last + 1 < clauses.length && clauses[last + 1].condition && joined.has(last + 1)) last++;
    // "Answer SAFETY if someone is hurt, and if it smoked, add FIRE": each condition has an outcome of its own.
    if (last > c && prevOk && outcomeAfter(last).leadsOn && outcomeAfter(last).next) last = c;
    const { next, leadsOn } = outcomeAfter(last);
    const target = leadsOn && next ? next : prevOk ? prev : next;
    if (target && target.rule === start.rule) {
      for (let k = c; k <= last; k++) clauses[k].partner = target.index;
      target.partner ??= start.index;
    }
    c = last;
  }
}
