/**
 * An identifier named with another head noun than the author's, after the thing it identifies:
 *
 *     incident reference  ~  incident number        hardware tag  ~  hardware id
 *     order reference     ~  order number           PO ref        ~  PO number
 *
 * English names an identifier by what it identifies and a head noun of identifying, and which head it takes varies
 * by writer and by house. A prompt's "reference", "ref" or "tag" after such a word reads as the author's "number"
 * or "id" (or any of these) after the same word. Only as a compound's head: alone, "tag" and "reference" are
 * citations ("tag each fact", "the excerpt's reference"), and the author's "number" alone is a figure.
 *
 * The prompt's "number" and "id" keep their own words: "order number" and "order id" stay apart, as the authors
 * list each of them where both are meant (a key named order_id is not every order number a prompt mentions).
 */

export const IDENTIFIER_TAG = "≈identifier";

/** The heads an author's phrase may use. */
const PHRASE_HEADS = new Set(["number", "id", "reference", "ref", "tag"]);
/** The heads a prompt's word is read through. */
const PROMPT_HEADS = new Set(["reference", "ref", "tag"]);
/** Words before a head that name no thing it identifies: "the reference", "each tag", "a number". */
const NOT_A_MODIFIER = new Set([
  "the",
  "a",
  "an",
  "any",
  "all",
  "each",
  "every",
  "its",
  "their",
  "your",
  "this",
  "that",
  "these",
  "those",
  "no",
  "one",
  "same",
  "whole",
  "exact",
  "correct",
]);

const headIn = (heads: ReadonlySet<string>, lower: string, lemma: string): boolean =>
  heads.has(lemma) || heads.has(lower) || heads.has(lower.replace(/s$/, "")) || heads.has(lower.replace(/\.$/, ""));

/** A prompt's word is an identifier's head when the word before it, in its clause, is a noun or name it follows. */
export function identifierHead(
  word: { lower: string; lemma: string; pos: string },
  before: { lower: string; pos: string } | undefined,
): boolean {
  if (!before || (word.pos !== "NOUN" && word.pos !== "PROPN") || !headIn(PROMPT_HEADS, word.lower, word.lemma))
    return false;
  return (before.pos === "NOUN" || before.pos === "PROPN") && !NOT_A_MODIFIER.has(before.lower);
}

/** An author's phrase word is an identifier's head when the phrase's word before it names what it identifies. */
export function phraseIdentifierHead(lemma: string, lower: string, before: string | undefined): boolean {
  if (before === undefined || !/^\p{L}/u.test(before) || NOT_A_MODIFIER.has(before)) return false;
  return headIn(PHRASE_HEADS, lower, lemma) && !headIn(PHRASE_HEADS, before, before);
}
