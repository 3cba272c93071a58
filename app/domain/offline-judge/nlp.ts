import model from "wink-eng-lite-web-model";
import winkNLP, { type WinkMethods } from "wink-nlp";

/**
 * The English NLP layer of the offline judge: wink-nlp with its small English model (sentence
 * boundaries, part of speech, lemmas). Loaded once per process, on first use (about 60 ms, ~30 MB).
 *
 * Chosen over compromise by measurement (bench/judge-nlp.ts): on the same 40,000-character text,
 * wink-nlp tokenised, tagged and lemmatised in ~18 ms warm, compromise in ~950 ms, and the judge's
 * budget is 50 ms for a 4,000-token prompt.
 */

export interface NlpToken {
  /** The token as written. */
  text: string;
  /** Lower case, typographic apostrophes made plain ("n’t" → "n't"). */
  lower: string;
  lemma: string;
  /** Universal POS tag (VERB, NOUN, AUX, PART, DET, ...). */
  pos: string;
  start: number;
  end: number;
  /** True when wink-nlp reads a line break before this token. */
  newlineBefore: boolean;
}

export interface NlpReading {
  tokens: NlpToken[];
  /** Sentence spans as [first token, last token] (inclusive), in `tokens` indexes. */
  sentences: [number, number][];
}

let nlp: WinkMethods | null = null;

const ARROWS = new Set(["->", "=>", "<=", ">=", "<-"]);

/** A word with a dot inside and no space around it ("console.log", "user.email", "example.com"). */
const IDENTIFIER_PART = /^[\p{L}\p{N}_$]+$/u;

/**
 * Joins what the tokenizer splits but a reader takes as one: "->" and "=>" (two symbols, one arrow), and
 * "console.log", "order.id", "example.com" (a dot between word parts with no space around it joins an identifier
 * and ends no sentence; "Redact.Keep", a missing space before a capital, stays two words). One pass, so a
 * 20,000-part "a.a.a..." stays linear; `keep` (original index → token) follows the merges.
 */
function mergeTokens(tokens: NlpToken[], keep: number[]): NlpToken[] {
  const out: NlpToken[] = [];
  const to = new Array<number>(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const last = out[out.length - 1];
    const next = tokens[i + 1];
    if (last && last.end === t.start && ARROWS.has(last.text + t.text) && last.pos !== "X") {
      const joined = last.text + t.text;
      out[out.length - 1] = { ...last, text: joined, lower: joined, lemma: joined, pos: "SYM", end: t.end };
    } else if (
      last &&
      t.text === "." &&
      next &&
      last.end === t.start &&
      t.end === next.start &&
      IDENTIFIER_PART.test(last.text.replace(/\./g, "")) &&
      IDENTIFIER_PART.test(next.text) &&
      /^[\p{Ll}\p{N}_$]/u.test(next.text)
    ) {
      const text = last.text + t.text + next.text;
      const lower = text.toLowerCase();
      out[out.length - 1] = { ...last, text, lower, lemma: lower, pos: "X", end: next.end };
      to[i] = out.length - 1;
      i++;
    } else out.push(t);
    to[i] = out.length - 1;
  }
  for (let k = 0; k < keep.length; k++) if (keep[k] >= 0) keep[k] = to[keep[k]];
  return out;
}

/**
 * Two of wink-nlp's token patterns (its model's "url" and "email") backtrack quadratically in the length of an unspaced
 * run: its tokenizer tries both on every run, and a 16,000-character base64 line cost ~1 s of CPU per grade. Each
 * needs a literal that most runs lack ("//" for a URL, "@" for an address), so where the run has none they answer
 * "no match" without running, as they would after the scan. Matched by their exact source: another model keeps its
 * own patterns as they are. A run with the literal is still quadratic ("http://" then 16,000 letters: ~1.8 s), so a run
 * longer than any link or address a prompt holds is not one either: an address has at most 320 characters (64 before
 * the @, 255 after), and a link in a prompt is read as words past 2,048 (browsers' old limit).
 */
const ADDRESS_LONGEST = 320;
const URL_LONGEST = 2_048;
export const NEEDS_LITERAL = new Map<string, { literal: string; longest: number }>([
  [
    String.raw`(?:(?:(?:https?|ftp):)?\/\/)(?:\S+(?::\S*)?@)?(?:(?:(?:[a-z\u00A1-\uFFFF\d]-*)*[a-z\u00A1-\uFFFF\d]+)(?:\.(?:[a-z\u00A1-\uFFFF\d]-*)*[a-z\u00A1-\uFFFF\d]+)*(?:\.(?:[a-z\u00A1-\uFFFF]{2,})))(?::\d{2,5})?(?:[\/?#]\S*)?`,
    { literal: "//", longest: URL_LONGEST },
  ],
  [
    String.raw`[-!#$%&'*+\/=?^\w{|}~](?:\.?[-!#$%&'*+\/=?^\w${"`"}{|}~])*@[a-z0-9](?:-?\.?[a-z0-9])*(?:\.[a-z](?:-?[a-z0-9])*)+`,
    { literal: "@", longest: ADDRESS_LONGEST },
  ],
]);

