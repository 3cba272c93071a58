import { DIRECTIVE_VERBS, type Rule, type Token } from "./reading";

/**
 * A long run of terms with no punctuation and no verb is a bag of words, not an instruction, however many of its
 * words are ordinary ones:
 *
 *     sentences relevant question word for word verbatim own line label [P3] NONE no answer no heading no comment
 *
 * Written instructions of that length have a verb or a mark between their parts (a comma, a colon, a bar, a dash);
 * a run without either says which words the writer wants the grader to find, not what the model is to do.
 */

const MIN_WORDS = 12;
/** Marks that structure text: any of them makes the run notation or prose, not a bag. Brackets and quotes do not. */
const STRUCTURE = /^[.,;:!?|=>→—–-]+$/;

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

export function isTermRun(tokens: Token[], rule: Rule): boolean {
  let words = 0;
  let verbs = 0;
  // An order opening the run ("classify the ticket as ...") is a verb whatever its tag.
  const first = tokens.slice(rule.from, rule.to).find(isWord);
  if (first && DIRECTIVE_VERBS.has(first.lower)) return false;
  for (let i = rule.from; i < rule.to; i++) {
    const t = tokens[i];
    if (STRUCTURE.test(t.text)) return false;
    if (!isWord(t)) continue;
    words++;
    // A finite verb or an auxiliary; participles ("invented", "numbering") name things in a bag.
    if (t.pos === "AUX" || (t.pos === "VERB" && !/(?:ing|ed)$/.test(t.lower))) verbs++;
    if (verbs > 0) return false;
  }
  return words >= MIN_WORDS;
}
