import { conditionAndOutcome, emptyCase, type FallbackSlot, holdsValue } from "./fallback-value";
import { optionPointers } from "./option-pointer";
import { quoteRule, type Reading, type Token } from "./reading";

/**
 * The empty case given a guess: the description names the value the reply holds when nothing fits or the input says
 * nothing ("other when nothing fits", "owner ... or null; never a suggested owner"), the prompt tells the model to pick
 * something in that case instead:
 *
 *     If no value clearly fits product or topic, choose the closest one rather than falling back.
 *     owner: the name as written; if nobody took it on, the attendee best placed to do it
 *     due: the deadline in the notes, and where none was agreed, default to one week after the meeting
 *     product (if not named, your best guess from the description)
 *
 * The empty case is read as fallback-value.ts reads it ("doesn't fit any", "not stated", "none"), and also as nobody
 * taking a thing on ("nobody", "no one"); its outcome is the words after its comma, or the clause it governs. An
 * outcome that holds a word of guessing (closest, best, likely, default, estimate, assume...) and not the slot's value
 * replaces the value with a guess; so does, where the value is null, one that picks by description ("the attendee
 * whose area it falls in", "whoever fits"). "Unassigned", "unclaimed" and "unowned" say nobody took the thing on. A guess the outcome rules out ("rather than guess", "never the closest") is no guess.
 */

const GUESS = new Set([
  "guess",
  "guesses",
  "estimate",
  "closest",
  "nearest",
  "best",
  "likeliest",
  "likely",
  "probable",
  "probably",
  "suitable",
  "default",
  "assume",
  "infer",
  "typical",
  "reasonable",
  "plausible",
  "approximate",
]);
/** Words after which a guess is ruled out: "rather than the closest", "instead of guessing", "never guess". */
const RULED_OUT = new Set(["rather", "instead", "not", "n't", "never", "no", "avoid", "without"]);
const OPENERS = new Set(["if", "when", "whenever", "where", "wherever"]);
const JOINS = new Set(["and", "or", "but", ",", ";", "("]);
const EMPTY = new Set(["null", "none", "empty", "blank", "nil"]);

/** Words that say nobody has the thing: "if unassigned", "when an item is unclaimed". */
const UNTAKEN = new Set(["nobody", "unassigned", "unclaimed", "unowned"]);
/** Outcome words that pick someone or something by description: "the attendee whose area it is", "whoever fits". */
const PICKED_BY = new Set(["whose", "whoever", "whichever"]);

/** "if nobody took it on", "when no one volunteered", "if unassigned": nobody to take the thing on is an empty case too. */
function nobody(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (UNTAKEN.has(tokens[i].lower)) return true;
    if (tokens[i].lower === "no" && tokens[i + 1]?.lower === "one" && i + 1 < to) return true;
  }
  return false;
}

/** Verbs that put a value in the empty case's place: "use the meeting date", "set it to the ticket's date". */
const PUTS = new Set(["use", "take", "put", "fill", "set", "substitute"]);
const ARTICLES = new Set(["the", "a", "an", "its", "their", "it", "to", "in", "with"]);

/**
 * Another value put where the empty one goes: a verb of putting followed by a thing ("use the meeting date itself"),
 * or a figure added to one ("meeting date + 7 days", "the meeting date plus a week"). Only read where the outcome
 * holds none of the slot's own value.
 */
function substitute(tokens: Token[], i: number, to: number, from: number): boolean {
  const w = tokens[i];
  if ((w.text === "+" || w.lower === "plus") && i + 1 < to && /^(?:\d|a$|one$|two$|seven$)/i.test(tokens[i + 1].lower))
    return i > 0 && tokens[i - 1].pos === "NOUN";
  // The tagger may read a clause's opening imperative as a noun: "..., use the meeting date", "if none is stated use
  // the date ..." (the outcome starts at it).
  const opens = i === 0 || i === from || /^[,;:]$/.test(tokens[i - 1].text) || tokens[i - 1].lower === "then";
  if (!PUTS.has(w.lemma.toLowerCase()) || (w.pos !== "VERB" && !opens)) return false;
  let k = i + 1;
  while (k < to && ARTICLES.has(tokens[k].lower)) k++;
  return k < to && (tokens[k].pos === "NOUN" || tokens[k].pos === "ADJ") && !tokens[k].quoted;
}

/** A clause that opens with a condition, after "and" / "or" if any: ", and where none was agreed, default ...". */
function opensCondition(tokens: Token[], from: number, to: number): boolean {
  let i = from;
  while (i < to && JOINS.has(tokens[i].lower)) i++;
  return i < to && OPENERS.has(tokens[i].lower);
}

/** Words that open an empty case written as a label: "No due date: ...", "Without an owner: ...", "Missing date -> ...". */
const LABEL_OPENERS = new Set(["no", "without", "missing"]);
const LABEL_ENDS = new Set([":", "->", "→", "=", "=>"]);

