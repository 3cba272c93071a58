import { ordersSomething } from "./bare-terms";
import { DIRECTIVE_VERBS, type Reading, type Token } from "./reading";

/**
 * The share of a prompt's words that stand in sentences: 0–1.
 *
 * A model follows sentences: an order, a rule or a statement has a verb ("Reply with the label only", "Unsure cases
 * are SAFETY") and the grammar words that tie its parts together (articles, prepositions, pronouns, conjunctions).
 * A heap of the brief's terms has neither:
 *
 *     billing bug account feature_request other refunds=billing login=account label only
 *     PO EUR net-45 receipt 25,000 CFO hold fuel surcharge 6% freight APPROVE HOLD: semicolons one-line
 *
 * Such words name what the grader looks for; they tell the model nothing it can act on. A failing prompt's score keeps
 * what it does of the job (scoring.ts), and the terms it only piles up do none of it, so the failing score is scaled
 * by this share. Short sentences count whole ("Be brief."), and so does any sentence with a verb and a grammar word in
 * every seven or so. A passing prompt is not touched: terse notation that covers every requirement passes on its
 * coverage, as before.
 */

const WORD_CHAR = /[\p{L}\p{N}]/u;
const GRAMMAR_POS = new Set(["DET", "ADP", "CCONJ", "SCONJ", "PRON", "AUX", "PART"]);
/** A sentence this short is whole with its verb alone: "Be brief.", "Output JSON only." */
const SHORT = 3;
/** Grammar words per word at or above which a sentence with a verb reads as one (prose runs at 0.3–0.5). */
const GRAMMAR_SHARE = 0.15;

const isWord = (t: Token) => WORD_CHAR.test(t.text);

export function sentenceShare(reading: Reading): number {
  let all = 0;
  let inSentences = 0;
  for (const rule of reading.rules) {
    const words = reading.tokens.slice(rule.from, rule.to).filter(isWord);
    if (words.length === 0) continue;
    all += words.length;
    // (An order's verb opening the sentence is one whatever its tag: "Reply/PROPN with the label only.")
    const opens = DIRECTIVE_VERBS.has(words[0].lower);
    if (!opens && !words.some((t) => ordersSomething(reading.tokens, t))) continue;
    const grammar = words.filter((t) => GRAMMAR_POS.has(t.pos)).length;
    if (words.length <= SHORT || grammar / words.length >= GRAMMAR_SHARE) inSentences += words.length;
  }
  return all === 0 ? 1 : inSentences / all;
}
