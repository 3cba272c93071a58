import type { Rule, Token } from "./reading";

/**
 * A label whose value refuses it: the label names what the reply must not hold.
 *
 *     Extra text (tables, fences, headings, notes): none.      Preamble: none
 *     Explanations = no; Markdown: never                       Commentary → not allowed
 *
 * The value is the whole part after the label's ":", "=" or arrow, up to a semicolon or the rule's end. A value in
 * capitals ("No match: NONE") is a label the model writes, and a label that is a condition ("If nothing fits:
 * none") says when to write it; neither refuses anything.
 */

const REFUSALS = new Set([
  "none",
  "no",
  "never",
  "nothing",
  "forbidden",
  "prohibited",
  "banned",
  "omitted",
  "excluded",
]);
const SEPARATORS = new Set([":", "=", "→", "->", "=>"]);
const CONDITIONS = new Set(["if", "when", "whenever", "unless", "where", "once"]);
const MAX_LABEL_WORDS = 10;

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/** Whether tokens [from, to) are one refusing value ("none", "not allowed", "not wanted"), lower case. */
function refusingValue(tokens: Token[], from: number, to: number): boolean {
  const words = tokens.slice(from, to).filter(isWord);
  if (words.some((w) => /^\p{Lu}{2,}$/u.test(w.text))) return false;
  if (words.length === 1) return REFUSALS.has(words[0].lower);
  return (
    words.length === 2 &&
    words[0].lower === "not" &&
    /^(?:allowed|permitted|wanted|needed|included)$/.test(words[1].lower)
  );
}

/** Flips the label of each "label: none" part of the rule (parts split at semicolons). */
export function applyRefusedValues(tokens: Token[], rule: Rule): void {
  let from = rule.from;
  for (let end = rule.from; end <= rule.to; end++) {
    if (end < rule.to && tokens[end].text !== ";") continue;
    refusePart(tokens, from, end);
    from = end + 1;
  }
}

function refusePart(tokens: Token[], from: number, to: number): void {
  // The last separator of the part: what follows it is the value.
  let sep = -1;
  for (let i = to - 1; i > from; i--)
    if (SEPARATORS.has(tokens[i].text) && !tokens[i].quoted) {
      sep = i;
      break;
    }
  if (sep < 0 || !refusingValue(tokens, sep + 1, to)) return;
  // The label: from the part's start (after a list marker) or the previous separator.
  let start = sep - 1;
  while (start > from && !SEPARATORS.has(tokens[start - 1].text)) start--;
  const label = tokens.slice(start, sep).filter(isWord);
  if (label.length === 0 || label.length > MAX_LABEL_WORDS || CONDITIONS.has(label[0].lower)) return;
  // "No preamble: none" says it twice; the label already forbids.
  if (label.some((w) => w.negated)) return;
  for (let i = start; i < sep; i++) if (isWord(tokens[i])) tokens[i].negated = !tokens[i].negated;
}
