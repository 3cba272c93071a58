import type { Reading, Token } from "./reading";

/** A letter or a digit: a token holding one is a word. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * A prompt with neither an order nor a place for the input is a list of the brief's terms, whatever its punctuation:
 *
 *     60 words max, two sentences, one plain paragraph, no headings, no lists, product name, main benefit first ...
 *     JSON only. parties exactly as written, effective_date YYYY-MM-DD, term_months integer, null never a guess ...
 *
 * Terse notation is fine in a prompt that gives the model its input ("Output: one line, no preamble. {{input}}"):
 * there the notation is read rule by rule. Without `{{input}}` the model is handed no ticket, review or contract to
 * work on, and without a verb (an order, a modal, a finite verb; participles such as "invented" and words inside
 * identifiers such as `auto_renews` do not count) nothing tells it what to do. Such a prompt is gaming: it scores 0.
 */
const PLACEHOLDER = /\{\{\s*[\w.-]+\s*\}\}/;

/** A verb that could carry an order: not a participle or gerund ("invented", "written", "governing"), nor a piece of an identifier. */
export function ordersSomething(tokens: readonly Token[], t: Token): boolean {
  if (t.pos !== "VERB" && t.pos !== "AUX") return false;
  if (tokens[t.index - 1]?.text === "_" || tokens[t.index + 1]?.text === "_") return false;
  return !(t.lower !== t.lemma && /(?:ed|en|ing|wn|ne)$/.test(t.lower));
}

/** The quoted evidence when the prompt is bare terms with no order and no input placeholder, else null. */
export function bareTerms(prompt: string, reading: Reading): string | null {
  if (PLACEHOLDER.test(prompt)) return null;
  const words = reading.tokens.filter((t) => WORD_CHAR.test(t.text));
  if (words.length < 6) return null;
  if (reading.tokens.some((t) => ordersSomething(reading.tokens, t))) return null;
  const first = reading.rules[0];
  const text = first ? reading.text.slice(first.start, first.end).trim() : "";
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
