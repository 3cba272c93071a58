import type { Reading, Token } from "./reading";

/**
 * A word read as negated: by the judge's own scope rules, or by one of `negations` within `reach` words before it in
 * its clause ("never your own knowledge", "not from outside sources"). Each rule passes the words that negate for it.
 */
export function negatedBefore(reading: Reading, t: Token, negations: ReadonlySet<string>, reach: number): boolean {
  if (t.negated) return true;
  const clause = reading.clauses[t.clause];
  for (let k = Math.max(clause?.from ?? 0, t.index - reach); k < t.index; k++)
    if (negations.has(reading.tokens[k].lower)) return true;
  return false;
}
