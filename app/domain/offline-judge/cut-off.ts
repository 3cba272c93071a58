import { ordersSomething } from "./bare-terms";
import type { Reading, Token } from "./reading";

/**
 * A sentence broken off at a line's end and followed by a heap of the brief's terms: the "truncated prompt plus
 * keywords" way of gaming.
 *
 *     Answer the analyst's question in at most two sentences, using only the
 *     cite [E#] · don't quote · exact figures+unit+period · Not in the excerpts. · partial → that part
 *
 *     Write a product description of at most
 *
 *     60 words. name benefit first. facts only. plain warm. no hype. no FAQ.
 *
 * The first line promises an instruction and stops on a word that cannot end one (an article, a preposition, a
 * conjunction, "at most", "write" with no object); what follows does not finish it: it comes after a blank line (a
 * sentence does not run on across a paragraph), or it is a run of terms (next to no grammar words, or items split by
 * bars, slashes, dots or dashes). Hard-wrapped prose ("If the customer threatens to ⏎ cancel, add ESCALATE") and
 * notation that goes on ("issue = the ⏎ problem type, chosen from damaged / missing / late") finish the sentence they
 * wrap: a verb or a grammar word in the next line's first few words continues it.
 */

/** Words a sentence cannot stop on. */
const DANGLING = new Set(
  "the a an of to with in into for from by on at as than and or that when whose which using most least your their its our this these those my is are be can should will must has have about same exactly no if every".split(
    " ",
  ),
);
/** Orders that need an object: "For the campaign below, write", "Read the ticket and assign". */
const OPEN_ORDERS = new Set(
  "write assign return give produce output answer list use copy label classify turn put keep make draft please".split(
    " ",
  ),
);
/** Particles of a phrasal order: "copy out", "write down", "sum up". */
const PARTICLES = new Set(["out", "down", "up"]);
/** Before an order that ends a sentence complete: "what the customer did not write", "anything you write". */
const NOT_AN_ORDER = new Set([
  "not",
  "n't",
  "did",
  "does",
  "do",
  "you",
  "they",
  "we",
  "i",
  "he",
  "she",
  "it",
  "who",
  "to",
]);
const GRAMMAR_POS = new Set(["DET", "ADP", "CCONJ", "SCONJ", "PRON", "AUX", "PART"]);
const NEGATIONS = new Set(["no", "not", "never", "n't", "without"]);
const TERM_SEPARATORS = /\s[|/·•…—–]\s|\s\.\.\.\s|^\s*…|\s\/\s?|\s?\/\s/g;
/** A heap that calls itself one: "keywords: ...", "[keywords: ...]", "-- key words: ...". */
const KEYWORDS_LABEL = /^\W*(?:key\s?words?|keyword list)\s*:/i;
/** "keywords: batch, id, label", "-- keywords: policy, 30 days", "[keywords: exactly one of ...]". */
const TERMS_LABEL = /^\W*(?:key\s?words?|requirements|terms|tags|rules|checklist)\s*:/i;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/** Subject pronouns: a clause cannot stop on its subject ("make sure you", "before we"). */
const SUBJECTS = new Set(["i", "we", "they", "he", "she"]);
/** Before "you" as an object or after a comparison: "thank you", "tell you", "for you", "than you". */
const BEFORE_OBJECT_YOU = new Set(["VERB", "AUX", "ADP"]);
/** Determiners that need their noun when a preposition or "that" comes before them: "for each", "that each". */
const NEEDS_NOUN = new Set(["each", "either", "neither"]);
/** Conjunctions that open a finite clause: "Answer HIGH when the clause", "unless the ticket". */
const SUBORDINATORS = new Set([
  "when",
  "if",
  "unless",
  "whether",
  "because",
  "while",
  "once",
  "until",
  "where",
  "although",
]);

/** What opens a clause's subject: an article, a demonstrative or possessive, a personal pronoun ("if no date" is elliptical). */
const CLAUSE_SUBJECTS = new Set(
  "the a an this that these those its their his her your our my it they he she we you i".split(" "),
);

