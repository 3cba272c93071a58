import { ordersSomething } from "./bare-terms";
import { DIRECTIVE_VERBS, type Reading, type Token } from "./reading";

/**
 * The input placeholder written as one more item of a list of terms:
 *
 *     Fernhill Home, subject line max 45 chars, no emojis, no capitals, ..., static prefix, cache, {{input}}
 *     JSON only, parties exactly as written, effective_date YYYY-MM-DD, ..., null never a guess, no default, {{input}}
 *
 * In English a comma, a semicolon or a bar before the last item of a list puts that item on a par with the others:
 * here the ticket, contract or campaign the model is to work on is listed beside "no emojis" and "cache". A prompt
 * that instructs hands the input over as such, on its own line, after a label or a colon ("Contract: {{input}}"), or
 * as the object of its order ("Summarise {{input}}"). A prompt that is one run of terms ending on the placeholder, with
 * no order opening it, few orders among its items (a third at most) and no order anywhere else, lists terms: it is gaming.
 *
 * What still instructs: an order opening the run ("Summarise the chat: 80 words max, no greetings, ..., {{input}}"),
 * an order elsewhere in the prompt (a sentence above the run), a run of a few items, a template's slots or key lines
 * ("ticket: |" before an indented placeholder is YAML, not a list).
 */

const PLACEHOLDER = /\{\{\s*[\w.-]+\s*\}\}/g;
/** Separators of a list's items on one line; a comma or semicolon may also end the line before the placeholder's. */
const SAME_LINE = /(?:,|;|\||·|•|\s\/)[ \t]*$/;
const LINE_END = /[,;][ \t]*\r?\n[ \t]*$/;
/**
 * Item boundaries: a comma or semicolon before a space or the line's end (not "25,000", not "id;label;topic"), bars,
 * middle dots, bullets, spaced slashes.
 */
const ITEM_SEPARATOR = /[,;](?=\s|$)|\||·|•|\s\/\s/g;
/** ...and in a column of terms, the line break. */
const ITEM_OR_LINE = /[,;](?=\s|$)|\||·|•|\s\/\s|\n/g;
const WORD_CHAR = /[\p{L}\p{N}]/u;

const MIN_ITEMS = 5;
/** Items of more than this many words read as sentences, not terms. */
const TERM_WORDS = 6;

/** A short run of capitalised words is a name ("Loom & Thread", "Harbour Bank"), not an order. */
const isName = (w: Token[]) => w.length <= 3 && w.every((t) => /^\p{Lu}/u.test(t.text));

/** "Route the ticket ...", "keep order numbers": an order in its base form opens the words (a tagger may call it a noun). */
function opensWithOrder(words: readonly Token[]): boolean {
  const first = words[0];
  return first !== undefined && DIRECTIVE_VERBS.has(first.lower) && first.text !== first.text.toUpperCase();
}

/** The words of a run of text, item by item (the tokens and the separators are both in text order). */
function runItems(reading: Reading, from: number, text: string, separator = ITEM_SEPARATOR): Token[][] {
  const items: Token[][] = [[]];
  const seps = [...text.matchAll(separator)].map((sep) => from + (sep.index ?? 0));
  let k = 0;
  for (const t of reading.tokens) {
    if (t.start < from) continue;
    if (t.end > from + text.length) break;
    while (k < seps.length && t.start >= seps[k]) {
      items.push([]);
      k++;
    }
    if (WORD_CHAR.test(t.text)) items[items.length - 1].push(t);
  }
  return items.filter((w) => w.length > 0);
}

/**
 * The items are terms: five or more, no order opening them, at most a third of them ordering anything (one word, or
 * a name, orders nothing whatever its tag: "wants", "cancel", "Loom & Thread"), and few of them long.
 */
function termItems(reading: Reading, items: Token[][]): boolean {
  if (items.length < MIN_ITEMS) return false;
  const orders = (w: Token[]) =>
    w.length > 1 && !isName(w) && (opensWithOrder(w) || w.some((t) => ordersSomething(reading.tokens, t)));
  // "Summarise the chat: 80 words, ...": an order opening the run makes the items its constraints.
  if (orders(items[0])) return false;
  if (items.filter(orders).length * 3 > items.length) return false;
  return items.filter((w) => w.length > TERM_WORDS).length * 5 <= items.length;
}

const quoted = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 60 ? `…${flat.slice(-60)}` : flat;
};

