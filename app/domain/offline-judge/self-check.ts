import type { Reading, Token } from "./reading";

/**
 * A self-check question ("Did I avoid asking for or repeating secrets?", "Is every value the contract does not state
 * set to null, and not guessed?") asks the model to verify that a rule holds. It restates the rule, so it may cover
 * it, but it orders nothing new, so it never breaks one. Questions that ask for something ("Could you add a reason?")
 * open with another word and stay orders.
 */
const CHECK_OPENERS = new Set(["did", "have", "has", "is", "are", "does", "was", "were"]);
const CHECK_SUBJECTS = new Set([
  "i",
  "you",
  "we",
  "it",
  "the",
  "every",
  "each",
  "all",
  "my",
  "your",
  "there",
  "this",
  "that",
  "any",
  "its",
  "their",
]);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/**
 * A rule that is a question: its words from where the question opens (the rule's start, or after a list number or a
 * label: "CHECKLIST:", "FAQ:", "Before you send it:"); null for a rule that does not end in "?".
 */
export function questionWords(reading: Reading, rule: Reading["rules"][number]): Token[] | null {
  const tokens = reading.tokens.slice(rule.from, rule.to);
  if (tokens[tokens.length - 1]?.text !== "?") return null;
  const colon = tokens.map((t) => t.text).lastIndexOf(":");
  const words = tokens.slice(colon + 1).filter(isWord);
  return /^\d+$/.test(words[0]?.text ?? "") ? words.slice(1) : words;
}

/** Indexes of the rules that are self-check questions. */
export function selfCheckRules(reading: Reading): Set<number> {
  const out = new Set<number>();
  for (const rule of reading.rules) {
    const words = questionWords(reading, rule);
    if (!words || !CHECK_OPENERS.has(words[0]?.lower ?? "")) continue;
    if (CHECK_SUBJECTS.has(words[1]?.lower ?? "")) out.add(rule.index);
  }
  return out;
}
