import type { Clause, Token } from "./reading";

/**
 * A reason or a purpose given for a rule explains it; it orders nothing:
 *
 *     Never invent a new value, because new values break our charts.        (the chart's "new values" are not asked for)
 *     Let me explain our process so that you understand why it matters.     (nothing is to be explained)
 *     Use null, since a guessed date is worse than none.
 *
 * Words in such a clause never break a requirement (they are not what the prompt asks the model to do); the rule
 * they explain is read as before. "because of X" is a reason too. A clause opens at "because", at "so that" and at
 * "since" where the tagger reads it as a conjunction ("since the last update" is a time, not a reason).
 *
 * A reason that states a rule of its own is read as that rule, though: "Answer SAFETY when unsure, because an unsure
 * review should be OK" says what an unsure review is to be, and that may contradict a requirement. A rule is stated
 * with a modal of obligation (should, must, has to, needs to, ought to, is to be).
 */
export function opensReason(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (t.quoted || t.descriptive) return false;
  if (t.lower === "because") return true;
  if (t.lower === "so") return tokens[i + 1]?.lower === "that";
  return t.lower === "since" && t.pos === "SCONJ";
}

const OBLIGATIONS = new Set(["should", "must", "ought", "shall"]);
const NEED = new Set(["has", "have", "had", "need", "needs", "is", "are", "was", "were"]);

/** "should be OK", "must be escalated", "has to go", "needs to be labelled", "is to be answered": a rule stated. */
export function statesRule(tokens: readonly Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.quoted) continue;
    if (OBLIGATIONS.has(t.lower)) return true;
    // "has to", "needs to", "is to be": the verb then "to" then a verb (not "is to the left").
    if (NEED.has(t.lower) && tokens[i + 1]?.lower === "to" && i + 2 < to) {
      const after = tokens[i + 2];
      if (t.lower === "is" || t.lower === "are" || t.lower === "was" || t.lower === "were") {
        if (after.lower === "be") return true;
      } else if (after.pos === "VERB" || after.pos === "AUX") return true;
    }
  }
  return false;
}

/** The clause opens with a reason (its first word, or "and"/"," then one) and states no rule of its own. */
export function isReasonClause(tokens: readonly Token[], clause: Pick<Clause, "from" | "to">): boolean {
  for (let i = clause.from; i < clause.to; i++) {
    const t = tokens[i];
    if (t.text === "," || t.lower === "and" || t.lower === "—" || t.lower === "-") continue;
    return opensReason(tokens, i) && !statesRule(tokens, i + 1, clause.to);
  }
  return false;
}