/** The quoted run when the prompt is a run of terms whose last item is the input placeholder; else null. */
export function inputAsItem(prompt: string, reading: Reading): string | null {
  const { tokens } = reading;
  const isWord = (t: Token) => WORD_CHAR.test(t.text);
  for (const m of prompt.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    const before = prompt.slice(0, at);
    // (Both patterns end the text and hold one line break at most: its last two lines are enough to test.)
    const lastLines = before.slice(Math.max(0, before.lastIndexOf("\n", before.lastIndexOf("\n") - 1)));
    if (!SAME_LINE.test(lastLines) && !LINE_END.test(lastLines)) continue;
    const blank = before.search(/\n[ \t]*\n(?![\s\S]*\n[ \t]*\n)/);
    const runStart = blank < 0 ? 0 : blank + 1;
    const run = before.slice(runStart).replace(/[\s,;|·•/]+$/, "");
    if (!termItems(reading, runItems(reading, runStart, run))) continue;
    // An order anywhere else in the prompt (a sentence above the run, a line after the placeholder) instructs.
    const end = at + m[0].length;
    const outside = (t: Token | undefined) => t !== undefined && (t.end <= runStart || t.start >= end);
    if (tokens.some((t) => outside(t) && ordersSomething(tokens, t))) continue;
    if (reading.rules.some((r) => outside(tokens[r.from]) && opensWithOrder(tokens.slice(r.from, r.to).filter(isWord))))
      continue;
    return quoted(prompt.slice(runStart, end));
  }
  return null;
}

/** Marks of notation: a key and its colon, an arrow, an equals sign, a bar, a brace or a template's slot. */
const NOTATION = /(?:^|\s)[\p{L}_][\p{L}\p{N}_ -]{0,30}:\s|->|=>|→|⇒|=|\||\{|\}|<[^<>\n]{1,30}>/u;
/** What ends a sentence or groups its parts (before a space: "id;label;topic" is one term); inside quotes or brackets it is the quoted text's. */
const PUNCTUATION = /[.,;:!?](?=\s|$)/;
const GRAMMAR_POS = new Set(["DET", "ADP", "CCONJ", "SCONJ", "PRON", "AUX", "PART"]);
const NEGATIONS = new Set(["no", "not", "never", "n't", "without"]);
/** A line of this many words with no punctuation at all is a run of terms when next to none of them is grammar. */
const LONG_RUN = 15;

/**
 * The prompt is, besides its input placeholder, nothing but one run of terms, the placeholder on a line of its own:
 *
 *     PIN, password, one-time code, CVV, full card number, never ask, mask last 4 digits, ..., 80 words, polite
 *     {{input}}
 *
 *     {{input}}
 *     POS NEG MIXED SKIP delivery quality price service other id;label;topic input order every id exactly once ...
 *
 * One paragraph, no list markers and no notation (a "KEY: value" line, an arrow, a template is a spec, read rule by
 * rule), that is either a list of terms (see `termItems`) or a long line with no punctuation and next to no grammar
 * words (a sentence has its articles, prepositions and conjunctions). Nothing in it orders the job: it names what the
 * brief asks for and leaves the model to guess what to do with the input.
 */
export function termsBesideInput(prompt: string, reading: Reading): string | null {
  if (!PLACEHOLDER.test(prompt)) return null;
  PLACEHOLDER.lastIndex = 0;
  const text = reading.text;
  const from = text.search(/\S/);
  if (from < 0) return null;
  const to = text.trimEnd().length;
  const body = text.slice(from, to);
  if (/\n[ \t]*\n/.test(body) || /(?:^|\n)\s*(?:[-*•+#>]|\d{1,3}[.)])\s/.test(body) || NOTATION.test(body)) return null;
  const words = reading.tokens.filter((t) => WORD_CHAR.test(t.text));
  const first = words[0];
  if (!first || opensWithOrder(words)) return null;
  // A full stop between two parts makes sentences, however terse ("8 words tops. Just the lines, no notes.").
  const unquoted = body.replace(/"[^"]*"|“[^”]*”|\[[^\]]*\]|\([^)]*\)/g, "");
  if (/[.!?]\s+\S/.test(unquoted)) return null;
  // "write a friendly answer", "keep the order number": an order with its object's article is a clause of a sentence.
  const { tokens } = reading;
  const clause = (t: Token, i: number) =>
    words[i + 1]?.pos === "DET" &&
    !NEGATIONS.has(words[i + 1].lower) &&
    (ordersSomething(tokens, t) || opensWithOrder([t]));
  if (words.some(clause)) return null;
  // Lines stacked in a column are items as well: "static prefix first ⏎ greet first name ⏎ only facts ⏎ {{input}}".
  if (body.includes("\n") && termItems(reading, runItems(reading, from, body, ITEM_OR_LINE))) return quoted(body);
  const items = runItems(reading, from, body);
  if (items.length > 1) return termItems(reading, items) ? quoted(body) : null;
  // One run with no separator: long, unpunctuated (outside quotes and brackets) and with next to no grammar.
  if (words.length < LONG_RUN || PUNCTUATION.test(unquoted)) return null;
  const grammar = words.filter((t) => GRAMMAR_POS.has(t.pos) && !NEGATIONS.has(t.lower)).length;
  return grammar <= 0.15 * words.length ? quoted(body) : null;
}
