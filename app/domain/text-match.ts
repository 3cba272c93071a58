/**
 * Word-bounded, forgiving phrase matching on raw text, for the reply-size estimate (`output_tokens.target_when`),
 * which runs on every autosave and must stay cheap. (The offline judge reads prompts with NLP: offline-judge/phrases.ts.)
 *
 * A phrase matches when its words occur in order, case-insensitively, each word matching one of
 * the text's words by shared base form (plural, -ing, -ed: "label" ~ "labelled", "use" ~ "using")
 * or by one typo. Typo tolerance starts at 5 letters; substitutions and swapped letters need 7,
 * because at 5–6 letters they turn real words into other real words ("format" vs "formal",
 * "casual" vs "causal"), while a dropped or doubled letter rarely does.
 *
 * A phrase written as "/source/flags" is a regular expression on RE2 (linear time), case-insensitive unless the
 * flags include `c`.
 * A phrase with symbols beyond letters, digits, spaces, hyphens and apostrophes ("tl;dr", "order #")
 * is matched literally, still case-insensitively and word-bounded.
 */

export interface Span {
  start: number;
  end: number;
}

export interface WordToken extends Span {
  /** Lower-cased word, typographic apostrophes made plain. */
  text: string;
  forms: string[];
}

const WORD_RE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

import { compileSafeRegex, type SafeRegex } from "./safe-regex";

const LETTERS_ONLY = /^\p{L}+$/u;

export function tokenizeWords(text: string): WordToken[] {
  const out: WordToken[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const word = m[0].toLowerCase().replace(/’/g, "'");
    out.push({ text: word, start: m.index, end: m.index + m[0].length, forms: baseForms(word) });
  }
  return out;
}

/**
 * The word itself plus the bases it may be an inflection of. Two words match when their forms
 * intersect, which avoids picking one canonical stem ("using" → "use" or "us"?).
 * With `spellings`, British -ise forms also meet American -ize ones ("summarise" ~ "summarize"): the offline
 * judge asks for it; the reply-size estimate keeps to the forms as written.
 */
export function baseForms(word: string, spellings = false): string[] {
  const forms = [word];
  const add = (f: string) => {
    if (f.length >= 3 && !forms.includes(f)) forms.push(f);
  };
  const nouns = [word.endsWith("'s") ? word.slice(0, -2) : word];
  if (nouns[0] !== word) add(nouns[0]);
  const w = nouns[0];
  if (w.endsWith("ies")) nouns.push(`${w.slice(0, -3)}y`);
  else if (w.endsWith("es")) nouns.push(w.slice(0, -1), w.slice(0, -2));
  else if (w.endsWith("s") && !/(?:ss|us|is)$/.test(w)) nouns.push(w.slice(0, -1));
  // Adverbs meet their adjectives: "exactly" ~ "exact", "easily" ~ "easy".
  if (w.endsWith("ily") && w.length >= 6) nouns.push(`${w.slice(0, -3)}y`);
  else if (w.endsWith("ly") && w.length >= 6) nouns.push(w.slice(0, -2));
  if (spellings && /is(?:e|ed|es|ing|ation)$/.test(w)) nouns.push(w.replace(/is(e|ed|es|ing|ation)$/, "iz$1"));
  for (const n of nouns) {
    add(n);
    if (n.endsWith("ing") && n.length >= 5) addVerbBase(n.slice(0, -3), add);
    else if (n.endsWith("ied")) add(`${n.slice(0, -3)}y`);
    else if (n.endsWith("ed") && n.length > 4) {
      add(n.slice(0, -1));
      addVerbBase(n.slice(0, -2), add);
    }
  }
  return forms;
}

/** `stem` is what is left without -ing/-ed; a stem without a vowel ("th" of "thing") is no verb. */
function addVerbBase(stem: string, add: (f: string) => void): void {
  if (!/[aeiouy]/.test(stem)) return;
  add(stem);
  add(`${stem}e`);
  const last = stem.length - 1;
  if (last > 1 && stem[last] === stem[last - 1] && !/[aeiou]/.test(stem[last])) add(stem.slice(0, -1));
}

/**
 * True when `a` and `b` differ by at most one edit. Insertions and deletions always count;
 * substitutions and adjacent swaps only when `allowSwap` (see the module comment for why).
 */
export function withinOneEdit(a: string, b: string, allowSwap: boolean): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (!allowSwap) return false;
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function fuzzyEqual(phraseWord: string, phraseForms: string[], textForms: string[]): boolean {
  for (const f of phraseForms) if (textForms.includes(f)) return true;
  if (phraseWord.length < 5 || !LETTERS_ONLY.test(phraseWord)) return false;
  const allowSwap = phraseWord.length >= 7;
  for (const f of phraseForms) {
    if (f.length < 4) continue;
    for (const g of textForms) if (g.length >= 4 && withinOneEdit(f, g, allowSwap)) return true;
  }
  return false;
}

/** A text prepared once for many phrase look-ups. */
export interface TextIndex {
  text: string;
  words: WordToken[];
  /** form → indexes into `words`, for exact look-ups of a phrase's first word. */
  byForm: Map<string, number[]>;
  /** Distinct forms by length, for the typo-tolerant look-up. */
  formsByLength: Map<number, string[]>;
}

