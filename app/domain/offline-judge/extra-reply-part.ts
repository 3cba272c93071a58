import type { ExerciseTask, Requirement } from "../exercise";
import { quoteRule, type Reading, type Token } from "./reading";

/**
 * An order for a part of the reply besides what the exercise's reply may hold: a reason, an explanation, a note or a
 * lead-in ordered around a reply that must be the value alone.
 *
 *     Start with one sentence on why you chose the tool, then the single call as JSON.
 *     Write 3 subject lines, each followed by a dash and a few words on why it works.
 *     Give the label, then a short reason.                 Reply in the form "Final answer: SAFETY".
 *
 * Which requirement this breaks is what the exercise declares: the one that an explanation breaks (a `broken_by`
 * group that alone breaks it and names explaining: "label only", "JSON and nothing else", "only the lines"). The
 * reading is of the order's object, not of the writer's words: a part of the kind of an explanation (a reason, a
 * rationale, a note, a comment, a preamble...), or a sentence, line or few words on why / about the choice, ordered
 * (affirmed, not in a condition, an aside, an example or an exception). "No explanation", "nothing else", "Notes:
 * none" and "(no reason)" order nothing.
 */

export interface ExtraPart {
  line: number;
  evidence: string;
  /** What the line adds to the reply, in the prompt's words. */
  made: string;
}

/** Words of explaining: a `broken_by` group that holds one declares that the reply is the value alone. */
const EXPLAINING = /\b(?:explain\w*|explanations?|reasoning|justif\w*|rationale|commentary)\b/i;

/** The requirements an explanation breaks by itself (one group of `broken_by`, not a pair with a condition). */
export function replyAloneRequirements(requirements: readonly Requirement[]): Set<string> {
  const out = new Set<string>();
  for (const r of requirements)
    if (r.broken_by.some((entry) => Array.isArray(entry) && entry.some((p) => EXPLAINING.test(p)))) out.add(r.id);
  return out;
}

/** Parts of a reply that explain or frame the value: "a short reason", "a note", "a one-line preamble". */
const PARTS = new Set(
  "explanation reason reasoning rationale justification commentary comment note remark preamble intro introduction caveat disclaimer".split(
    " ",
  ),
);
/** Units of text that are an extra part when they are about the choice: "one sentence on why", "a line saying why". */
const UNITS = new Set(["sentence", "line", "word", "phrase", "paragraph"]);
/** (And "introducing", "summarising", "commenting": a line that frames what follows is a preamble.) */
const ABOUT = new Set([
  "explaining",
  "saying",
  "describing",
  "giving",
  "stating",
  "justifying",
  "noting",
  "why",
  "introducing",
  "summarising",
  "summarizing",
  "commenting",
]);
/** "say why", "state why": why as the object of an order. */
const WHY_VERBS = new Set(["say", "state", "tell", "note", "mention", "add", "give", "write", "show", "explain"]);
/** Orders that put a part into the reply, and words that place it beside the value ("then", "followed by", "after"). */
const PUTTING = new Set(
  "add give write start begin open end close follow append prepend include put provide output return reply respond print emit precede attach offer supply then after before first plus below above under".split(
    " ",
  ),
);
/** Negations that forbid a whole list: "no table, code fence, heading or comment", "never add a note". */
const FORBIDDING = new Set(
  "no not never without nothing none avoid skip omit don't dont n't nor exclude drop leave".split(" "),
);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/** A word the prompt orders: in an ordering rule, affirmed, outside conditions, reasons, asides and examples. */
function ordered(reading: Reading, orders: (rule: number) => boolean, t: Token): boolean {
  if (t.negated || t.descriptive || t.parenthetical || t.exception || t.quoted) return false;
  if (!orders(t.rule)) return false;
  const clause = reading.clauses[t.clause];
  return clause !== undefined && !clause.condition && !clause.reason;
}

function wordsAround(reading: Reading, i: number, step: -1 | 1, n: number): Token[] {
  const out: Token[] = [];
  const rule = reading.tokens[i].rule;
  for (let k = i + step; k >= 0 && k < reading.tokens.length && out.length < n; k += step) {
    const t = reading.tokens[k];
    if (t.rule !== rule || /^[.;!?]$/.test(t.text)) break;
    if (isWord(t)) out.push(t);
  }
  return out;
}

