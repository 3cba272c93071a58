import { quoteRule, type Reading, readPrompt, type Token } from "./reading";

/**
 * The value the brief gives the empty case, changed: the description names what the reply says when nothing fits or
 * the input says nothing ("other when nothing fits", "Anything the contract does not state is null", "UNKNOWN when the
 * data does not support one cause"), the prompt gives that case another value:
 *
 *     If the ticket doesn't relate to any product or topic, set that key to null.     (null for other)
 *     auto_renews: true or false; if the contract says nothing about renewal, false   (false for null)
 *     When nothing supports a single cause, answer FX_RATE.                            (a label for UNKNOWN)
 *
 * The empty case in the prompt is a condition that says nothing fits or nothing is stated ("doesn't relate to any",
 * "says nothing about", "not stated", "none fits"); its outcome is the clause it governs, or the words after its comma.
 * An outcome that names another value of the same family (a list's fallback "other" is replaced by the empty value,
 * the empty value null by a boolean, zero or a word for unknown; a label by another label) and not the brief's
 * is the rule changed. "If they say nothing about leaving, churn_risk is false" keeps "other when nothing fits": a
 * boolean is no list value.
 */

export interface FallbackSlot {
  /** The empty case's value, as written: "other", "null", "UNKNOWN". */
  value: string;
}

const CUE =
  /\b(?:nothing(?: else)? fits|(?:does|do) not (?:state|support|say|give|mention|answer|cover)|not stated|otherwise|or null|for a missing|no \w+ answers)\b/i;
/** A reply the description quotes: 'Replies "Not in the excerpts." when the excerpts do not answer the question.' */
const QUOTED = /"([^"]{3,60})"/;
/** "none when there is no owner", "NONE when there is no IT question": the value first, then the absence. */
const VALUE_FIRST = /^["'`]?([\w/]+)["'`]?\s+(?:when|if)\s+there\s+(?:is|are)\s+no\b/;
const EMPTY = new Set(["null", "none", "n/a", "unknown", "empty", "blank", "nil"]);
const BOOLEANS = new Set(["true", "false"]);
const LABEL = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** The slot a requirement's description states, or null. */
export function fallbackSlot(description: string): FallbackSlot | null {
  const first = VALUE_FIRST.exec(description)?.[1];
  if (first && (first === "none" || first === "null" || (LABEL.test(first) && first.length > 2)))
    return { value: first };
  if (!CUE.test(description)) return null;
  for (const word of description.match(/[\w/]+/g) ?? []) {
    if (word === "null" || word === "other") return { value: word };
    if (LABEL.test(word) && word.length > 2 && word !== "YYYY") return { value: word };
  }
  const quoted = QUOTED.exec(description)?.[1];
  return quoted ? { value: quoted } : null;
}

const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * Whether words hold the slot's value: the word itself, or for a quoted reply ("Not in the excerpts.") its first three
 * words in a row, so "say Not in the excerpts" keeps it however the prompt ends or punctuates it.
 */
export function holdsValue(words: readonly Token[], slot: FallbackSlot): boolean {
  if (words.some((w) => w.text === slot.value || w.lower === slot.value)) return true;
  const wanted = wordsOf(slot.value).slice(0, 3);
  if (wanted.length < 2) return false;
  const seen = words.map((w) => w.lower).filter((w) => /[\p{L}\p{N}]/u.test(w));
  for (let i = 0; i + wanted.length <= seen.length; i++) if (wanted.every((w, k) => seen[i + k] === w)) return true;
  return false;
}

/** Values that may stand in for the slot's: the same family, another member. */
function rival(slot: string, t: Token): boolean {
  const w = t.lower;
  if (slot === "other") return EMPTY.has(w);
  if (slot === "null" || slot === "none") return BOOLEANS.has(w) || w === "unknown" || w === "n/a" || w === "0";
  return LABEL.test(t.text) && t.text.length > 2 && t.text !== slot;
}

/** The empty case: "doesn't relate to any", "says nothing about", "isn't stated", "none fits", "no ... matches". */
const SILENT_VERBS = new Set(
  "state say mention give specify include fit match apply relate cover support name list answer".split(" "),
);
const NEGATIONS = new Set(["not", "n't", "never", "no"]);

export function emptyCase(reading: Reading, from: number, to: number): boolean {
  const { tokens } = reading;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    const l = t.lower;
    if (["silent", "unstated", "unspecified", "missing", "absent"].includes(l)) return true;
    if ((l === "nothing" || l === "none") && i + 1 < to) return true;
    // "fits no product", "matches none"
    if ((NEGATIONS.has(l) || l === "none") && i > from && SILENT_VERBS.has(tokens[i - 1].lemma.toLowerCase()))
      return true;
    if (NEGATIONS.has(l)) {
      // "no due date is mentioned": a two-word thing and its verb.
      for (let k = i + 1; k < Math.min(to, i + 5); k++)
        if (SILENT_VERBS.has(tokens[k].lemma.toLowerCase())) return true;
    }
  }
  return false;
}