/**
 * The empty case written as a label, its outcome after the colon or arrow: "No due date: use the meeting date itself",
 * "No owner -> the chair". A short clause (up to four words) that opens with no / without / missing and ends at the
 * colon; the outcome is the next clause of the same rule.
 */
function labelledCase(reading: Reading, k: number): [number, number] | null {
  const { tokens } = reading;
  const clause = reading.clauses[k];
  const next = reading.clauses[k + 1];
  if (!next || next.rule !== clause.rule || clause.to - clause.from > 6) return null;
  if (!LABEL_OPENERS.has(tokens[clause.from].lower) || !LABEL_ENDS.has(tokens[clause.to - 1].text)) return null;
  return [next.from, next.to];
}

/**
 * The empty case as a condition after its outcome, with "when" in the middle of a clause (the reader opens a clause at a
 * mid-sentence "if" but not at "when", which also asks a question): "or the meeting date + 7 days when none was set".
 * The outcome is the words before "when", read as the empty case's value only when they are one: an alternative ("or
 * the meeting date + 7 days when none was set") or a bare value with no verb ("the meeting date plus a week when none
 * is stated"). "Use the meeting date to work out weekdays when no year is given" says how, not what the case gets.
 */
function trailingCase(reading: Reading, from: number, to: number): [number, number] | null {
  const { tokens } = reading;
  let first = from;
  while (first < to && /^[,;:(-]$/.test(tokens[first].text)) first++;
  const alternative = first < to && ALTERNATIVES.has(tokens[first].lower);
  for (let k = first + 2; k < to - 1; k++) {
    const w = tokens[k].lower;
    if (w !== "when" && w !== "whenever") continue;
    if (!emptyCase(reading, k + 1, to) && !nobody(tokens, k + 1, to)) return null;
    const bare = tokens.slice(first, k).every((t) => t.pos !== "VERB" && t.pos !== "AUX");
    return alternative || bare ? [first, k] : null;
  }
  return null;
}
const ALTERNATIVES = new Set(["or", "otherwise", "else"]);

/** Where a clause says what the empty case gets: after its condition, before a trailing "when", after its label. */
function emptyCaseOutcomes(reading: Reading, clause: Reading["clauses"][number]): [number, number][] {
  const { tokens } = reading;
  if (!clause.condition && !opensCondition(tokens, clause.from, clause.to)) {
    const found = trailingCase(reading, clause.from, clause.to) ?? labelledCase(reading, clause.index);
    return found ? [found] : [];
  }
  const { end, outcome } = conditionAndOutcome(tokens, clause);
  if (!emptyCase(reading, clause.from, end) && !nobody(tokens, clause.from, end)) return [];
  const partner = clause.partner === null ? undefined : reading.clauses[clause.partner];
  return [outcome, partner && partner.rule === clause.rule ? [partner.from, partner.to] : null].filter(
    (s): s is [number, number] => s !== null && s[1] > s[0],
  );
}

/**
 * "B) Not in the excerpts." and "Use B when no excerpt answers": a rule that points at a shown option holding the value
 * gives the empty case that value (option-pointer.ts), whatever verb points at it ("use the second").
 */
function pointsAtValue(reading: Reading, rule: number, slot: FallbackSlot): boolean {
  for (const [option, pointers] of optionPointers(reading)) {
    if (!pointers.includes(rule)) continue;
    const r = reading.rules[option];
    if (holdsValue(reading.tokens.slice(r.from, r.to), slot)) return true;
  }
  return false;
}

/** The first rule that answers the empty case with a guess, quoted with its line, or null. */
export function guessedFallback(
  reading: Reading,
  slot: FallbackSlot,
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  const { tokens } = reading;
  const own = (w: Token) =>
    w.text === slot.value ||
    w.lower === slot.value ||
    ((slot.value === "null" || slot.value === "none") && EMPTY.has(w.lower));
  for (const clause of reading.clauses) {
    if (clause.rule < 0 || !breaks(clause.rule)) continue;
    const spans = emptyCaseOutcomes(reading, clause);
    for (const [from, to] of spans) {
      const words = tokens.slice(from, to);
      if (words.some(own) || holdsValue(words, slot) || pointsAtValue(reading, clause.rule, slot)) continue;
      let ruledOut = false;
      for (const w of words) {
        if (RULED_OUT.has(w.lower)) ruledOut = true;
        // (Not the negation the reader carries over from the condition: "where none was agreed, default to ...".)
        if (ruledOut || w.quoted) continue;
        if (
          GUESS.has(w.lower) ||
          GUESS.has(w.lemma.toLowerCase()) ||
          (slot.value === "null" && PICKED_BY.has(w.lower)) ||
          substitute(tokens, w.index, to, from)
        ) {
          const rule = reading.rules[clause.rule];
          return { line: rule.line, quote: quoteRule(reading, rule) };
        }
      }
    }
  }
  return null;
}
