import type { Reading } from "./reading";

/**
 * Quoted examples that are the subject of a clause which rules them out:
 *
 *     Words such as "best", "premium", "amazing" or "must-have" do not fit our brand at all, so please avoid them.
 *     Phrases like "Sure!" or "Here are your lines" are never part of the reply.
 *     Openers such as "As an AI" are forbidden.
 *
 * The quoted words are named to be kept out, so they never break a requirement ("premium" is not asked for). Only
 * examples given with "such as", "like", "e.g." or "for example" before the clause's verb count, and only when the
 * clause rules them out (a "not", "never", "forbidden", "banned" after them): "Words like "premium" sell well" is
 * read as before.
 */
const INTRODUCERS = [["such", "as"], ["like"], ["e.g."], ["eg"], ["for", "example"], ["including"]];
const RULED_OUT = new Set(["not", "n't", "never", "forbidden", "banned", "prohibited", "off-limits"]);

/** Indexes of the quoted tokens named as examples of what a clause rules out. */
export function exampleSubjectTokens(reading: Reading): Set<number> {
  const out = new Set<number>();
  const { tokens } = reading;
  for (const clause of reading.clauses) {
    // The examples come before the clause's first verb: they are (in) its subject.
    let i = clause.from;
    for (; i < clause.to; i++) {
      const t = tokens[i];
      if (!t.quoted && (t.pos === "VERB" || t.pos === "AUX")) break;
    }
    const verb = i;
    if (verb >= clause.to) continue;
    let ruledOut = false;
    for (let k = verb; k < clause.to && !ruledOut; k++) ruledOut = RULED_OUT.has(tokens[k].lower) && !tokens[k].quoted;
    if (!ruledOut) continue;
    for (let k = clause.from; k < verb; k++) {
      const opens = INTRODUCERS.find((w) => w.every((word, j) => tokens[k + j]?.lower === word));
      if (!opens) continue;
      for (let q = k + opens.length; q < verb; q++) if (tokens[q].quoted) out.add(q);
      break;
    }
  }
  return out;
}