/** Imperatives that put a value in the reply: the outcome of a condition written without a comma. */
const ORDERING = new Set(
  "use set put answer write return output reply give default fill take mark choose pick".split(" "),
);
/** Words a condition's own verb comes after: "if they use the app", "if it is set", "if you can't answer". */
const VERB_CHAIN = new Set(["PRON", "NOUN", "PROPN", "DET", "AUX", "PART", "CCONJ", "SCONJ", "NUM"]);

/**
 * A conditional clause split at its first comma (after its first two words): the condition's end and the outcome.
 * Without a comma, an imperative right after the condition's last word opens the outcome: "if none is stated use the
 * date one week after the meeting", "if nobody took it on set null" ("if they use the app" is the condition's verb).
 */
export function conditionAndOutcome(
  tokens: readonly Token[],
  clause: { from: number; to: number },
): { end: number; outcome: [number, number] | null } {
  for (let i = clause.from + 2; i < clause.to; i++)
    if (tokens[i].text === ",") return { end: i, outcome: [i + 1, clause.to] };
  for (let i = clause.from + 3; i < clause.to - 1; i++) {
    const t = tokens[i];
    const prev = tokens[i - 1];
    if (!ORDERING.has(t.lower) || t.lemma.toLowerCase() !== t.lower || VERB_CHAIN.has(prev.pos) || prev.lower === "to")
      continue;
    return { end: i, outcome: [i, clause.to] };
  }
  return { end: clause.to, outcome: null };
}

/** The first rule that gives the empty case another value than the slot's, quoted with its line, or null. */
export function changedFallback(
  reading: Reading,
  slot: FallbackSlot,
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  const { tokens } = reading;
  for (const clause of reading.clauses) {
    if (!clause.condition || clause.rule < 0 || !breaks(clause.rule)) continue;
    // The condition ends at its comma when the outcome has no verb of its own: "if it says nothing, false".
    const { end, outcome } = conditionAndOutcome(tokens, clause);
    if (!emptyCase(reading, clause.from, end)) continue;
    const partner = clause.partner === null ? undefined : reading.clauses[clause.partner];
    const spans = [outcome, partner && partner.rule === clause.rule ? [partner.from, partner.to] : null].filter(
      (s): s is [number, number] => s !== null && s[1] > s[0],
    );
    for (const [from, to] of spans) {
      const words = tokens.slice(from, to);
      if (holdsValue(words, slot)) continue;
      const other = words.find((w) => !w.quoted && rival(slot.value, w) && !forbidden(reading, w, from));
      const quotedOther = words.find((w) => w.quoted && rival(slot.value, w) && !forbidden(reading, w, from));
      if (other ?? quotedOther) {
        const rule = reading.rules[clause.rule];
        return { line: rule.line, quote: quoteRule(reading, rule) };
      }
    }
  }
  return null;
}

/** "never null", "not false": a value the outcome forbids. */
function forbidden(reading: Reading, t: Token, from: number): boolean {
  for (let k = Math.max(from, t.index - 3); k < t.index; k++) if (NEGATIONS.has(reading.tokens[k].lower)) return true;
  return false;
}

/** For tests: the slot read from a description and checked against a prompt, every rule breakable. */
export function changesFallback(description: string, prompt: string): boolean {
  const slot = fallbackSlot(description);
  if (!slot) throw new Error(`no fallback in ${description}`);
  return changedFallback(readPrompt(prompt), slot, () => true) !== null;
}
