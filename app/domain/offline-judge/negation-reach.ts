import type { Token } from "./reading";

/**
 * Where a negation stops at a comma, for polarity.ts:
 *
 *     Refunds go back to the original method, never another card, within 5-7 business days.
 *         "never another card" is an item of its own: "never" before a noun phrase refuses that phrase, as "no"
 *         does, and the item after the comma ("within 5-7 business days") is affirmed again.
 *     Investment questions: don't advise, point them to an advisor.
 *         a second order after the comma, with its own object and no list going on, is an order of its own; the
 *         "don't" before it refuses the first order only.
 *
 * A list the negation shares stays negated: "never a greeting, a sign-off or a summary", "don't request, echo or
 * keep a PIN", "never add greetings, thanks" (no object after the second word).
 */

const GOVERNORS = new Set(["is", "are", "be", "was", "were", "will", "must", "should", "can", "may", "would", "could"]);

const NOUN_PHRASE = new Set(["DET", "NOUN", "PROPN", "ADJ"]);

/** "never another card", "never store credit": "never" before a noun phrase, with no verb to negate. */
export function neverBeforeNounPhrase(tokens: Token[], i: number, to: number): boolean {
  const t = tokens[i];
  const next = tokens[i + 1];
  if (t.lower !== "never" || !next || i + 1 >= to || !NOUN_PHRASE.has(next.pos)) return false;
  const prev = tokens[i - 1];
  return !(prev && (prev.pos === "AUX" || GOVERNORS.has(prev.lower)));
}

const OBJECTS = new Set(["them", "it", "him", "her", "us", "me", "the", "a", "an", "their", "its", "his", "your"]);
const PRONOUNS = new Set(["them", "it", "him", "her", "us", "me"]);
const LIST_GOES_ON = new Set([",", "or", "nor", "and", "/"]);

/**
 * The comma at `i` is followed by an order of its own: a word in its base form (tagged a verb, or a noun the tagger
 * took for one: "point them") with its object right after it, and no list of verbs going on after it.
 */
export function orderAfterComma(tokens: Token[], i: number, to: number): boolean {
  if (tokens[i]?.text !== ",") return false;
  const verb = tokens[i + 1];
  const object = tokens[i + 2];
  if (!verb || !object || i + 2 >= to || !/^\p{Ll}+$/u.test(verb.text) || verb.lemma !== verb.lower) return false;
  if (!OBJECTS.has(object.lower)) return false;
  // ("direct them": a word the tagger calls an adjective is a verb when an object pronoun follows it.)
  if (verb.pos !== "VERB" && verb.pos !== "NOUN" && !(verb.pos === "ADJ" && PRONOUNS.has(object.lower))) return false;
  // "don't request, echo or keep a PIN": the verbs share the negation.
  for (let k = i + 2; k < Math.min(to, i + 5); k++) if (LIST_GOES_ON.has(tokens[k].lower)) return false;
  // The word before the comma closes an order: "don't advise," (a verb without its object, or its object).
  const before = tokens[i - 1];
  return before !== undefined && /[\p{L}\p{N}]/u.test(before.text);
}

const RELATIVE = new Set(["whatever", "that", "which", "who"]);
const PREDICATE_ENDS = new Set([",", ";", ":", ".", "!", "?", "(", ")"]);

/**
 * "Anything not in the email is null", "Whatever is not in the email is null": "not" before a prepositional phrase that
 * modifies the subject refuses that phrase only; the sentence's predicate after it ("is null") is affirmed. Returns
 * where the predicate starts, or null.
 */
export function notBeforeModifier(tokens: Token[], i: number, to: number): number | null {
  const t = tokens[i];
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  if (t.lower !== "not" || !prev || !next || i + 1 >= to || next.pos !== "ADP") return null;
  // ("Whatever is not in the email is null": the auxiliary of a relative clause that is the subject.)
  const relative = (prev.pos === "AUX" || GOVERNORS.has(prev.lower)) && RELATIVE.has(tokens[i - 2]?.lower ?? "");
  if (!["NOUN", "PRON", "PROPN"].includes(prev.pos) && !relative) return null;
  for (let k = i + 2; k < Math.min(to, i + 10); k++) {
    const w = tokens[k];
    if (PREDICATE_ENDS.has(w.text)) return null;
    // ("is", "stays", or a plural's verb right after its noun: "Fields not on the invoice stay null".)
    if (w.pos === "AUX" || (w.pos === "VERB" && (/s$/.test(w.lower) || ["NOUN", "PROPN"].includes(tokens[k - 1].pos))))
      return k;
  }
  return null;
}
