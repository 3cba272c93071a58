import { type Clause, DIRECTIVE_VERBS, type Token } from "./reading";

/**
 * Passives and predicates that forbid their subject, beyond the "must not be added" that `polarity.ts` reads:
 *
 *     Explanations are not to be included.      ESCALATE is never to be added.
 *     Explanations are to be omitted.           Reasons must be left out.        Reasoning is excluded.
 *     Explanations NOT needed.                  Reasons: not wanted.
 *
 * The subject (a plain noun phrase opening the clause, or a short label before it) is what is forbidden. A verb of
 * changing keeps its subject instead: "The order number is never to be changed" asks to keep it.
 *
 * A declarative spec says the same as a statement of what the reply never holds:
 *
 *     Emojis and fully capitalised words never appear.      Emojis are never used.      Reasons are not given.
 *
 * (A subject the negation already reached, "Emojis do not appear", is left as it is.)
 */

const AUX = new Set(["is", "are", "was", "were", "be", "must", "should", "shall", "will", "can", "may", "need"]);
const NEGATIONS = new Set(["not", "n't", "never"]);
/** Participles that take their subject out of the reply: "are to be omitted", "should be avoided". */
const REMOVING = new Set([
  "omitted",
  "avoided",
  "skipped",
  "excluded",
  "dropped",
  "removed",
  "deleted",
  "stripped",
  "suppressed",
]);
/** Participles that, negated, say the subject is unwelcome: "NOT needed", "not wanted". */
const UNWELCOME = new Set(["needed", "wanted", "allowed", "permitted", "required", "necessary", "welcome", "desired"]);
/** "is never to be changed": the subject is kept, not forbidden. */
const CHANGING = new Set([
  "changed",
  "altered",
  "modified",
  "paraphrased",
  "rewritten",
  "reformatted",
  "translated",
  "shortened",
  "corrected",
  "edited",
  "touched",
  "redacted",
  "masked",
  "truncated",
  "abbreviated",
  "rounded",
  "reworded",
  "normalised",
  "normalized",
  "summarised",
  "summarized",
]);
const SPEAKERS = new Set(["you", "i", "we", "it", "they", "this", "that"]);
/** Verbs of remaining that, with "out", keep their subject out of the reply: "Pleasantries stay out". */
const STAYING = new Set(["stay", "stays", "remain", "remains"]);
const SUBORDINATORS = new Set(["when", "if", "unless", "where", "whenever", "once", "while", "because", "since"]);
/** Verbs of being present, negated without an auxiliary: "emojis never appear", "commentary never shows up". */
const PRESENCE = new Set(["appear", "occur", "feature", "show", "figure"]);
/**
 * Participles of putting something in the reply: "are never used", "is not included". (A verb of sorting says how
 * the subject is treated, not that it is absent: "Price complaints alone are not flagged", "is never rated LOW".)
 */
const PUTTING = new Set([
  "used",
  "included",
  "given",
  "added",
  "shown",
  "mentioned",
  "written",
  "promised",
  "offered",
  "listed",
  "displayed",
  "printed",
  "inserted",
  "appended",
  "prepended",
  "attached",
  "repeated",
  "quoted",
  "expressed",
  "stated",
]);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/**
 * The clause's opening noun phrase up to `end`: no verb of its own (a label in capitals or a gerund, "numbering", may
 * be tagged one).
 */
function plainSubject(tokens: Token[], from: number, end: number): boolean {
  const words = tokens.slice(from, end).filter(isWord);
  if (words.length === 0 || words.length > 6 || SPEAKERS.has(words[0].lower)) return false;
  // "Use null when a field is not stated": an order and its condition, not a subject ("Use" is often tagged a noun).
  // (A label in capitals, "ESCALATE is never to be added", is a subject.)
  const order = DIRECTIVE_VERBS.has(words[0].lower) && !/^[A-Z_]{2,}$/.test(words[0].text);
  if (order || words.some((w) => SUBORDINATORS.has(w.lower))) return false;
  return words.every(
    (w, k) =>
      w.pos !== "AUX" &&
      w.pos !== "PART" &&
      w.pos !== "ADP" &&
      (w.pos !== "VERB" ||
        /^[A-Z_]{2,}$/.test(w.text) ||
        /ing$/.test(w.lower) ||
        // "fully capitalised words": a participle before its noun describes it.
        (/(?:ed|en)$/.test(w.lower) && words[k + 1]?.pos === "NOUN")),
  );
}

/** "are never used", "is not included", "never appear": a negated predicate of use or presence, not of changing. */
function absentPredicate(tokens: Token[], at: number, to: number): boolean {
  const word = (k: number) => (k < to ? tokens[k].lower : "");
  let i = afterAuxiliaries(tokens, at, to);
  const auxiliaries = i - at;
  if (!NEGATIONS.has(word(i))) return false;
  i++;
  const verb = tokens[i];
  if (i >= to || verb.pos !== "VERB") return false;
  if (auxiliaries === 0) return PRESENCE.has(verb.lemma) || PRESENCE.has(verb.lower.replace(/s$/, ""));
  return PUTTING.has(verb.lower);
}

