import type { Token } from "./reading";

/**
 * Where a negation said between commas stops, and where an order after a comma starts:
 *
 *     Investment, legal or tax questions: no advice, suggest a qualified advisor.
 *     Investment questions: don't advise, point them to an advisor.
 *     Answer from the chunks alone, ignoring irrelevant ones, in three sentences or fewer, with a [D2] citation.
 *     Refunds go to the original payment method, never another card, within 5-7 business days.
 *     Money goes back to the card used to pay, never elsewhere, 5-7 business days after the parcel reaches us.
 *
 * A verb in its base form followed by its object ("suggest a ...", "point them ...") opens an order of its own, whether
 * or not the judge's list of order verbs holds it, so the "no" before it does not reach it. A negation opened right
 * after a comma ("never another card", "ignoring irrelevant ones") is an aside: it ends at the next comma that opens
 * an item with a preposition or an amount of its own ("within 5-7 business days", "in three sentences", "5-7 days
 * after it arrives"), as a "no" already does.
 * A list the negation governs goes on: "never French, German or Spanish", "no explanation, reasoning or notes".
 */

/** Words that open an object: "suggest a qualified advisor", "point them to", "refer the customer". */
const OBJECT_OPENERS = new Set(["a", "an", "the", "them", "him", "her", "it", "their", "his", "its", "this", "that"]);

/** After a comma, `t` is a verb in its base form with its object after it: an order of its own. */
export function orderWithObject(tokens: Token[], i: number, to: number): boolean {
  const t = tokens[i];
  if (t.lemma !== t.lower || !/^\p{Ll}+$/u.test(t.text)) return false;
  const next = tokens[i + 1];
  if (next === undefined || i + 1 >= to) return false;
  // (A word tagged a noun is still a verb when an object pronoun follows it: "point them to an advisor".)
  if (t.pos === "NOUN") return OBJECT_PRONOUNS.has(next.lower);
  return t.pos === "VERB" && OBJECT_OPENERS.has(next.lower);
}

const OBJECT_PRONOUNS = new Set(["them", "him", "her", "us", "me"]);

/** Prepositions that open an item of their own after a comma: where, when, how much, not what is refused. */
const ITEM_PREPOSITIONS = new Set(["with", "within", "for", "if", "when", "to", "in", "after", "before", "by"]);

/**
 * `t`, after a comma, opens an item of its own: a preposition ("within 5-7 business days") or an amount ("5-7
 * business days after the parcel reaches us", "£6.95 otherwise"), which says when or how much, not what is refused.
 */
export function opensOwnItem(t: Token): boolean {
  return ITEM_PREPOSITIONS.has(t.lower) || /^[£$€¥\d]/.test(t.text);
}

/** The negation cue at `cue` opens right after a comma: an aside such as ", never another card,". */
export function asideCue(tokens: Token[], cue: number, from: number): boolean {
  return cue >= from && tokens[cue - 1]?.text === ",";
}