/**
 * The pattern, answering `match` and `split` (all wink-nlp's tokenizer asks of it) at once where `literal` is absent
 * or the run is longer than `longest`.
 */
export function needingLiteral(re: RegExp, { literal, longest }: { literal: string; longest: number }): RegExp {
  const match = RegExp.prototype[Symbol.match];
  const split = RegExp.prototype[Symbol.split];
  const mayMatch = (text: string) => text.length <= longest && text.includes(literal);
  Object.defineProperty(re, Symbol.match, {
    value(this: RegExp, text: string) {
      return mayMatch(text) ? match.call(this, text) : null;
    },
  });
  Object.defineProperty(re, Symbol.split, {
    value(this: RegExp, text: string, limit?: number) {
      if (mayMatch(text)) return split.call(this, text, limit);
      return limit === 0 ? [] : [text];
    },
  });
  return re;
}

let guarded = 0;

/** How many of wink-nlp's patterns answer at once where their literal is absent (2 with the model this judge ships). */
export function guardedTokenPatterns(): number {
  instance();
  return guarded;
}

function instance(): WinkMethods {
  if (nlp) return nlp;
  // wink-nlp compiles its model's patterns with `new RegExp(source, flags)` as it loads (compile-trex.js), the only
  // place they can be reached: the constructor is swapped for that synchronous call alone.
  const Native = RegExp;
  const Guarded = new Proxy(Native, {
    construct(target, [source, flags]: [string, string | undefined]) {
      const re = new target(source, flags);
      const need = typeof source === "string" ? NEEDS_LITERAL.get(source) : undefined;
      if (!need) return re;
      guarded++;
      return needingLiteral(re, need);
    },
  });
  globalThis.RegExp = Guarded;
  try {
    nlp = winkNLP(model, ["sbd", "pos"]);
  } finally {
    globalThis.RegExp = Native;
  }
  return nlp;
}

/**
 * Loads the English model now (~130–200 ms of CPU, +15 MB), as a server loads what its requests need before taking
 * them: the CPU pool's threads do it when they start (cpu/tasks.ts), so the first learner after a start or a deploy
 * does not wait for it.
 */
export function loadEnglish(): void {
  instance();
}

/** Tokens, tags, lemmas and sentences of `text`, with character offsets into `text`. */
export function readEnglish(text: string): NlpReading {
  const engine = instance();
  const its = engine.its;
  const doc = engine.readDoc(text);
  const all = doc.tokens();
  const values = all.out(its.value) as string[];
  // The typings do not accept its.lemma for out(); it is a token property like the others.
  const lemmas = all.out(its.lemma as unknown as typeof its.value) as (string | null)[];
  const tags = all.out(its.pos) as string[];
  const types = all.out(its.type) as string[];

  // wink-nlp keeps line breaks as tokens; the judge keeps only their effect (a flag on the next token).
  const keep: number[] = [];
  const tokens: NlpToken[] = [];
  let cursor = 0;
  let newline = false;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (types[i] === "tabCRLF") {
      if (value.includes("\n")) newline = true;
      const at = text.indexOf(value, cursor);
      if (at >= 0) cursor = at + value.length;
      keep.push(-1);
      continue;
    }
    let at = text.indexOf(value, cursor);
    // wink-nlp may normalise a token ("n’t" stays, but be safe): fall back to the next non-space.
    if (at < 0 || at - cursor > 64) {
      at = cursor;
      while (at < text.length && /\s/.test(text[at])) at++;
    }
    const end = Math.min(text.length, at + value.length);
    for (let k = cursor; k < at && !newline; k++) if (text.charCodeAt(k) === 10) newline = true;
    // ");" and ")," come out as one symbol: a closing bracket and the punctuation after it are two marks.
    if (value.length === 2 && /^[)\]}][;,.:!?]$/.test(value) && text.slice(at, end) === value) {
      for (let k = 0; k < 2; k++)
        tokens.push({
          text: value[k],
          lower: value[k],
          lemma: value[k],
          pos: "PUNCT",
          start: at + k,
          end: at + k + 1,
          newlineBefore: newline && k === 0,
        });
      keep.push(tokens.length - 1);
      newline = false;
      cursor = end;
      continue;
    }
    keep.push(tokens.length);
    const lower = value.toLowerCase().replace(/[’‘]/g, "'");
    tokens.push({
      text: value,
      lower,
      lemma: (lemmas[i] ?? lower).toLowerCase().replace(/[’‘]/g, "'"),
      pos: tags[i],
      start: at,
      end,
      newlineBefore: newline,
    });
    newline = false;
    cursor = end;
  }

  const merged = mergeTokens(tokens, keep);

  const sentences: [number, number][] = [];
  for (const [from, to] of doc.sentences().out(its.span) as [number, number][]) {
    let a = from;
    let b = to;
    while (a <= b && keep[a] < 0) a++;
    while (b >= a && keep[b] < 0) b--;
    if (a > b) continue;
    const last = sentences[sentences.length - 1];
    // A boundary inside a merged token ("console.log") is none.
    if (last && keep[a] <= last[1]) last[1] = Math.max(last[1], keep[b]);
    else sentences.push([keep[a], keep[b]]);
  }
  return { tokens: merged, sentences };
}
