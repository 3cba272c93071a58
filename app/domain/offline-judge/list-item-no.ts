import type { Token } from "./reading";

/**
 * A "no" that is one item of a list ends with its item:
 *
 *     To recap: JSON Lines, plain numbers, no totals, null for unreadable values, then END.
 *     Remember: short, neutral, no personal details, canonical names, NONE when there is no IT question.
 *
 * The items before the "no" ("JSON Lines, plain numbers") make it one item among siblings, so the items after its
 * comma are siblings too, not more things it refuses. It still runs over a list of alternatives that closes with
 * "or"/"nor" ("one plain paragraph, no headings, lists or emojis"), as far as that list holds only bare names.
 */

/** Whether the "no" at `no` opens an item in the middle of a list: an item and a comma come before it. */
export function opensListItem(tokens: Token[], from: number, no: number): boolean {
  const before = tokens[no - 1];
  if (before?.text !== "," || no - 1 <= from) return false;
  // The item before the comma has a word of its own ("plain numbers,"), not only a list marker.
  return /\w/.test(tokens[no - 2]?.text ?? "");
}

/** Words that make an item more than a bare name: a preposition, a verb, a number, "then"… */
const CLAUSE_TAGS = new Set(["ADP", "VERB", "AUX", "NUM", "SCONJ", "PRON"]);

/**
 * At the comma `comma` after such an item: whether the "no" goes on over what follows, i.e. the run from the comma
 * is a list of bare names closed by "or"/"nor" before the sentence ends.
 */
export function alternativesFollow(tokens: Token[], comma: number, to: number): boolean {
  for (let k = comma + 1; k < to; k++) {
    const t = tokens[k];
    if (t.lower === "or" || t.lower === "nor") return true;
    if (t.text === ",") continue;
    if (/^[.;:!?]$/.test(t.text) || t.newlineBefore) return false;
    // A gerund is a name here ("no preamble, numbering or notes"); another verb opens a clause.
    const gerund = t.pos === "VERB" && /ing$/.test(t.lower);
    if (t.lower === "then" || t.lower === "and" || (CLAUSE_TAGS.has(t.pos) && !gerund)) return false;
    // An exercise's label or a literal value ("NONE", "END") is an item of its own, never a refused one.
    if (/^[A-Z]{2,}$/.test(t.text)) return false;
  }
  return false;
}
