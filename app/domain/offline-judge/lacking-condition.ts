import { quoteRule, type Reading, readPrompt, type Token } from "./reading";

/**
 * A case the brief limits by what it lacks, widened to take in what has it:
 *
 *     brief:  Flag a TODO without a ticket id.
 *     prompt: TODO = any TODO comment, ticket id or not             the limit dropped
 *     prompt: Flag every TODO, with or without a ticket id          the same
 *
 *     brief:  Needs review when the amount is over £75 without a receipt.
 *     prompt: Anything over £75 needs review, receipt or no receipt
 *
 * The slot comes from the requirement's description: what follows "without a / an / any" (a thing lacked, not a manner:
 * "without summarising" is no case). In the prompt, an order that names the lacked thing with a word that lets both
 * sides in ("or not", "or no", "with or without", "whether or not", "regardless of", "even with", "either way", "still
 * counts") widens the case; a rule that allows the other side ("a TODO with a ticket id is fine") keeps it.
 */

export interface LackingCondition {
  /** The lacked thing's words ("ticket", "id"; "receipt"), lower case. */
  lacked: string[];
}

const STOPS = new Set([".", ",", ";", ":", "(", ")"]);
const ALLOWS = new Set([
  "fine",
  "allowed",
  "ok",
  "okay",
  "acceptable",
  "permitted",
  "exempt",
  "skip",
  "ignore",
  "except",
]);

/** The condition a requirement's description limits by a lack, or null. */
export function lackingCondition(description: string): LackingCondition | null {
  const { tokens } = readPrompt(description);
  const at = tokens.findIndex((t) => t.lower === "without");
  if (at < 0 || !["a", "an", "any"].includes(tokens[at + 1]?.lower ?? "")) return null;
  const lacked: string[] = [];
  for (let k = at + 2; k < tokens.length && !STOPS.has(tokens[k].text); k++)
    if (/\p{L}{2}/u.test(tokens[k].text)) lacked.push(tokens[k].lower);
  return lacked.length > 0 && lacked.length <= 3 ? { lacked } : null;
}

const isWord = (t: Token) => /[\p{L}\p{N}]/u.test(t.text);
/** What "even" picks out before its case: "even one with", "even those that". */
const EVEN_ONES = new Set(["one", "ones", "those", "these", "a", "the", "any"]);
const NEGATIONS = new Set(["not", "n't", "never", "no"]);
/** A word that allows the other side, unless negated just before it: "TODOs are not allowed" allows nothing. */
const allows = (words: Token[], k: number) =>
  ALLOWS.has(words[k].lower) && !NEGATIONS.has(words[k - 1]?.lower ?? "") && !NEGATIONS.has(words[k - 2]?.lower ?? "");

/** Whether the words around the lacked thing at `i` let both sides in. */
function bothSides(words: Token[], i: number, last: number): boolean {
  const w = (k: number) => words[k]?.lower ?? "";
  // "ticket id or not", "receipt or no receipt"
  if (w(last + 1) === "or" && ["not", "no", "none"].includes(w(last + 2))) return true;
  for (let k = Math.max(0, i - 6); k < i; k++) {
    // "with or without a ticket id", "whether or not it has a receipt"
    if (w(k) === "with" && w(k + 1) === "or" && w(k + 2) === "without") return true;
    if (w(k) === "whether" && w(k + 1) === "or" && w(k + 2) === "not") return true;
    if (w(k) === "regardless" || w(k) === "irrespective") return true;
    // "even with a ticket id", "even one with a ticket id", "even those that have one"
    if (w(k) === "even" && ["with", "if", "when", "though"].includes(w(k + 1))) return true;
    if (w(k) === "even" && EVEN_ONES.has(w(k + 1)) && ["with", "that", "which", "having"].includes(w(k + 2)))
      return true;
  }
  // "... still counts", "... either way"
  for (let k = last + 1; k < Math.min(words.length, last + 5); k++) {
    if (w(k) === "still" || (w(k) === "either" && w(k + 1) === "way")) return true;
    if (w(k) === "whether" && w(k + 1) === "or" && w(k + 2) === "not") return true;
  }
  return false;
}

/** The first order that widens the case to what has the lacked thing, quoted with its line, or null. */
export function widenedLack(
  reading: Reading,
  slot: LackingCondition,
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  const head = slot.lacked[slot.lacked.length - 1];
  for (const rule of reading.rules) {
    if (!breaks(rule.index)) continue;
    const words = reading.tokens.slice(rule.from, rule.to).filter((t) => isWord(t) && !t.quoted);
    if (words.some((_, k) => allows(words, k))) continue;
    for (let i = 0; i < words.length; i++) {
      const t = words[i];
      if (t.lower !== head && t.lower !== `${head}s` && t.lemma.toLowerCase() !== head) continue;
      // The lacked thing's words before its head: "ticket id".
      const first = i - (slot.lacked.length - 1);
      if (first < 0 || slot.lacked.some((l, j) => !words[first + j].lower.startsWith(l))) continue;
      if (bothSides(words, first, i)) return { line: rule.line, quote: quoteRule(reading, rule) };
    }
  }
  return null;
}

/** For tests: the slot read from a description and checked against a prompt, every rule breakable. */
export function widensLack(description: string, prompt: string): boolean {
  const slot = lackingCondition(description);
  if (!slot) throw new Error(`no lacking condition in ${description}`);
  return widenedLack(readPrompt(prompt), slot, () => true) !== null;
}
