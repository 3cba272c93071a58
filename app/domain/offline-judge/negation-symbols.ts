import { opensNegated } from "./label-polarity";
import type { Rule, Token } from "./reading";

/**
 * Marks that forbid or allow an item, as checklists and terse specs use them:
 *
 *     ❌ explanations, greetings          - ✗ add ESCALATE          Output: label ✓, explanation ✗
 *     ✅ one word                         - ✓ copy the order number  ≠ reasoning
 *
 * A forbidding mark before an item forbids it up to the next mark, semicolon or bar (a comma list goes on: "🚫
 * greetings, sign-offs"); after an item ("explanation ✗") it forbids that item alone. "≠" (and "!=", read as "≠")
 * forbids only at an item's start: between two words it compares them ("cheap ≠ bad").
 */

const FORBIDDING = new Set(["✗", "✘", "❌", "❎", "🚫", "⛔", "☒"]);
const AFFIRMING = new Set(["✓", "✔", "✅", "☑", "✔️"]);
const NOT_EQUAL = "≠";
const ITEM_ENDS = new Set([",", ";", "|", ":", "•"]);
const SCOPE_ENDS = new Set([";", "|", "•"]);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/** "!=" reads as "≠" (same length, so offsets stay put). */
export function notEqualAsSymbol(text: string): string {
  return text.includes("!=") ? text.replace(/!=/g, `${NOT_EQUAL} `) : text;
}

const isMark = (t: Token) => FORBIDDING.has(t.text) || AFFIRMING.has(t.text) || t.text === NOT_EQUAL;

/** The first token of a rule past a list marker. */
function firstOf(tokens: Token[], rule: Rule): number {
  let i = rule.from;
  while (i < rule.to && /^(?:[-*•+]|\d{1,3}[.)]?|[.)])$/.test(tokens[i].text) && i < rule.from + 2) i++;
  return i;
}

/** The rule opens with a mark that forbids or allows what follows: it is an order, however short. */
export function opensWithMark(tokens: Token[], rule: Rule): boolean {
  const i = firstOf(tokens, rule);
  return i < rule.to && isMark(tokens[i]) && tokens[i + 1] !== undefined && i + 1 < rule.to && isWord(tokens[i + 1]);
}

/** Flips what the mark forbids, unless it says its own negation ("❌ don't guess" forbids guessing once). */
function flip(tokens: Token[], from: number, to: number): void {
  if (opensNegated(tokens, from, to)) return;
  for (let i = from; i < to; i++) if (!tokens[i].descriptive) tokens[i].negated = !tokens[i].negated;
}

export function applyNegationSymbols(tokens: Token[], rules: Rule[]): void {
  for (const rule of rules) {
    const first = firstOf(tokens, rule);
    for (let i = rule.from; i < rule.to; i++) {
      const t = tokens[i];
      const notEqual = t.text === NOT_EQUAL;
      if (!FORBIDDING.has(t.text) && !notEqual) continue;
      const next = tokens[i + 1];
      const leading = i + 1 < rule.to && next !== undefined && isWord(next);
      // "≠" forbids at an item's start (the rule's, or after a label's colon or a list's comma) only.
      const prev = tokens[i - 1];
      if (notEqual && !(i === first || (prev && ITEM_ENDS.has(prev.text)))) continue;
      if (leading) {
        let end = i + 1;
        while (end < rule.to && !isMark(tokens[end]) && !SCOPE_ENDS.has(tokens[end].text)) end++;
        flip(tokens, i + 1, end);
        i = end - 1;
      } else if (!notEqual && prev && isWord(prev) && i > rule.from) {
        // "explanation ✗": the item before the mark, back to its separator.
        let start = i - 1;
        while (start > rule.from && !ITEM_ENDS.has(tokens[start - 1].text) && !isMark(tokens[start - 1])) start--;
        flip(tokens, start, i);
      }
    }
  }
}
