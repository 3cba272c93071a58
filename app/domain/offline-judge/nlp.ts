import model from "wink-eng-lite-web-model";
import winkNLP, { type WinkMethods } from "wink-nlp";
import { compileSafeRegex, type SafeRegex } from "~/domain/safe-regex";

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
  // The parts of the identifier being joined into out's last token: its text is set once the identifier ends, so a
  // chain of 10,000 parts is joined once, not re-copied and re-tested at every part.
  let parts: string[] | null = null;
  const closeIdentifier = () => {
    if (!parts) return;
    const text = parts.join("");
    const lower = text.toLowerCase();
    out[out.length - 1] = { ...out[out.length - 1], text, lower, lemma: lower, pos: "X" };
    parts = null;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const last = out[out.length - 1];
    const next = tokens[i + 1];
    if (!parts && last && last.end === t.start && ARROWS.has(last.text + t.text) && last.pos !== "X") {
      const joined = last.text + t.text;
      out[out.length - 1] = { ...last, text: joined, lower: joined, lemma: joined, pos: "SYM", end: t.end };
    } else if (
      last &&
      t.text === "." &&
      next &&
      last.end === t.start &&
      t.end === next.start &&
      (parts !== null || IDENTIFIER_PART.test(last.text.replace(/\./g, ""))) &&
      IDENTIFIER_PART.test(next.text) &&
      /^[\p{Ll}\p{N}_$]/u.test(next.text)
    ) {
      parts ??= [last.text];
      parts.push(t.text, next.text);
      out[out.length - 1] = { ...last, end: next.end };
      to[i] = out.length - 1;
      i++;
    } else {
      closeIdentifier();
      out.push(t);
    }
    to[i] = out.length - 1;
  }
  closeIdentifier();
  for (let k = 0; k < keep.length; k++) if (keep[k] >= 0) keep[k] = to[keep[k]];
  return out;
}

/**
 * Two of wink-nlp's token patterns (its model's "url" and "email") backtrack quadratically in the length of an unspaced
 * run: its tokenizer tries both on every run, and a 16,000-character base64 line cost ~1 s of CPU per grade. Each
 * needs a literal that most runs lack ("//" for a URL, "@" for an address), so where the run has none they answer
 * "no match" without running, as they would after the scan. A run with the literal is read by the pattern itself up
 * to `NATIVE_LONGEST` characters (any real address and nearly every link: at most ~0.2 ms a run however it is built),
 * and past that by the same pattern on RE2 (re2js, `safe-regex.ts`), linear in the run: "http://" then 16,000
 * letters took ~1.8 s of CPU on the backtracking engine. Matched by their exact source: another model keeps its own
 * patterns as they are.
 */
export const NATIVE_LONGEST = 256;
export const NEEDS_LITERAL = new Map<string, string>([
  [
    String.raw`(?:(?:(?:https?|ftp):)?\/\/)(?:\S+(?::\S*)?@)?(?:(?:(?:[a-z\u00A1-\uFFFF\d]-*)*[a-z\u00A1-\uFFFF\d]+)(?:\.(?:[a-z\u00A1-\uFFFF\d]-*)*[a-z\u00A1-\uFFFF\d]+)*(?:\.(?:[a-z\u00A1-\uFFFF]{2,})))(?::\d{2,5})?(?:[\/?#]\S*)?`,
    "//",
  ],
  [
    String.raw`[-!#$%&'*+\/=?^\w{|}~](?:\.?[-!#$%&'*+\/=?^\w${"`"}{|}~])*@[a-z0-9](?:-?\.?[a-z0-9])*(?:\.[a-z](?:-?[a-z0-9])*)+`,
    "@",
  ],
]);

/**
 * The pattern, read at once where `literal` is absent and on RE2 where the run is longer than `NATIVE_LONGEST`.
 * wink-nlp's tokenizer asks the pattern for `match` and `split` (with the "g" flag, one run at a time); its category
 * detectors and the model's features ask the same pattern anchored (`^…$`) with `test`, which calls `exec`.
 */
export function needingLiteral(re: RegExp, literal: string): RegExp {
  let linear: SafeRegex | null = null;
  const onRe2 = (): SafeRegex => {
    if (linear) return linear;
    const compiled = compileSafeRegex(re.source, re.flags);
    if (!compiled.ok) throw new Error(`wink-nlp's pattern does not run on RE2: ${compiled.error}`);
    linear = compiled.regex;
    return linear;
  };
  if (!re.global) {
    const exec = RegExp.prototype.exec;
    Object.defineProperty(re, "exec", {
      value(this: RegExp, text: string): RegExpExecArray | null {
        if (!text.includes(literal)) return null;
        if (text.length <= NATIVE_LONGEST) return exec.call(this, text);
        const m = onRe2().find(text);
        if (!m) return null;
        return Object.assign([m.text] as [string], {
          index: m.index,
          input: text,
          groups: undefined,
        }) as RegExpExecArray;
      },
    });
    return re;
  }
  const match = RegExp.prototype[Symbol.match];
  const split = RegExp.prototype[Symbol.split];
  Object.defineProperty(re, Symbol.match, {
    value(this: RegExp, text: string) {
      if (!text.includes(literal)) return null;
      if (text.length <= NATIVE_LONGEST) return match.call(this, text);
      const found = onRe2().findAll(text);
      return found.length ? found.map((m) => m.text) : null;
    },
  });
  Object.defineProperty(re, Symbol.split, {
    value(this: RegExp, text: string, limit?: number) {
      if (limit === 0) return [];
      if (!text.includes(literal)) return [text];
      if (text.length <= NATIVE_LONGEST) return split.call(this, text, limit);
      const pieces: string[] = [];
      let from = 0;
      for (const m of onRe2().findAll(text)) {
        pieces.push(text.slice(from, m.index));
        from = m.end;
      }
      pieces.push(text.slice(from));
      return limit === undefined ? pieces : pieces.slice(0, limit);
    },
  });
  return re;
}