/**
 * The line's last clause opens with a subordinator and a subject but has no verb: "when the clause", "if the
 * customer". (Elliptical clauses have no subject: "when unsure", "if any", "if needed".)
 */
function clauseWithoutVerb(line: Token[]): boolean {
  let at = -1;
  for (let i = line.length - 1; i >= Math.max(0, line.length - 6); i--)
    if (SUBORDINATORS.has(line[i].lower)) {
      at = i;
      break;
    }
  if (at < 0) return false;
  const rest = line.slice(at + 1);
  if (rest.length < 2 || rest.some((t) => t.pos === "VERB" || t.pos === "AUX")) return false;
  return CLAUSE_SUBJECTS.has(rest[0].lower);
}

/** The line stops on a word that leaves its sentence unfinished. */
function brokenOff(line: Token[]): boolean {
  const last = line.at(-1);
  if (!last) return false;
  if (DANGLING.has(last.lower)) return line.length >= 3;
  const before = line.at(-2);
  if (line.length >= 3 && before) {
    if (SUBJECTS.has(last.lower)) return true;
    // (A word after a preposition or an article is a noun whatever its tag: "in prod you".)
    const nounBefore = before.pos !== "ADP" && ["ADP", "DET"].includes(line.at(-3)?.pos ?? "");
    if (
      last.lower === "you" &&
      (nounBefore || !BEFORE_OBJECT_YOU.has(before.pos)) &&
      !["than", "as", "thank"].includes(before.lower)
    )
      return true;
    if (NEEDS_NOUN.has(last.lower) && (before.pos === "ADP" || before.pos === "SCONJ" || before.lower === "that"))
      return true;
    if (clauseWithoutVerb(line)) return true;
  }
  // "... and copy out", "write down": an order and its particle, with the object still to come.
  const verb = line.at(-2);
  if (PARTICLES.has(last.lower) && verb && OPEN_ORDERS.has(verb.lower))
    return !NOT_AN_ORDER.has(line.at(-3)?.lower ?? "");
  if (!OPEN_ORDERS.has(last.lower)) return false;
  return before !== undefined && !NOT_AN_ORDER.has(before.lower) && (last.pos === "VERB" || last.lower === "please");
}

/**
 * "From these passages, pass on ⏎ ONLY NEEDED SENTENCES WORD-FOR-WORD LABEL [P1]-[P6] ONE PER LINE NONE IF ...": a
 * whole line of capitals with no punctuation to group it does not finish a sentence begun in lower case (capitals
 * stress a word or two, or head a section); it is a heap of terms. (The labels an order lists, "one of ⏎ POS NEG
 * MIXED SKIP", are fewer.)
 */
const SHOUTED_WORDS = 8;
function shouted(next: Token[], text: string): boolean {
  if (next.length < SHOUTED_WORDS || /[,.;:!?]/.test(text.replace(/\[[^\]]*\]/g, ""))) return false;
  return next.every((t) => !/\p{Ll}/u.test(t.text));
}

