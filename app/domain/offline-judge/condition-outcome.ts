import type { NlpToken } from "./nlp";

/**
 * A condition whose outcome follows with no comma:
 *
 *     When unsure answer OK.
 *     If in doubt say SAFETY.
 *     If it is unclear reply with ESCALATE.
 *     If the review mentions fire answer SAFETY.
 *
 * Read as one clause, the outcome stayed inside the condition, and what it asks for ("answer OK") read as part of the
 * situation, so a reversed rule written without its comma passed. The outcome opens at an order in its base form
 * ("answer", "say", "reply", "mark", "output") followed by what it gives (a label in capitals, a quote, "with", an
 * object), once the condition is complete: verbless and without a subject of its own ("unsure", "in doubt"), or
 * with its own verb ("it is unclear", "the review mentions fire", "nothing fits", "no owner is named"). "When users report fire"
 * is a subject and its verb, not an order; "If you answer OK", "if asked to reply" neither.
 */

const OPENERS = new Set(["if", "when", "whenever", "unless"]);
const ORDERS = new Set([
  "answer",
  "say",
  "reply",
  "respond",
  "output",
  "return",
  "write",
  "mark",
  "label",
  "classify",
  "use",
  "give",
  "put",
  "pick",
  "choose",
  "treat",
  "flag",
  "add",
  "set",
  "tag",
  "print",
  "emit",
  "escalate",
  "default",
  "go",
  "guess",
  "infer",
  "estimate",
  "assume",
  "fill",
  "leave",
  "keep",
  "include",
  "omit",
  "skip",
  "drop",
  "ignore",
  "copy",
  "route",
  "send",
  "hand",
  "refer",
  "ask",
  "stop",
  "make",
]);
const GIVES = new Set([
  "with",
  "only",
  "just",
  "the",
  "a",
  "an",
  "it",
  "them",
  "this",
  "that",
  "null",
  "none",
  "true",
  "false",
  "yes",
  "no",
  "nothing",
  "to",
]);
const NOT_BEFORE_ORDER = new Set(["DET", "PRON", "AUX", "VERB", "ADP", "CCONJ", "SCONJ", "PART"]);
/** Verbs followed by a bare infinitive: "If no passage helps answer the question" has no order in it. */
const BARE_INFINITIVE_BEFORE = new Set(["help", "helps", "helped", "let", "lets"]);
const isWord = (t: NlpToken) => /[\p{L}\p{N}]/u.test(t.text);

/** The index of the token that opens the outcome of the condition clause [from, to), or null. */
export function outcomeWithoutComma(tokens: readonly NlpToken[], from: number, to: number): number | null {
  let open = from;
  while (open < to && !isWord(tokens[open])) open++;
  if (open >= to || !OPENERS.has(tokens[open].lower)) return null;
  let verb = -1;
  let subject = false;
  for (let i = open + 1; i < to - 1; i++) {
    const t = tokens[i];
    if (/^[,;:.!?()]$/.test(t.text)) return null;
    const prev = tokens[i - 1];
    if (
      i > open + 1 &&
      ORDERS.has(t.lower) &&
      /^\p{Ll}+$/u.test(t.text) &&
      !BARE_INFINITIVE_BEFORE.has(prev.lower) &&
      ((!NOT_BEFORE_ORDER.has(prev.pos) && (verb >= 0 ? verb < i - 1 : !subject)) || endsCondition(tokens, i - 1)) &&
      gives(tokens, i + 1)
    )
      return i;
    if (t.pos === "AUX" || (t.pos === "VERB" && i > open + 1)) verb = i;
    // A noun or pronoun not governed by a preposition ("in doubt") is the condition's subject: its verb follows.
    else if (["NOUN", "PROPN", "PRON"].includes(t.pos) && prev.pos !== "ADP" && prev.pos !== "DET") subject = true;
    else if (t.pos === "DET" && prev.pos !== "ADP") subject = true;
  }
  return null;
}

/**
 * A verb that completes the condition by itself: "nothing fits", "no rule applies" (a verb agreeing with its
 * subject), "no owner is named" (a passive).
 */
function endsCondition(tokens: readonly NlpToken[], i: number): boolean {
  const t = tokens[i];
  if (t.pos !== "VERB" || t.lemma === t.lower) return false;
  return /[^s]s$/.test(t.lower) || (/ed$/.test(t.lower) && tokens[i - 1]?.pos === "AUX");
}

/** What an order gives: a label, a quote, a number, a value word ("other", "none"), an object, a key (`needs_review`). */
function gives(tokens: readonly NlpToken[], i: number): boolean {
  const t = tokens[i];
  if (t === undefined) return false;
  if (/^[A-Z][A-Z0-9_]+$/.test(t.text) || /^["'“‘`[]$/.test(t.text) || /^\d/.test(t.text)) return true;
  if (GIVES.has(t.lower) || ["NOUN", "PROPN", "ADJ", "NUM"].includes(t.pos)) return true;
  const next = tokens[i + 1];
  return next !== undefined && next.text === "_" && next.start === t.end;
}