/** The literal a wink-nlp pattern needs, for the pattern as the tokenizer runs it or anchored as its detectors do. */
function literalOf(source: string): string | undefined {
  return (
    NEEDS_LITERAL.get(source) ??
    (source.startsWith("^") && source.endsWith("$") ? NEEDS_LITERAL.get(source.slice(1, -1)) : undefined)
  );
}

/**
 * wink-eng-lite-web-model's `isAbbrev` feature is `/[a-z].*\.$/i.test(word)`, run on every word the model does not
 * know: unanchored, it rescans the rest of the word from each letter, so an unspaced 16,000-letter word cost ~0.5 s
 * of CPU. The same answer in one pass from the end: the word ends with "." and an ASCII letter stands before it with
 * no line break in between (`.` does not cross one).
 */
export function isAbbrev(word: string): 0 | 1 {
  if (word.length < 2 || word.charCodeAt(word.length - 1) !== 46) return 0;
  for (let i = word.length - 2; i >= 0; i--) {
    const c = word.charCodeAt(i);
    if ((c | 32) >= 97 && (c | 32) <= 122) return 1;
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return 0;
  }
  return 0;
}

/**
 * wink-nlp adds every word it has not met to its model's lexicon and keeps it for the life of the instance: ~140
 * bytes a new word, so 400 prompts of 2,000 unseen words kept 118 MB, and a learner sending random text could grow a
 * server's memory without end. The instance is read afresh once its lexicon has grown by `LEXICON_GROWTH` words
 * (~30 MB; a reload costs ~150 ms of CPU, so at most once per ~100 such prompts, never on ordinary ones).
 */
export const LEXICON_GROWTH = 200_000;
let lexicon: { list: unknown[]; intrinsicSize: number } | null = null;

/** Words wink-nlp has added to its lexicon since it loaded. */
export function lexiconGrowth(): number {
  return lexicon ? lexicon.list.length - lexicon.intrinsicSize : 0;
}

/** The model with `isAbbrev` read in linear time and its lexicon in reach; every other part is the model's own. */
function linearModel(): typeof model {
  const features = model.featureFn as (...args: unknown[]) => Record<string, unknown>;
  const featureFn = (...args: unknown[]) => {
    const methods = features(...args);
    if (typeof methods.isAbbrev !== "function") throw new Error("wink-eng-lite-web-model: no isAbbrev feature to read");
    methods.isAbbrev = isAbbrev;
    return methods;
  };
  const core = () => {
    const loaded = (model.core as () => unknown)() as {
      features: { lexeme: { list: unknown[]; intrinsicSize: number } };
    };
    lexicon = loaded.features.lexeme;
    return loaded;
  };
  return { ...model, featureFn, core } as typeof model;
}

let guarded = 0;

/**
 * How many of wink-nlp's patterns the loaded instance guards (4 with the model this judge ships: the URL and e-mail
 * patterns as the tokenizer runs them and anchored as its detectors test them).
 */
export function guardedTokenPatterns(): number {
  instance();
  return guarded;
}

function instance(): WinkMethods {
  if (nlp) return nlp;
  guarded = 0;
  // wink-nlp compiles its model's patterns with `new RegExp(source, flags)` as it loads (compile-trex.js), the only
  // place they can be reached: the constructor is swapped for that synchronous call alone.
  const Native = RegExp;
  const Guarded = new Proxy(Native, {
    construct(target, [source, flags]: [string, string | undefined]) {
      const re = new target(source, flags);
      const literal = typeof source === "string" ? literalOf(source) : undefined;
      if (!literal) return re;
      guarded++;
      return needingLiteral(re, literal);
    },
  });
  globalThis.RegExp = Guarded;
  try {
    nlp = winkNLP(linearModel(), ["sbd", "pos"]);
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

/**
 * Lower case, typographic apostrophes made plain ("n’t" → "n't"). The replacement runs only on the few words that
 * hold one (a regex replace on every word cost ~0.2 ms of a 4,000-token prompt's ~8 ms read).
 */
function plainLower(word: string): string {
  const lower = word.toLowerCase();
  return lower.includes("’") || lower.includes("‘") ? lower.replace(/[’‘]/g, "'") : lower;
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
    const lower = plainLower(value);
    tokens.push({
      text: value,
      lower,
      lemma: plainLower(lemmas[i] ?? lower),
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
  // The next read loads the model afresh; this one's tokens are already copied out.
  if (lexiconGrowth() > LEXICON_GROWTH) nlp = null;
  return { tokens: merged, sentences };
}
