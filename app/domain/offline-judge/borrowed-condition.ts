import type { PhraseHit } from "./phrases";
import type { Reading } from "./reading";

const OPENERS = new Set(["if", "when", "whenever", "where"]);
const EMPTY_SUBJECTS = new Set(["no", "none", "nothing", "neither", "nobody"]);

/**
 * The empty case of a fallback value is that value's situation; it orders nothing of its own:
 *
 *     If no passage helps answer the question, reply NONE.
 *
 * says when the reply is NONE, not that only the sentences that help answer the question are copied. A condition that
 * opens on an empty subject ("if no passage", "when nothing", "if none of them") and whose outcome gives one of the
 * task's labels names the case where nothing qualifies: the words of a requirement inside it count for that
 * requirement only where the outcome says something of it too. Conditions that name a case ("If the amount is over
 * £75 without a receipt, set needs_review") are read as before.
 *
 * Returns, per requirement, the clauses whose hits do not cover it (empty where none).
 */
export function borrowedConditions(
  reading: Reading,
  labels: readonly string[],
  groupsPerRequirement: readonly PhraseHit[][][],
): Set<number>[] {
  const { clauses, tokens } = reading;
  const empty: number[] = [];
  if (labels.length > 0)
    for (const c of clauses) {
      if (!c.condition || c.partner === null) continue;
      const words = tokens.slice(c.from, Math.min(c.to, c.from + 4)).filter((t) => /\p{L}/u.test(t.text));
      if (!OPENERS.has(words[0]?.lower ?? "") || !EMPTY_SUBJECTS.has(words[1]?.lower ?? "")) continue;
      const outcome = clauses[c.partner];
      if (tokens.slice(outcome.from, outcome.to).some((t) => labels.includes(t.text))) empty.push(c.index);
    }
  return groupsPerRequirement.map((groups) => {
    const borrowed = new Set<number>();
    for (const c of empty) {
      const partner = clauses[c].partner as number;
      const said = groups.some((hits) => hits.some((h) => h.asWritten && h.clause === partner));
      if (!said) borrowed.add(c);
    }
    return borrowed;
  });
}