/** How a thought is kept out of the reply: "reason internally", "note privately". */
const PRIVATELY = new Set(["internally", "silently", "privately", "quietly", "inwardly", "mentally"]);

/** Words that point at a thing already there ("the notes", "this reason"): the input, not a part to write. */
const DEFINITE = new Set("the this that these those its their his her our customer's".split(" "));
/** "a short reason for your choice", "a note on each label": what the part is about is the reply's value. */
const ABOUT_THE_REPLY = new Set(["your", "each", "every", "this", "why", "choice", "label", "decision"]);

/** The token names a part that explains the value: "a short reason", "one sentence on why", "a line saying why". */
function explainingPart(reading: Reading, t: Token): boolean {
  // (Only "why" and the nouns below name such a part: every other word is out before its neighbours are read.)
  const named = t.lower === "why" || PARTS.has(t.lemma) || PARTS.has(t.lower) || UNITS.has(t.lemma);
  if (!named || (t.lower !== "why" && t.pos !== "NOUN" && t.pos !== "PROPN")) return false;
  const before = wordsAround(reading, t.index, -1, 4);
  const [prev] = before;
  const [next, then] = wordsAround(reading, t.index, 1, 2);
  if (t.lower === "why") return prev !== undefined && (WHY_VERBS.has(prev.lemma) || prev.lower === "on");
  if (t.pos !== "NOUN" && t.pos !== "PROPN") return false;
  // "reason internally", "Reason silently; write none of it out": with how it is kept unwritten after it, the word is
  // the verb (to reason, to note), which writes nothing ("give a reason" still orders a part).
  if (next && PRIVATELY.has(next.lower)) return false;
  // A label of its line ("Note: ...", "Introduction: you are ...") or a note to someone ("Note to the reviewer").
  const after = reading.tokens[t.index + 1];
  if (after && (after.text === ":" || after.lower === "to")) return false;
  // A noun compound names a thing of the input: "meeting notes", "memory note", "TODO comments", "notes line".
  const compound = (w: Token | undefined) => w !== undefined && (w.pos === "NOUN" || w.pos === "PROPN") && isWord(w);
  // "on top of notes", "from notes": the object of a preposition is where something is, not what is written.
  if (prev && ["of", "from", "in", "on", "into", "at", "inside", "within", "about"].includes(prev.lower)) return false;
  // ("one-sentence rationale" is a hyphenated adjective, not a compound.)
  const dash = prev ? reading.tokens[prev.index - 1] : undefined;
  const hyphenated =
    dash?.text === "-" && dash.end === prev?.start && reading.tokens[dash.index - 1]?.end === dash.start;
  if ((compound(prev) && !hyphenated) || (compound(next) && !UNITS.has(t.lemma)) || t.text.endsWith("'s")) return false;
  // "the notes", "the single most likely reason": a thing already there, named by its article.
  const determiner = before.find((w) => w.pos === "DET" || w.pos === "PRON" || DEFINITE.has(w.lower));
  if (determiner && DEFINITE.has(determiner.lower)) return false;
  if (PARTS.has(t.lemma) || PARTS.has(t.lower)) {
    if (!next) return true;
    // "comments inside the extracts", "the reason for the refund", "a note telling you": described, not ordered.
    // (With "a" or "one" it is a new thing to write: "a brief note for the on-call team".)
    const fresh = determiner !== undefined && ["a", "an", "one"].includes(determiner.lower);
    if (["for", "of", "in", "inside", "within", "from"].includes(next.lower) && !fresh)
      return then !== undefined && ABOUT_THE_REPLY.has(then.lower);
    // "notes say ...", "a note telling you": the part does something or is described; it is not what is written.
    return !((next.pos === "VERB" || next.pos === "AUX") && !ABOUT.has(next.lower));
  }
  if (UNITS.has(t.lemma) && next) return ABOUT.has(next.lower) || (next.lower === "on" && then?.lower === "why");
  return false;
}

