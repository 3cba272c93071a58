import type { Reading } from "./reading";

/**
 * What a prompt says there is no need to do, it does not ask for:
 *
 *     There is no need to quote or repeat the excerpts themselves, and in fact please do not.
 *     You don't need to explain your choice.
 *     It is not necessary to restate the question.
 *
 * The words after "no need to" up to the end of the clause never break a requirement ("repeat the excerpts" is not
 * ordered). They cover nothing either way: a rule still has to be said as a rule to count.
 */
const NO_NEED =
  /\b(?:there\s+is\s+no\s+need|there'?s\s+no\s+need|no\s+need|(?:you|we)\s+(?:do\s+not|don'?t|never)\s+need|(?:you|we)\s+needn'?t|it\s+is\s+not\s+necessary|it'?s\s+not\s+necessary|it\s+is\s+unnecessary|it'?s\s+unnecessary)\s+(?:for\s+you\s+)?to\b[^.;:!?\n]*/gi;

/** Indexes of the tokens a "no need to" puts aside. */
export function noNeedTokens(reading: Reading): Set<number> {
  const out = new Set<number>();
  for (const m of reading.flatText.matchAll(NO_NEED)) {
    const from = m.index;
    let to = from + m[0].length;
    // The clause ends at a comma that opens another one ("..., and in fact please do not").
    const comma = m[0].search(/,\s*(?:and|but|so|or|instead|just|please)\b/i);
    if (comma >= 0) to = from + comma;
    for (const t of reading.tokens) if (t.start >= from && t.end <= to) out.add(t.index);
  }
  return out;
}
