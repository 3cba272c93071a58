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
 */
export function opensReason(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (t.quoted || t.descriptive) return false;
  if (t.lower === "because") return true;
  if (t.lower === "so") return tokens[i + 1]?.lower === "that";
  return t.lower === "since" && t.pos === "SCONJ";
}

/** The clause opens with a reason (its first word, or "and"/"," then one). */
export function isReasonClause(tokens: readonly Token[], clause: Pick<Clause, "from" | "to">): boolean {
  for (let i = clause.from; i < clause.to; i++) {
    const t = tokens[i];
    if (t.text === "," || t.lower === "and" || t.lower === "—" || t.lower === "-") continue;
    return opensReason(tokens, i);
  }
  return false;
}