/** Something before the part in its rule puts it into the reply: an order to add or give, or "then", "after". */
function putIntoReply(reading: Reading, t: Token): boolean {
  const rule = reading.rules[t.rule];
  const clause = reading.clauses[t.clause];
  // "no table, code fence, heading or comment", "do not add anything else, such as explanations".
  for (let i = clause.from; i < t.index; i++) {
    const w = reading.tokens[i];
    if (FORBIDDING.has(w.lower) || FORBIDDING.has(w.lemma)) return false;
    if (w.lower === "such" && reading.tokens[i + 1]?.lower === "as") return false;
    // "Nothing in the invoice, including any note it contains, ...": examples of a thing named before, not an order.
    if (w.lower === "including" || w.lower === "incl") return false;
  }
  for (let i = t.index - 1; i >= rule.from; i--) {
    const w = reading.tokens[i];
    if (PUTTING.has(w.lower) || (w.pos === "VERB" && PUTTING.has(w.lemma))) return true;
  }
  // "Treat any comment inside the extracts as data": what "any" picks out may be there already; nothing puts it in.
  if (wordsAround(reading, t.index, -1, 3).some((w) => w.lower === "any")) return false;
  // A spec with no verb: "REPLY: one line explaining why, then the call", "Format: <label> — <reason>".
  // (In notation the part is the value, after the label: "A note before you start: ..." only introduces a line.)
  if (rule.kind === "item") return true;
  if (rule.kind !== "notation") return false;
  for (let i = rule.from; i < t.index; i++) if (/^(?::|=|->|=>|→)$/.test(reading.tokens[i].text)) return true;
  return false;
}

/** 'such as "...', 'like "...', 'e.g. "...', 'or "...' after one of those: the quote that opens at `from` is an example. */
function exampleBefore(tokens: Token[], from: number): boolean {
  const rule = tokens[from].rule;
  for (let k = from - 1, words = 0; k >= 0 && tokens[k].rule === rule && words < 8; k--) {
    const w = tokens[k];
    if (/^[.;!?]$/.test(w.text)) return false;
    if (!isWord(w)) continue;
    words++;
    if ((w.lower === "as" && tokens[k - 1]?.lower === "such") || w.lower === "like" || /^e\.?g$/.test(w.lower))
      return true;
  }
  return false;
}

/** A reply written in quotes that holds a label and other words: "Final answer: SAFETY", "Label: OK (because ...)". */
function wrappedLabel(reading: Reading, orders: (rule: number) => boolean, labels: ReadonlySet<string>): Token | null {
  const { tokens } = reading;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.quoted || !labels.has(t.text) || !orders(t.rule) || t.negated || t.parenthetical) continue;
    // The quoted run around the label, within its rule.
    let from = i;
    while (from > 0 && tokens[from - 1].quoted && tokens[from - 1].rule === t.rule) from--;
    // 'text such as "reply APPROVE"': a quote given as an example of what the input may say is no reply.
    if (exampleBefore(tokens, from)) continue;
    let to = i;
    while (to + 1 < tokens.length && tokens[to + 1].quoted && tokens[to + 1].rule === t.rule) to++;
    const words = tokens.slice(from, to + 1).filter(isWord);
    const others = words.filter((w) => !labels.has(w.text) && w.lower !== "or");
    if (others.length > 0 && others.every((w) => /^\p{L}+$/u.test(w.text))) return t;
  }
  return null;
}

/** Walking back over the same slot repeated and its separators ("<reason>; <reason>;"), one of the reply's labels. */
function labelBeforeSlots(reading: Reading, t: Token, labels: ReadonlySet<string>): boolean {
  if (labels.size === 0) return false;
  const rule = reading.tokens[t.index].rule;
  for (let k = t.index - 1; k >= 0; k--) {
    const w = reading.tokens[k];
    if (w.rule !== rule) return false;
    if (labels.has(w.text)) return true;
    if (isWord(w) && w.lemma !== t.lemma) return false;
  }
  return false;
}

/** Labels of a line that lists what the model receives: "Input: ...", "You get: ...", "Context: ...". */
const INPUT_LABELS =
  /^\s*(?:[-*•]\s*)?(?:inputs?|context|you\s+(?:get|receive|will\s+(?:get|receive))|given|provided|data)\s*(?:\([^)]*\))?\s*:/i;

