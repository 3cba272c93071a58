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
/** Item boundaries: commas (not inside a figure, "25,000"), semicolons, bars, middle dots, bullets, spaced slashes. */
const ITEM_SEPARATOR = /(?<!\d),|,(?!\d)|;|\||·|•|\s\/\s/g;
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

/** The quoted run when the prompt is a run of terms whose last item is the input placeholder; else null. */
export function inputAsItem(prompt: string, reading: Reading): string | null {
  const { tokens } = reading;
  const verb = (t: Token) => ordersSomething(tokens, t);
  const isWord = (t: Token) => WORD_CHAR.test(t.text);
  for (const m of prompt.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    const before = prompt.slice(0, at);
    if (!SAME_LINE.test(before) && !LINE_END.test(before)) continue;
    const blank = before.search(/\n[ \t]*\n(?![\s\S]*\n[ \t]*\n)/);
    const runStart = blank < 0 ? 0 : blank + 1;
    const run = before.slice(runStart).replace(/[\s,;|·•/]+$/, "");
    // The run's words, item by item (the tokens and the separators are both in text order).
    const items: Token[][] = [[]];
    const seps = [...run.matchAll(ITEM_SEPARATOR)].map((sep) => runStart + (sep.index ?? 0));
    let k = 0;
    for (const t of tokens) {
      if (t.start < runStart) continue;
      if (t.end > runStart + run.length) break;
      while (k < seps.length && t.start >= seps[k]) {
        items.push([]);
        k++;
      }
      if (isWord(t)) items[items.length - 1].push(t);
    }
    const filled = items.filter((w) => w.length > 0);
    if (filled.length < MIN_ITEMS) continue;
    // (One word is a term whatever its tag: "wants", "cancel", "cache"; so is a name, "Loom & Thread".)
    const orders = (w: Token[]) => w.length > 1 && !isName(w) && (opensWithOrder(w) || w.some(verb));
    // "Summarise the chat: 80 words, ...": an order opening the run makes the items its constraints.
    if (orders(filled[0])) continue;
    if (filled.filter(orders).length * 3 > filled.length) continue;
    if (filled.filter((w) => w.length > TERM_WORDS).length * 5 > filled.length) continue;
    // An order anywhere else in the prompt (a sentence above the run, a line after the placeholder) instructs.
    const end = at + m[0].length;
    const outside = (t: Token | undefined) => t !== undefined && (t.end <= runStart || t.start >= end);
    if (tokens.some((t) => outside(t) && verb(t))) continue;
    if (reading.rules.some((r) => outside(tokens[r.from]) && opensWithOrder(tokens.slice(r.from, r.to).filter(isWord))))
      continue;
    const text = prompt.slice(runStart, end).replace(/\s+/g, " ").trim();
    return text.length > 60 ? `…${text.slice(-60)}` : text;
  }
  return null;
}
