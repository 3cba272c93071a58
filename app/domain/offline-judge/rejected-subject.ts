import { type Clause, DIRECTIVE_VERBS, type Token } from "./reading";

/**
 * A subject the predicate judges wrong is what the rule forbids, as surely as "must not be used":
 *
 *     A plausible value is wrong.            A made-up, default or "standard" value is an error.
 *     Guessing is a mistake.                 Anything outside the excerpts is off-limits.
 *
 * Two halves of a contrast share one clause: "an empty value is right, a plausible one is wrong" forbids only the
 * second subject. The subject is the noun phrase (or a list of them, split by commas) right before the verb "to be",
 * with no verb of its own; a condition ("if the date is wrong") judges the input, not the reply, and is left alone.
 */

const BE = new Set(["is", "are", "'s", "was", "were"]);
/** Adjectives that judge their subject wrong (a dictionary's words for "not to be done"). */
const WRONG = new Set([
  "wrong",
  "incorrect",
  "unacceptable",
  "forbidden",
  "prohibited",
  "banned",
  "invalid",
  "disallowed",
  "off-limits",
]);
/** Nouns that judge their subject wrong after an article: "is an error", "is a mistake". */
const FAULTS = new Set(["error", "mistake", "failure", "bug", "fault"]);
const ARTICLES = new Set(["a", "an"]);
const STOPS = new Set([";", ":", "→", "->", "(", ")", "—", "–"]);
/** Pronouns that open a clause of their own ("it is wrong to guess", "what is wrong"), not a judged subject. */
const PRONOUNS = new Set([
  "it",
  "this",
  "that",
  "which",
  "what",
  "whatever",
  "whichever",
  "who",
  "you",
  "i",
  "we",
  "he",
  "she",
  "they",
  "there",
]);
const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/** Whether the words after "is" judge the subject wrong ("wrong", "an error"). */
function judgedWrong(tokens: Token[], be: number, to: number): boolean {
  const next = tokens[be + 1];
  if (!next || be + 1 >= to) return false;
  if (WRONG.has(next.lower)) return true;
  // "off-limits" may be read as three tokens.
  if (next.lower === "off" && tokens[be + 2]?.text === "-" && tokens[be + 3]?.lower === "limits") return true;
  return ARTICLES.has(next.lower) && be + 2 < to && FAULTS.has(tokens[be + 2].lower);
}

/**
 * A part of the subject: a noun phrase with no verb of its own ("a plausible one", "default or "standard" value");
 * a participle or gerund may describe it ("a guessed value", "Guessing").
 */
function nounPhrase(tokens: Token[], from: number, to: number): boolean {
  const words = tokens.slice(from, to).filter(isWord);
  if (words.length === 0 || words.length > 6) return false;
  // "Correct whatever is wrong": an order opens it, not a subject.
  if (DIRECTIVE_VERBS.has(words[0].lower)) return false;
  return words.every(
    (w, k) =>
      w.pos !== "AUX" &&
      w.pos !== "PART" &&
      !PRONOUNS.has(w.lower) &&
      w.pos !== "SCONJ" &&
      (w.pos !== "VERB" || /ing$/.test(w.lower) || (k + 1 < words.length && /(?:ed|en)$/.test(w.lower))),
  );
}

export function applyRejectedSubjects(tokens: Token[], clauses: Clause[]): void {
  for (const clause of clauses) {
    if (clause.condition || clause.reason) continue;
    for (let be = clause.from + 1; be < clause.to; be++) {
      if (!BE.has(tokens[be].lower) || !judgedWrong(tokens, be, clause.to)) continue;
      // The subject: back over comma-separated noun phrases, up to the clause's start or a stop.
      let start = be;
      let end = be;
      for (let k = be - 1; k >= clause.from - 1; k--) {
        const boundary = k < clause.from || tokens[k].text === "," || STOPS.has(tokens[k].text);
        if (!boundary) continue;
        if (!nounPhrase(tokens, k + 1, end)) break;
        start = k + 1;
        if (k < clause.from || STOPS.has(tokens[k].text)) break;
        end = k;
      }
      if (start === be) continue;
      const subject = tokens.slice(start, be);
      // "Nothing else is wrong", "no value is an error": the negation already reached it.
      if (subject.some((t) => t.negated)) continue;
      for (const t of subject) t.negated = true;
    }
  }
}