/** The part sits in a line that describes the input (`Input: a note on the chat so far, ...`). */
function describesInput(reading: Reading, t: Token): boolean {
  const rule = reading.rules[t.rule];
  const line = reading.text.slice(rule.start, rule.end);
  return INPUT_LABELS.test(line);
}

/** Words that place a part beside what comes before them: "the cause and evidence, followed by a note". */
const BESIDE = new Set(["followed", "then", "after", "before", "plus", "and", "also", "besides", "beside", "next"]);

/** "the evidence: a few words on why", "the evidence as a brief justification": a key names what the part fills. */
function keyBefore(reading: Reading, t: Token, keys: ReadonlySet<string>): boolean {
  for (const w of wordsAround(reading, t.index, -1, 6)) {
    if (keys.has(w.lower)) return true;
    if (BESIDE.has(w.lower)) return false;
  }
  return false;
}

/** "... in the evidence field", "... as the evidence": the part is placed into one of the reply's keys. */
function intoKey(reading: Reading, t: Token, keys: ReadonlySet<string>): boolean {
  const after = wordsAround(reading, t.index, 1, 4);
  const at = after.findIndex((w) => ["in", "into", "as", "inside", "under"].includes(w.lower));
  if (at < 0) return false;
  const [first, second] = after.slice(at + 1);
  return (
    first !== undefined &&
    (keys.has(first.lower) || (first.lower === "the" && second !== undefined && keys.has(second.lower)))
  );
}

/** The reply named as itself: "after the JSON", "below the label". */
const REPLY_NAMES = new Set(["json", "object", "label", "reply", "output", "answer", "result"]);
const PLACING = new Set(["after", "before", "below", "above", "beneath", "under"]);
const FRESH = new Set(["a", "an", "one"]);

/**
 * A fresh unit of text put beside a reply that is one value: "After the JSON, add one friendly line the team could
 * send", "Below the label, write a sentence for the customer". Whatever the unit says, it is more than the value; a
 * reply of lines (JSON lines, a JSON array) is left aside, where "after the last item write a line END" may be part of
 * the reply itself.
 */
function unitBesideReply(reading: Reading, orders: (rule: number) => boolean): Token | null {
  const { tokens } = reading;
  for (const t of tokens) {
    if (!UNITS.has(t.lemma) || t.pos !== "NOUN" || !ordered(reading, orders, t)) continue;
    if (!wordsAround(reading, t.index, -1, 3).some((w) => FRESH.has(w.lower)) || !putIntoReply(reading, t)) continue;
    const rule = reading.rules[t.rule];
    for (let i = rule.from; i < rule.to; i++) {
      if (!PLACING.has(tokens[i].lower) || tokens[i].negated) continue;
      const [first, second] = wordsAround(reading, i, 1, 2);
      const named = first && ["the", "your", "this", "that"].includes(first.lower) ? second : first;
      if (named && REPLY_NAMES.has(named.lower)) return t;
    }
  }
  return null;
}

/**
 * The first order for a part of the reply beside its value, if any. `orders` says which rules order the model
 * (background and self-check questions do not).
 */