/** The first token from `at` (before `to`) that is not an auxiliary ("is", "must", "be"...). */
function afterAuxiliaries(tokens: Token[], at: number, to: number): number {
  let i = at;
  while (i < to && AUX.has(tokens[i].lower)) i++;
  return i;
}

function flip(tokens: Token[], from: number, to: number): void {
  for (let i = from; i < to; i++) tokens[i].negated = !tokens[i].negated;
}

/**
 * Where the predicate that forbids the subject starts, in the clause from `at`: "are not to be included", "are to be
 * omitted", "must be left out", "is excluded", "NOT needed"; -1 if it does not.
 */
function forbiddingPredicate(tokens: Token[], at: number, to: number): boolean {
  const word = (k: number) => (k < to ? tokens[k].lower : "");
  let i = afterAuxiliaries(tokens, at, to);
  const auxiliaries = i - at;
  const negated = NEGATIONS.has(word(i));
  if (negated) i++;
  const toBe = word(i) === "to" && word(i + 1) === "be";
  if (toBe) i += 2;
  else if (word(i) === "be") i++;
  const participle = word(i);
  if (!participle) return false;
  if (negated) {
    // "are not to be included" (any verb but one of changing), "NOT needed", "are not wanted" (polarity.ts has those
    // with an auxiliary), "aren't to be given".
    if (toBe) return !CHANGING.has(participle) && tokens[i].pos === "VERB";
    return auxiliaries === 0 && UNWELCOME.has(participle);
  }
  // "are to be omitted", "should be avoided", "is excluded", "must be left out".
  if (auxiliaries === 0) return false;
  // "Emojis are out.", "Pleasantries are out, and so is ...": "out" closing the predicate puts its subject out of
  // the reply ("is out of stock", "are out for delivery" say where it is).
  if (participle === "out" && !toBe && /^(?:[.,;:!)]|and|too|entirely|completely|altogether)?$/.test(word(i + 1)))
    return true;
  return REMOVING.has(participle) || (participle === "left" && word(i + 1) === "out");
}

/**
 * "Emojis are out, and so is shouting": "so" and an auxiliary take the predicate over for what follows them, which is
 * forbidden the same way.
 */
function soIs(tokens: Token[], clauses: Clause[], clause: Clause, at: number): void {
  const skip = (k: number, to: number) => {
    while (k < to && (tokens[k].text === "," || tokens[k].lower === "and")) k++;
    return k;
  };
  for (const next of [clause, clauses[clause.index + 1]]) {
    if (!next || next.rule !== clause.rule) continue;
    const from = next === clause ? at + 1 : next.from;
    for (let k = skip(from, next.to); k + 2 < next.to; k = skip(k + 1, next.to)) {
      if (tokens[k].lower !== "so" || !AUX.has(tokens[k + 1].lower)) {
        if (next === clause) continue;
        break;
      }
      let end = next.to;
      while (end > k + 2 && !isWord(tokens[end - 1])) end--;
      for (let i = k + 2; i < end; i++) tokens[i].negated = true;
      return;
    }
  }
}

export function applyNegativePassives(tokens: Token[], clauses: Clause[]): void {
  for (const clause of clauses) {
    if (clause.condition) continue;
    // The predicate after the subject: the first auxiliary or negation of the clause.
    let at = clause.from;
    while (at < clause.to && !AUX.has(tokens[at].lower) && !NEGATIONS.has(tokens[at].lower)) at++;
    if (at >= clause.to) {
      // "Pleasantries stay out.", "Greetings remain out": a verb of remaining, then "out" closing the clause.
      const stay = tokens.slice(clause.from, clause.to).findIndex((t) => STAYING.has(t.lower)) + clause.from;
      if (
        stay > clause.from &&
        tokens[stay + 1]?.lower === "out" &&
        (stay + 2 >= clause.to || /^[.,;:!)]$/.test(tokens[stay + 2].text)) &&
        plainSubject(tokens, clause.from, stay) &&
        !tokens.slice(clause.from, stay).some((w) => w.negated)
      )
        flip(tokens, clause.from, stay);
      continue;
    }
    if (!forbiddingPredicate(tokens, at, clause.to)) {
      // "Emojis never appear", "Reasons are not given": unless the negation already reached the subject.
      const subject = tokens.slice(clause.from, at).filter(isWord);
      if (
        subject.length > 0 &&
        !subject.some((w) => w.negated) &&
        absentPredicate(tokens, at, clause.to) &&
        plainSubject(tokens, clause.from, at)
      )
        flip(tokens, clause.from, at);
      continue;
    }
    if (at > clause.from && tokens.slice(clause.from, at).some(isWord)) {
      if (plainSubject(tokens, clause.from, at)) {
        flip(tokens, clause.from, at);
        soIs(tokens, clauses, clause, at);
      }
      continue;
    }
    // "Reasons: not wanted": the label before the clause is its subject.
    const label = clauses[clause.index - 1];
    if (
      label &&
      label.rule === clause.rule &&
      tokens[label.to - 1]?.text === ":" &&
      plainSubject(tokens, label.from, label.to - 1) &&
      tokens.slice(label.from, label.to).filter(isWord).length <= 4
    )
      flip(tokens, label.from, label.to - 1);
  }
}