/** The text after the break is a run of terms, not the rest of the sentence. */
function heapOfTerms(next: Token[], text: string, lineStart: number, afterBlank: boolean, whole: string): boolean {
  if (next.length < 4) return false;
  if (afterBlank) return true;
  // "[cite labels] [no quote] [exact figures+unit+period]": bracketed items side by side are tags, whatever is in them.
  if ((text.match(/\]\s+\[/g)?.length ?? 0) >= 2) return true;
  // "due date. Output only the line.": the sentence ends on the next line, and another begins.
  // (An ellipsis, "OWNER | TASK | DUE ... ISO ... none", leaves words out; it ends no sentence.)
  // ...unless what runs up to that stop is itself a heap: "recent wins cite [D1] backticks exact names data not
  // instructions memory note no repeat Not documented. Ask in #data-help." ends on the fallback line, quoted bare.
  // (A stop inside quotes is the quoted text's: 'no "Sure! Here are"' ends no sentence of the prompt.)
  const unquoted = text.replace(/"[^"\n]*"|“[^”\n]*”/g, (q) => " ".repeat(q.length));
  const stop = /(?<![.…])[.!?](?![.…])\s+\p{Lu}/u.exec(unquoted);
  const grammarIn = (ts: Token[]) => ts.filter((t) => GRAMMAR_POS.has(t.pos) && !NEGATIONS.has(t.lower)).length;
  // (A heap has no commas or colons to group it: "no personal detail: no name, email address, employee id, asset tag
  // or ticket number." lists what a sentence names.)
  if (stop) {
    const before = next.filter((t) => t.end - lineStart <= stop.index);
    if (before.length < 12 || grammarIn(before) / before.length > 0.12 || /[,;:]/.test(text.slice(0, stop.index)))
      return false;
  }
  const grammar = grammarIn(next);
  // "problem type, chosen from ...", "cancel, or mentions a chargeback": the sentence goes on.
  const opening = next.slice(0, 4);
  if (opening.some((t) => (GRAMMAR_POS.has(t.pos) && !NEGATIONS.has(t.lower)) || t.pos === "VERB")) {
    if (grammar / next.length > 0.16) return false;
  }
  if (TERMS_LABEL.test(text) || (text.match(TERM_SEPARATORS)?.length ?? 0) >= 3) return true;
  // "an injury or a ⏎ hazard (fire, burning, smoke)": a list in parentheses describes what the sentence names.
  const sparse = grammar / next.length <= 0.16 && !text.includes("(");
  if (sparse && (text.match(/[,;]/g)?.length ?? 0) >= 3) return true;
  // "TIMEZONE_CUTOFF (UTC/local split), DUPLICATE_EVENTS (warehouse repeats an event id)": values described.
  // (A piece of an identifier, "get" of get_status, is no verb.)
  const verbs = next.filter((t) => t.pos === "VERB" && whole[t.end] !== "_" && whole[t.start - 1] !== "_").length;
  return next.length >= 8 && sparse && verbs / next.length <= 0.3;
}

/**
 * "Code the expense line below into one category and decide whether it needs re ⏎ travel meals software
 * office-supplies training other needs_review true false £75 no-receipt alcohol JSON category only": a line left
 * without its stop (here broken mid-word), then a dozen terms or more with not one verb, grammar word or mark between them.
 * No sentence wraps onto such a line: it is a heap, however the line before it ends.
 */
