import type { Reading } from "./reading";

/**
 * The purpose of what a prompt forbids names the goal the forbidden act would serve, not something forbidden itself:
 *
 *     Do not add weak matches to reach three.            (three is still the limit)
 *     Never invent facts just to fill the word count.    (the word count is not forbidden)
 *     Don't pad the list in order to hit five items.
 *
 * Words of such a purpose ("to reach three") neither cover nor break a requirement: the negation is on adding weak
 * matches, not on three. Only purposes of reaching a number or filling a space count ("to reach", "to hit", "to fill",
 * "to meet", "to make up", "to get to", "to pad out", "to round out"); "Do not add ESCALATE to the reply" is read as
 * before.
 */
const NEGATED_PURPOSE =
  /(?:\bnot|n't|\bnever|\bno)\b[^.;:!?\n]*?((?:(?:just|only|simply|merely)\s+)?(?:in\s+order\s+|so\s+as\s+)?to\s+(?:reach|hit|fill|meet|make\s+up|get\s+(?:up\s+)?to|pad\s+out|round\s+out)\b[^.;:!?,\n]*)/dgi;

/** Indexes of the tokens of a purpose given for a forbidden act. */
export function negatedPurposeTokens(reading: Reading): Set<number> {
  const out = new Set<number>();
  for (const m of reading.flatText.matchAll(NEGATED_PURPOSE)) {
    const span = m.indices?.[1];
    if (!span) continue;
    const [from, to] = span;
    for (const t of reading.tokens) if (t.start >= from && t.end <= to) out.add(t.index);
  }
  return out;
}