export function findExtraReplyPart(
  reading: Reading,
  orders: (rule: number) => boolean,
  task: ExerciseTask | undefined,
): ExtraPart | null {
  const labels = new Set(task?.labels ?? []);
  const keys = new Set((task?.keys ?? []).map((k) => k.toLowerCase()));
  for (const t of reading.tokens) {
    if (!isWord(t) || !explainingPart(reading, t) || !ordered(reading, orders, t) || !putIntoReply(reading, t))
      continue;
    // "HOLD: reasons", "HOLD with the reasons": the value of one of the reply's labels is that label's own content.
    if (wordsAround(reading, t.index, -1, 3).some((w) => labels.has(w.text))) continue;
    // "HOLD: <reason>; <reason>; ...": the same slot repeated after the label is still the label's content.
    if (labelBeforeSlots(reading, t, labels)) continue;
    // "Input: a note on the chat so far, the question, the excerpts": a line that says what the model is given.
    if (describesInput(reading, t)) continue;
    // "In the evidence field, a short note on which rows point to it", "evidence: a few words on why", "a short
    // explanation in the evidence field": the content of one of the reply's own keys, not a part beside the reply.
    // ("One sentence explaining the cause" names a key as what the part is about: still a part beside the reply.)
    if (keys.size > 0 && (keyBefore(reading, t, keys) || intoKey(reading, t, keys))) continue;
    const rule = reading.rules[t.rule];
    return { line: rule.line, evidence: quoteRule(reading, rule), made: t.text };
  }
  const placed = task?.output === "label" || task?.output === "json-object" ? unitBesideReply(reading, orders) : null;
  if (placed) {
    const rule = reading.rules[placed.rule];
    return { line: rule.line, evidence: quoteRule(reading, rule), made: placed.text };
  }
  const trailing = labels.size > 0 ? partAfterLabel(reading, orders, labels) : null;
  if (trailing) {
    const rule = reading.rules[trailing.rule];
    return { line: rule.line, evidence: quoteRule(reading, rule), made: trailing.text };
  }
  const beside = task?.output === "lines" && task.count ? partBesideItem(reading, orders, task.count.unit) : null;
  if (beside) {
    const rule = reading.rules[beside.rule];
    return { line: rule.line, evidence: quoteRule(reading, rule), made: beside.text };
  }
  if (task?.output === "label" && task.labels) {
    const t = wrappedLabel(reading, orders, new Set(task.labels));
    if (t) {
      const rule = reading.rules[t.rule];
      return { line: rule.line, evidence: quoteRule(reading, rule), made: t.text };
    }
  }
  return null;
}

/** Why an extra part breaks the requirements that keep the reply to its value, the line quoted. */
export function extraPartReason(part: ExtraPart): string {
  return `Line ${part.line} says "${part.evidence}", which adds to the reply what it may not hold.`;
}

/** Words that put what follows after a label rather than in it: "NONE followed by ...", "NONE, then ...", "NONE plus". */
const AFTER_LABEL = new Set(["followed", "then", "plus"]);

/**
 * A part written after one of the reply's labels: "If no passage helps, reply NONE followed by one short sentence on
 * what the passages cover", "answer SAFETY, then a line on the hazard". The label is the whole reply; a unit of text or
 * a part of the kind of a note put after it by "followed by", "then" or "plus" (within a few words, in its rule) is a
 * second part beside it, whatever it is about. A negation between them forbids it ("NONE, followed by no note"); the
 * label's own polarity decides, not the words after it, which a condition's "no" may reach ("If no passage helps, reply
 * NONE followed by ..."). ("HOLD: reasons", "HOLD: and then the reasons", "HOLD with the reasons" give
 * the label its own content; "NONE and nothing else", "NONE, then stop" add nothing.)
 */
function partAfterLabel(
  reading: Reading,
  orders: (rule: number) => boolean,
  labels: ReadonlySet<string>,
): Token | null {
  const { tokens } = reading;
  for (const t of tokens) {
    if (!labels.has(t.text) || t.negated || t.quoted || t.parenthetical || !orders(t.rule)) continue;
    // "HOLD: and then all of the reasons": after its colon, what follows is the label's own content.
    if (tokens[t.index + 1]?.text === ":") continue;
    const after = wordsAround(reading, t.index, 1, 6);
    const joint = after.findIndex((w, k) => k <= 1 && AFTER_LABEL.has(w.lower));
    if (joint < 0) continue;
    for (const w of after.slice(joint + 1)) {
      if (FORBIDDING.has(w.lower) || labels.has(w.text)) break;
      if ((w.pos === "NOUN" || w.pos === "PROPN") && (UNITS.has(w.lemma) || PARTS.has(w.lemma) || PARTS.has(w.lower)))
        return w;
      if (w.pos === "VERB" || w.pos === "NOUN") break;
    }
  }
  return null;
}

/** Nouns that only separate or end an item: "each followed by a line break", "a dash", "a blank line". */
const SEPARATORS = new Set(
  "line break newline space dash hyphen comma colon semicolon pipe bar tab slash period stop return blank empty".split(
    " ",
  ),
);