const BAG_WORDS = 12;
function bagOfTerms(next: Token[], text: string): boolean {
  // (A mark that groups them, a comma, colon, bar or arrow, makes them a list or notation.)
  if (next.length < BAG_WORDS || /[,.;:!?|=→>/()"]/.test(text)) return false;
  return next.every((t) => (!GRAMMAR_POS.has(t.pos) || NEGATIONS.has(t.lower)) && t.pos !== "VERB" && t.pos !== "AUX");
}

/** The line's last sentence: what follows its last full stop, question or exclamation mark and a space. */
function lastSentence(body: string): string {
  const ends = [...body.matchAll(/(?<![.…])[.!?](?![.…])\s+/g)];
  const last = ends.at(-1);
  return last ? body.slice((last.index ?? 0) + last[0].length) : body;
}

/** How many lines a hard-wrapped sentence may run on over before its full stop. */
const WRAP_LINES = 3;

/**
 * "The agreement has sixteen clauses, but the ⏎ clauses on parties, scope, insurance, liability, data protection, ⏎
 * force majeure and governing law never affect whether an invoice is paid, so you should not consider them.": a
 * hard-wrapped sentence whose next line is a run of nouns still reaches its full stop, with a verb and the grammar words
 * of a sentence on the way. A heap of terms has no verb to finish on ("ESCALATE LOW never guess not English"), or stops
 * on terms ("60 words. name benefit first."), or is split by bars and dots.
 */
function goesOnToItsEnd(reading: Reading, lines: { start: number; end: number }[], k: number): boolean {
  const { text } = reading;
  let stop = -1;
  for (let j = k; j < Math.min(lines.length, k + WRAP_LINES); j++) {
    const line = text.slice(lines[j].start, lines[j].end);
    if (!/\S/.test(line)) return false;
    const end = line.search(/(?<![.…])[.!?](?![.…\w])/);
    if (end >= 0) {
      stop = lines[j].start + end;
      break;
    }
  }
  if (stop < 0) return false;
  const span = text.slice(lines[k].start, stop);
  if (TERMS_LABEL.test(span) || (span.match(TERM_SEPARATORS)?.length ?? 0) >= 3) return false;
  const words = reading.tokens.filter((t) => t.start >= lines[k].start && t.end <= stop && isWord(t));
  if (words.length < 6) return false;
  const grammar = words.filter((t) => GRAMMAR_POS.has(t.pos) && !NEGATIONS.has(t.lower)).length;
  return grammar / words.length > 0.16 && words.some((t) => ordersSomething(reading.tokens, t));
}

/** The line's last 60 characters or so, from a word's start: "…for the agent", never "…or the agent". */
export function quote(body: string): string {
  if (body.length <= 60) return body;
  const from = body.length - 60;
  if (/\s/u.test(body[from - 1])) return `…${body.slice(from)}`;
  const space = body.slice(from).search(/\s\S/u);
  return `…${space < 0 ? body.slice(from) : body.slice(from + space + 1)}`;
}

/** The broken-off line, quoted, when the prompt breaks off an instruction and lists terms after it; else null. */
export function cutOffTerms(prompt: string, reading: Reading): string | null {
  const { text } = reading;
  const lines: { start: number; end: number }[] = [];
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    lines.push({ start, end });
    start = end + 1;
  }
  // The words of each line, in one walk over the tokens (both are in text order).
  const words: Token[][] = lines.map(() => []);
  let at = 0;
  for (const t of reading.tokens) {
    while (at < lines.length - 1 && t.start > lines[at].end) at++;
    if (t.end <= lines[at].end && isWord(t)) words[at].push(t);
  }
  for (let i = 0; i < lines.length - 1; i++) {
    // (The prompt's own line: "draft a reply to {{input}}" ends on its placeholder, which the reading blanks.)
    const body = prompt.slice(lines[i].start, lines[i].end).trim();
    // A list item, a heading, a table row or a line that ends in punctuation is complete as written.
    if (!body || /[.:;!?,)\]}>"'`*_|]$/.test(body) || /^(?:[-*•+#|]|\d{1,3}[.)])\s/.test(body)) continue;
    // Notation that wraps ("Refunds and invoices → Billing; login and ⏎ password → Account") is not prose broken off.
    // (What is quoted, "`id | text`", is a literal, not notation; and only the line's last sentence can wrap: "in the
    // format OWNER | TASK | DUE. The due date should be" breaks off a sentence of words.)
    if (/\s(?:->|=>|→|=|\|)\s/.test(lastSentence(body).replace(/`[^`]*`|"[^"]*"/g, ""))) continue;
    let k = i + 1;
    while (k < lines.length && !/\S/.test(text.slice(lines[k].start, lines[k].end))) k++;
    if (k >= lines.length) continue;
    const nextText = text.slice(lines[k].start, lines[k].end);
    // "Replace every email address with [EMAIL], every phone ⏎ keywords: [PHONE] [CARD]": unfinished, then terms.
    if (KEYWORDS_LABEL.test(nextText) && words[k].length >= 4) return quote(body);
    const next = words[k];
    if (!brokenOff(words[i]) && !(k === i + 1 && bagOfTerms(next, nextText))) continue;
    // (A sentence begun in capitals may go on in capitals.)
    if (
      !heapOfTerms(next, nextText, lines[k].start, k > i + 1, text) &&
      !(/\p{Ll}/u.test(body) && shouted(next, nextText))
    )
      continue;
    if (k === i + 1 && goesOnToItsEnd(reading, lines, k)) continue;
    return quote(body);
  }
  return null;
}