export function indexText(text: string): TextIndex {
  const words = tokenizeWords(text);
  const byForm = new Map<string, number[]>();
  const formsByLength = new Map<number, string[]>();
  words.forEach((w, i) => {
    for (const f of w.forms) {
      let list = byForm.get(f);
      if (!list) {
        list = [];
        byForm.set(f, list);
        const sameLength = formsByLength.get(f.length) ?? [];
        sameLength.push(f);
        formsByLength.set(f.length, sameLength);
      }
      if (list[list.length - 1] !== i) list.push(i);
    }
  });
  return { text, words, byForm, formsByLength };
}

type CompiledPhrase =
  | { kind: "words"; words: { text: string; forms: string[] }[]; gap: RegExp }
  | { kind: "regex"; re: RegExp }
  /** An author's `/…/` pattern: on RE2, linear in the text whatever the pattern (a learner controls the text). */
  | { kind: "author"; re: SafeRegex | null };

const compiled = new Map<string, CompiledPhrase>();
const REGEX_PHRASE = /^\/(.+)\/([a-z]*)$/s;
const PLAIN_PHRASE = /^[\p{L}\p{N}\s'’-]+$/u;
/** What may sit between two words of a phrase: spacing (one line break, for hard-wrapped prose), hyphens, quotes, emphasis. */
const WORD_GAP = /^[ \t\-–/'"’“”`*_()]*(?:\r?\n[ \t\-–/'"’“”`*_()]*)?$/;

function compilePhrase(phrase: string): CompiledPhrase {
  const cached = compiled.get(phrase);
  if (cached) return cached;
  let result: CompiledPhrase;
  const rx = REGEX_PHRASE.exec(phrase.trim());
  if (rx) {
    // Case-insensitive unless the author adds `c`, as in the offline judge's phrases.
    const flags = rx[2].includes("c") ? rx[2].replace(/[^ims]/g, "") : `${rx[2].replace(/[^ims]/g, "")}i`;
    const safe = compileSafeRegex(rx[1], flags);
    // A pattern RE2 refuses (exercises:check reports it) matches nothing rather than stopping the estimate.
    result = { kind: "author", re: safe.ok ? safe.regex : null };
  } else if (PLAIN_PHRASE.test(phrase) && tokenizeWords(phrase).length > 0) {
    result = {
      kind: "words",
      words: tokenizeWords(phrase).map((w) => ({ text: w.text, forms: w.forms })),
      gap: WORD_GAP,
    };
  } else {
    // Word-bounded only at ends that are word characters: "order #" must still match "order #NW-1".
    const trimmed = phrase.trim();
    const literal = trimmed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
    const before = /^[\p{L}\p{N}]/u.test(trimmed) ? "(?<![\\p{L}\\p{N}])" : "";
    const after = /[\p{L}\p{N}]$/u.test(trimmed) ? "(?![\\p{L}\\p{N}])" : "";
    result = { kind: "regex", re: new RegExp(`${before}${literal}${after}`, "giu") };
  }
  if (compiled.size > 5000) compiled.clear();
  compiled.set(phrase, result);
  return result;
}

function firstWordCandidates(index: TextIndex, word: { text: string; forms: string[] }): number[] {
  const hits = new Set<number>();
  for (const f of word.forms) for (const i of index.byForm.get(f) ?? []) hits.add(i);
  if (word.text.length >= 5 && LETTERS_ONLY.test(word.text)) {
    const allowSwap = word.text.length >= 7;
    for (const f of word.forms) {
      if (f.length < 4) continue;
      for (let len = f.length - 1; len <= f.length + 1; len++) {
        for (const g of index.formsByLength.get(len) ?? []) {
          if (g.length >= 4 && withinOneEdit(f, g, allowSwap)) for (const i of index.byForm.get(g) ?? []) hits.add(i);
        }
      }
    }
  }
  return [...hits].sort((a, b) => a - b);
}

/** Every non-overlapping occurrence of `phrase` in the indexed text, in order (at most `limit`). */
export function findPhrase(index: TextIndex, phrase: string, limit = 50): Span[] {
  const c = compilePhrase(phrase);
  const out: Span[] = [];
  if (c.kind === "author") {
    for (const m of c.re?.matches(index.text) ?? []) {
      if (m.end === m.index) continue;
      out.push({ start: m.index, end: m.end });
      if (out.length >= limit) break;
    }
    return out;
  }
  if (c.kind === "regex") {
    c.re.lastIndex = 0;
    for (const m of index.text.matchAll(c.re)) {
      if (m[0].length === 0) continue;
      out.push({ start: m.index, end: m.index + m[0].length });
      if (out.length >= limit) break;
    }
    return out;
  }
  const { words } = index;
  let nextFree = 0;
  for (const i of firstWordCandidates(index, c.words[0])) {
    if (i < nextFree || i + c.words.length > words.length) continue;
    let ok = true;
    for (let j = 1; j < c.words.length && ok; j++) {
      const prev = words[i + j - 1];
      const cur = words[i + j];
      ok =
        c.gap.test(index.text.slice(prev.end, cur.start)) && fuzzyEqual(c.words[j].text, c.words[j].forms, cur.forms);
    }
    if (!ok) continue;
    out.push({ start: words[i].start, end: words[i + c.words.length - 1].end });
    nextFree = i + c.words.length;
    if (out.length >= limit) break;
  }
  return out;
}

/** Convenience for one-off checks; prefer `indexText` + `findPhrase` for many phrases. */
export function containsPhrase(text: string, phrase: string): boolean {
  return findPhrase(indexText(text), phrase, 1).length > 0;
}
