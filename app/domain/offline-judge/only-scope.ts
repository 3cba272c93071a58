import type { Token } from "./reading";

/**
 * "only" or "alone" at the end of a phrase restricts the noun before it ("the lines only", "JSON alone"), unless a
 * preposition follows it: then it restricts what follows. "Base every line only on offers in the brief" says where
 * the lines come from, not that the reply is the lines only; "use the label only for spam" says when.
 */

const RESTRICTING = new Set(["only", "alone", "solely", "just"]);
const PREPOSITIONS = new Set(
  "on from in with to for about by if when where after before within under over at as".split(" "),
);

/** Whether the phrase's last token `last` ("only") restricts the words after it rather than the phrase. */
/**
 * "alone" after what it restricts says "only": "Print the rows alone" is "print only the rows", "answer from these
 * facts alone" is "only from these facts". Post-positive, after a noun, a pronoun, a number or a closing quote,
 * bracket or backtick, and not as a subject ("tone alone is not enough": by itself); not the idiom of leaving something untouched ("leave the numbers alone", "let it alone"), nor
 * "alone" of a person or a thing on its own ("works alone", "stands alone", which follow a verb).
 */
export function postPositiveAlone(tokens: readonly Token[], at: number): boolean {
  const t = tokens[at];
  const prev = tokens[at - 1];
  if (t?.lower !== "alone" || !prev || prev.clause !== t.clause) return false;
  if (!(AFTER_WHAT_IT_RESTRICTS.has(prev.pos) || CLOSERS.has(prev.text))) return false;
  // A subject "X alone" is X by itself, judged: "tone alone is not enough", "a keyword alone doesn't count".
  const next = tokens[at + 1];
  if (next && next.clause === t.clause && (next.pos === "AUX" || next.pos === "VERB")) return false;
  for (let i = at - 1; i >= 0 && i >= at - 8 && tokens[i].clause === t.clause; i--)
    if (LEAVING.has(tokens[i].lemma)) return false;
  return true;
}

const AFTER_WHAT_IT_RESTRICTS = new Set(["NOUN", "PROPN", "PRON", "NUM"]);
const CLOSERS = new Set(['"', "'", "`", "”", "’", "]", ")", ">"]);
const LEAVING = new Set(["leave", "let"]);

/**
 * An author's "only the rows" said the other way round, "rows only" (and so "the rows alone", "those rows alone"): a phrase of "only"
 * and a noun phrase that opens with a determiner, with no preposition or verb in it that "only" might restrict
 * instead ("only from", "only when", "only use" stay as they are).
 */
export function restrictorMovedAfter<W extends { text: string; tag: string | null }>(words: readonly W[]): W[] | null {
  if (words.length < 3 || words[0].tag !== "≈only" || !DETERMINERS.has(words[1].text)) return null;
  if (words.slice(2).some((w) => NOT_IN_NOUN_PHRASE.has(w.text))) return null;
  // Without its determiner, which the prompt may say another way: "only the rows" ~ "those rows alone".
  return [...words.slice(2), words[0]];
}

const DETERMINERS = new Set(["the", "these", "those", "this", "that", "its", "their", "your"]);
const NOT_IN_NOUN_PHRASE = new Set(
  "on from in with to for about by if when where after before within under over at as and or but not what which who that is are be use say".split(
    " ",
  ),
);

/**
 * Whether the restrictor at `last` ("only", "alone") closes what it restricts, as a moved "only the rows" must: what
 * follows is no word of a noun phrase or a verb that it might restrict instead ("copy only sentences that help" is
 * not "the copied only").
 */
export function closesRestriction(tokens: readonly Token[], last: number): boolean {
  const t = tokens[last];
  if (!t || !RESTRICTING.has(t.lower)) return false;
  const next = tokens[last + 1];
  return next === undefined || next.clause !== t.clause || !RESTRICTED_NEXT.has(next.pos);
}

const RESTRICTED_NEXT = new Set(["DET", "NOUN", "PROPN", "ADJ", "NUM", "PRON", "VERB", "AUX"]);

export function restrictsWhatFollows(tokens: readonly Token[], last: number): boolean {
  const t = tokens[last];
  if (!t || !RESTRICTING.has(t.lower)) return false;
  const next = tokens[last + 1];
  return next !== undefined && next.rule === t.rule && PREPOSITIONS.has(next.lower);
}
