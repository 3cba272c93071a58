/**
 * The time of an event said in its other English shapes: an author lists "meeting date", a learner writes "the day
 * of the meeting" or "the day the meeting was held". English names the time of an event (a compound of the event
 * noun and a time noun: "meeting date", "meeting day") with the time noun's of-phrase, or with a relative clause
 * whose verb is one only an event takes ("was held", "took place", "happened", "occurred"). The phrase matcher looks
 * for these shapes wherever a phrase holds such a compound (phrases.ts).
 *
 * Only time heads: the of-phrase of any noun compound was tried and dropped, because an author's verb and object
 * ("estimate values") reads as a compound out of context, and "value ... of estimating" then matched it.
 * Not a compound inside a longer run of nouns, whose parts the shapes would split wrongly.
 */

/** Time nouns that take an event's of-phrase and relative clause: "the day of the meeting", "the date it was held". */
const TIME_HEADS = new Set(["date", "day", "time"]);

/** Verbs (as lemma sequences) whose subject is an event: "the meeting was held / took place / happened". */
const EVENT_VERBS = [["be", "hold"], ["take", "place"], ["happen"], ["occur"]];

export interface CompoundVariant {
  /** Where the compound starts in the phrase; it is two words long. */
  at: number;
  /** The compound said in another shape, as lemmas; `modifier` and `head` stand for the phrase's own two words. */
  by: string[];
}

/** The other shapes of each event-time compound ("meeting date") in a phrase read with these tags and lemmas. */
export function compoundVariants(pos: readonly string[], lemmas: readonly string[]): CompoundVariant[] {
  const out: CompoundVariant[] = [];
  const noun = (k: number) => pos[k] === "NOUN";
  for (let at = 0; at + 1 < pos.length; at++) {
    if (!noun(at) || !noun(at + 1) || noun(at - 1) || noun(at + 2)) continue;
    if (!TIME_HEADS.has(lemmas[at + 1]) || !/^\p{L}+$/u.test(lemmas[at])) continue;
    out.push({ at, by: ["head", "of", "modifier"] });
    for (const verb of EVENT_VERBS) out.push({ at, by: ["head", "modifier", ...verb] });
  }
  return out;
}