/** Words that open a rule, not a field: "subject line | max 8 words", "| one per line", "| only the brief's facts". */
const NOT_A_FIELD = new Set("max min maximum minimum at up under over only exactly each every one per".split(" "));

/** Where the declared unit ("subject line") ends at token i: its words, last word by lemma ("subject lines"). */
function unitEndsAt(reading: Reading, i: number, units: readonly string[][]): boolean {
  const { tokens } = reading;
  return units.some((words) => {
    for (let k = 0; k < words.length; k++) {
      const t = tokens[i - (words.length - 1 - k)];
      if (!t || t.rule !== tokens[i].rule) return false;
      const w = words[k];
      if (t.lower !== w && t.lemma !== w) return false;
    }
    return true;
  });
}

/**
 * A second part beside each item of a reply of lines whose items the exercise declares (`task.count.unit`, "subject
 * line"): the item is the whole line, so what an order puts with each one is a part the reply may not hold.
 *
 *     Write 3 subject lines, one per line, each followed by a dash and the angle it uses.
 *     Write three options, one per line, as: subject line (max 8 words) | preview text (max 12 words).
 *
 * Read by English structure: after the unit, in its ordering rule, "followed by" and a noun that is not a separator
 * (a dash, a line break, a blank line), or a field separator "|" and a noun (the line's second field). "Each followed
 * by a line break", "followed by nothing" and "never followed by a note" add no part.
 */
function partBesideItem(reading: Reading, orders: (rule: number) => boolean, unit: readonly string[]): Token | null {
  const { tokens } = reading;
  const units = unit.map((u) => u.toLowerCase().split(/\s+/));
  const unitWords = new Set(units.flat());
  // A separator, or a word of the item itself ("followed by the next subject line").
  const partOfItem = (w: Token) =>
    SEPARATORS.has(w.lemma) || SEPARATORS.has(w.lower) || unitWords.has(w.lower) || unitWords.has(w.lemma);
  for (const t of tokens) {
    if (!isWord(t) || t.negated || !orders(t.rule) || !unitEndsAt(reading, t.index, units)) continue;
    const clause = reading.clauses[t.clause];
    if (!clause || clause.condition || clause.reason) continue;
    // "subject line (max 8 words) | preview text": the line's second field.
    let k = t.index + 1;
    if (tokens[k]?.text === "(") {
      while (k < tokens.length && tokens[k].rule === t.rule && tokens[k].text !== ")") k++;
      k++;
    }
    // (A slot is one item, singular: "3 subject lines | max 8 words" is a list of rules, not a line's fields.)
    const bar = tokens[k];
    const field = tokens[k + 1];
    const slot = t.lower === t.lemma && !/s$/.test(t.lower);
    if (slot && bar?.text === "|" && bar.rule === t.rule && field?.rule === t.rule && isWord(field)) {
      const opens = field.pos === "NOUN" || field.pos === "PROPN" || field.pos === "ADJ";
      const second = wordsAround(reading, k, 1, 3).find((w) => w.pos === "NOUN" || w.pos === "PROPN");
      if (opens && !NOT_A_FIELD.has(field.lower) && !FORBIDDING.has(field.lower) && second && !partOfItem(second))
        return second;
    }
    // "..., each followed by a dash and the angle it uses".
    for (let j = t.index + 1; j < tokens.length && tokens[j].rule === t.rule && j <= t.index + 25; j++) {
      const f = tokens[j];
      if (/^[.;!?]$/.test(f.text)) break;
      if (f.lower !== "followed" || tokens[j + 1]?.lower !== "by" || f.negated || f.parenthetical) continue;
      const fc = reading.clauses[f.clause];
      if (fc?.condition || fc?.reason) continue;
      for (const w of wordsAround(reading, j + 1, 1, 8)) {
        if (FORBIDDING.has(w.lower) || w.lower === "nothing") break;
        if (w.pos !== "NOUN" && w.pos !== "PROPN") continue;
        if (partOfItem(w)) continue;
        return w;
      }
    }
  }
  return null;
}
