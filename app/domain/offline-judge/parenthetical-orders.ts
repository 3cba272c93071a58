import type { Rule, Token } from "./reading";

/**
 * Orders in parentheses: "Summarise in bullets (never add ESCALATE)", "Answer in one word (no explanation)". Most
 * parentheses describe ("SAFETY (injury or hazard)", "OK (not a hazard)", "e.g. ..."), and a negation there reverses
 * nothing; but one that opens with a prohibition is an order like any other, and a reversal in it counts.
 *
 * "never", "don't", "do not", "must not" open an order wherever they stand; "no" and "without" only after a word
 * of the sentence, since after a label in capitals they define it: "OK (no injury or hazard)".
 */

const PROHIBITIONS = new Set(["never", "avoid"]);
const AUXILIARIES = new Set(["do", "does", "must", "should"]);
const NEGATED_NOUNS = new Set(["no", "without"]);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

function opensOrder(tokens: Token[], open: number, close: number): boolean {
  let i = open + 1;
  while (i < close && !isWord(tokens[i])) i++;
  const first = tokens[i];
  if (!first || i >= close) return false;
  if (PROHIBITIONS.has(first.lower)) return true;
  const next = tokens[i + 1];
  if (AUXILIARIES.has(first.lower) && next && ["not", "n't", "never"].includes(next.lower)) return true;
  if (!NEGATED_NOUNS.has(first.lower)) return false;
  const before = tokens[open - 1];
  return before !== undefined && isWord(before) && before.text !== before.text.toUpperCase() && !before.quoted;
}

/** Makes the parentheses of a rule that hold an order part of the instruction (not descriptive). */
export function markParentheticalOrders(tokens: Token[], rule: Rule): void {
  for (let open = rule.from; open < rule.to; open++) {
    if (tokens[open].text !== "(") continue;
    let close = open + 1;
    while (close < rule.to && tokens[close].text !== ")" && tokens[close].text !== "(") close++;
    if (close >= rule.to || tokens[close].text !== ")") continue;
    if (opensOrder(tokens, open, close)) for (let i = open + 1; i < close; i++) tokens[i].descriptive = false;
    open = close;
  }
}

const GOES_ON = new Set(["or", "and", "nor"]);

/**
 * Where an aside in parentheses interrupts a clause that goes on after it: "SAFETY if it reports a hazard (fire,
 * smoke, ...) or any complaint": the words after ")" still belong to the condition before "(". Returns the token
 * indexes (inside the parentheses and just after ")") where no clause may start.
 */
export function parentheticalAsides(tokens: Token[], rule: Rule): Set<number> {
  const out = new Set<number>();
  for (let open = rule.from; open < rule.to; open++) {
    if (tokens[open].text !== "(") continue;
    let close = open + 1;
    while (close < rule.to && tokens[close].text !== ")" && tokens[close].text !== "(") close++;
    if (close + 1 >= rule.to || tokens[close].text !== ")") continue;
    let aside = close > open + 1;
    for (let i = open + 1; i < close && aside; i++) aside = tokens[i].descriptive;
    // The list goes on ("or any complaint"), not a new predicate ("and sounds warm") or clause (", OK when ...").
    const next = tokens[close + 2];
    const listGoesOn =
      GOES_ON.has(tokens[close + 1].lower) && next !== undefined && next.pos !== "VERB" && next.pos !== "AUX";
    if (aside && listGoesOn) for (let i = open + 1; i <= close + 1; i++) out.add(i);
    open = close;
  }
  return out;
}
