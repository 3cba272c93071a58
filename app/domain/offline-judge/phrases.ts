import { compileSafeRegex, compileSafeRegexSet, type SafeRegex, withUnboundedRepeats } from "../safe-regex";
import { IDENTIFIER_TAG, identifierHead, phraseIdentifierHead } from "./identifier-nouns";
import { readEnglish } from "./nlp";
import { compoundVariants } from "./noun-compounds";
import { digitsAt, digitsOfWord } from "./number-words";
import { closesRestriction, postPositiveAlone, restrictorMovedAfter, restrictsWhatFollows } from "./only-scope";
import { POSSESSOR_FORM, possessiveClitic } from "./possessor";
import type { Reading, Token } from "./reading";
import { phraseVariants, synonymTag } from "./synonyms";
import { baseForms, withinOneEdit } from "./word-forms";

/**
 * Finds an author's phrase in a prompt that the judge has read, with the polarity it is said in.
 *
 * - Words match by lemma or base form ("summarise" ~ "summary"? no: ~ "summarised", "summarising"),
 *   case-insensitively, with one typo tolerated in words of 5+ letters (substitutions from 7).
 * - Between two words of a phrase the prompt may add articles and possessives ("copy THE order
 *   number"), quotes, emphasis, hyphens or a line break.
 * - Symbols are words too: "[EMAIL]", "feature_request", "order #" match as the prompt writes them.
 * - A phrase that opens with a negation names something the prompt must forbid: "don't guess"
 *   matches "never guess", "no guessing", "avoid guessing", "use null instead of guessing"; the
 *   rest of the phrase must be negated where it is found.
 * - "/source/flags" is a regular expression on the text, case-insensitive unless its flags include
 *   `c`; its polarity is that of its first word.
 */

export interface CompiledPhrase {
  source: string;
  /** The phrase forbids what it names ("no explanation"): it must be found negated. */
  negative: boolean;
  words: PhraseWord[];
  /** The same phrase said with a multiword equivalent ("don't make up" for "don't invent"). */
  variants: PhraseWord[][];
  /** "only the rows" said "rows only" / "the rows alone" (only-scope.ts), or null. */
  moved: PhraseWord[] | null;
  /** On RE2 (linear time): an author's pattern runs on text a learner controls. */
  regex: SafeRegex | null;
}

export interface PhraseWord {
  text: string;
  lemma: string;
  forms: string[];
  /** The synonym class the word belongs to, as read in the phrase ("≈start" for "lead"), or null. */
  tag: string | null;
}

export interface PhraseHit {
  /** Token span [from, to). */
  from: number;
  to: number;
  rule: number;
  clause: number;
  /** Found with the polarity the phrase asks for (affirmed, or negated for a negative phrase). */
  asWritten: boolean;
  /** The phrase names something forbidden ("don't add"): found affirmed, it proves nothing ("add a line"). */
  negativePhrase: boolean;
  /** Found by a regular expression: a shape of the text (three template lines), not a word said. */
  regex: boolean;
  /** Found inside parentheses or a relative clause, which describe rather than instruct. */
  descriptive: boolean;
  /** Found in a carve-out ("unless the customer asks for a different card"). */
  exception: boolean;
  /** Found inside parentheses giving examples of something forbidden ("no hype (e.g. premium)"). */
  parenthetical: boolean;
}

/**
 * A stretch of the prompt read as saying a requirement as written (a template's slot, a mapped fallback): a hit of
 * no phrase, in the words' own rule and clause.
 */
export function statedHit(tokens: readonly Token[], from: number, to: number): PhraseHit {
  return {
    from,
    to,
    rule: tokens[from].rule,
    clause: tokens[from].clause,
    asWritten: true,
    negativePhrase: false,
    regex: false,
    descriptive: false,
    exception: false,
    parenthetical: false,
  };
}

/** Leading words that turn a phrase into "must be forbidden". */
const NEGATION_PREFIXES = [
  ["do", "not"],
  ["do", "n't"],
  ["does", "not"],
  ["does", "n't"],
  ["must", "not"],
  ["must", "n't"],
  ["should", "not"],
  ["should", "n't"],
  ["never"],
  ["ca", "n't"],
  ["can", "not"],
  ["cannot"],
  ["unable", "to"],
  ["wo", "n't"],
  ["no"],
  ["not"],
  ["without"],
  ["avoid"],
];
/** Words a prompt may put between two words of a phrase. */
const FILLER_BETWEEN = new Set([
  "the",
  "a",
  "an",
  "any",
  "all",
  "your",
  "their",
  "its",
  "this",
  "these",
  "those",
  "each",
  "every",
  "his",
  "her",
  "our",
  "my",
]);
/** Words that place the noun before them in the prompt or its input: "the facts above only", "the chunks below". */
const PLACING_AFTER_NOUN = new Set(["above", "below", "given", "provided", "listed", "supplied", "here", "shown"]);
/** Particles of phrasal verbs, which may come after the object: "boil this ticket down", "leave it out". */
const PARTICLES = new Set(["up", "down", "out", "off", "back", "over", "away"]);
const PUNCT_BETWEEN = new Set(['"', "'", "`", "*", "**", "_", "-", "–", "“", "”", "‘", "’", "(", ")", "<", ">", "/"]);

/** A pronoun of a phrase that a prompt may spell out as a noun phrase. */
const OBJECT_PRONOUNS = new Set(["it", "them"]);
/** Parts of speech that may modify the next word of a phrase without changing what it names. */
const MODIFIERS = new Set(["ADJ", "NOUN", "PROPN", "NUM"]);

/** The end of a short noun phrase at `from` ("the reply", "each summary line"), or `from` if there is none. */
function nounPhraseEnd(tokens: Token[], from: number, clause: number, stop: (i: number) => boolean): number {
  let k = from;
  const inPhrase = (i: number) => i < tokens.length && tokens[i].clause === clause && !stop(i);
  if (inPhrase(k) && (tokens[k].pos === "DET" || tokens[k].pos === "PRON") && !NEGATION_WORDS.has(tokens[k].lower)) k++;
  let nouns = 0;
  while (inPhrase(k) && k - from < 4 && ["ADJ", "NOUN", "PROPN"].includes(tokens[k].pos)) {
    if (tokens[k].pos !== "ADJ") nouns++;
    k++;
  }
  return nouns > 0 ? k : from;
}

const compiled = new Map<string, CompiledPhrase>();
const REGEX_PHRASE = /^\/(.+)\/([a-z]*)$/s;

function wordsOf(text: string): { words: PhraseWord[]; pos: string[] } {
  const tokens = readEnglish(text).tokens;
  const words = tokens.map((t, k, all) => {
    const word = phraseWord(t.lower, t.lemma);
    // "ticket number" also says "ticket reference" (identifier-nouns.ts).
    if (word.tag === null && phraseIdentifierHead(t.lemma, t.lower, all[k - 1]?.lower))
      return { ...word, forms: [...word.forms, IDENTIFIER_TAG], tag: IDENTIFIER_TAG };
    return word;
  });
  return { words, pos: tokens.map((t) => t.pos) };
}

function phraseWord(lower: string, lemma: string): PhraseWord {
  const tag = synonymTag(lemma, lower, null);
  const forms = [...new Set([lower, lemma, ...baseForms(lower)])];
  if (tag) forms.push(tag);
  // A phrase's "eight words" finds "8 words".
  const digits = digitsOfWord(lower);
  if (digits !== null) forms.push(digits);
  return { text: lower, lemma, forms, tag };
}

/**
 * The phrase with each multiword equivalent swapped in, and each noun compound in its other shapes ("date of the
 * meeting" for "meeting date", noun-compounds.ts); a swapped-in word matches by its forms, as any word does.
 */
function variantsOf(words: PhraseWord[], pos: string[]): PhraseWord[][] {
  const swapped = phraseVariants(words.map((w) => w.lemma)).map(({ at, length, by }) => [
    ...words.slice(0, at),
    ...by.map((w) => phraseWord(w, w)),
    ...words.slice(at + length),
  ]);
  const compounds = compoundVariants(
    pos,
    words.map((w) => w.lemma),
  ).map(({ at, by }) => [
    ...words.slice(0, at),
    ...by.map((w) => (w === "modifier" ? words[at] : w === "head" ? words[at + 1] : phraseWord(w, w))),
    ...words.slice(at + 2),
  ]);
  return [...swapped, ...compounds];
}

const ONLY_TAG = "≈only";

export function compilePhrase(source: string): CompiledPhrase {
  const cached = compiled.get(source);
  if (cached) return cached;
  let result: CompiledPhrase;
  const rx = REGEX_PHRASE.exec(source.trim());
  if (rx) {
    // Case-insensitive unless the author adds the flag `c` (a label such as /\bQUALITY\b/c).
    const flags = rx[2].includes("c") ? rx[2].replace(/[^ims]/g, "") : `${rx[2].replace(/[^ims]/g, "")}i`;
    const compiledRegex = compileSafeRegex(rx[1], flags);
    // A pattern RE2 refuses (exercises:check reports it) matches nothing rather than stopping grading.
    const regex = compiledRegex.ok ? compiledRegex.regex : null;
    result = { source, negative: false, words: [], variants: [], moved: null, regex };
  } else {
    let { words, pos } = wordsOf(source.replace(/[’‘]/g, "'"));
    let negative = false;
    for (const prefix of NEGATION_PREFIXES) {
      if (words.length > prefix.length && prefix.every((w, k) => words[k].text === w)) {
        words = words.slice(prefix.length);
        pos = pos.slice(prefix.length);
        negative = true;
        break;
      }
    }
    result = {
      source,
      negative,
      words,
      variants: variantsOf(words, pos),
      moved: restrictorMovedAfter(words),
      regex: null,
    };
  }
  if (compiled.size > 20_000) compiled.clear();
  compiled.set(source, result);
  return result;
}

/** Forms of every token, built once per reading. */
export interface PhraseIndex {
  reading: Reading;
  forms: Set<string>[];
  byForm: Map<string, number[]>;
  /** Content words (letters/digits) in order, to find a token's polarity. */
  formsByLength: Map<number, string[]>;
}

/** The forms of one reading of a word (its text, lower case, lemma, tag and place), and the lists of their tokens. */
interface SharedForms {
  lower: string;
  lemma: string;
  pos: string;
  opensClause: boolean;
  set: Set<string>;
  lists: number[][] | null;
}

export function indexReading(reading: Reading): PhraseIndex {
  const forms: Set<string>[] = [];
  const byForm = new Map<string, number[]>();
  const formsByLength = new Map<number, string[]>();
  const tokensOf = (f: string): number[] => {
    let list = byForm.get(f);
    if (!list) {
      list = [];
      byForm.set(f, list);
      const ofLength = formsByLength.get(f.length) ?? [];
      ofLength.push(f);
      formsByLength.set(f.length, ofLength);
    }
    return list;
  };
  // A prompt says the same words again and again: each distinct reading of a word gets its forms once, and the
  // tokens that read the same share that set (no one writes to it) and its forms' token lists.
  const same = new Map<string, SharedForms[]>();
  for (const t of reading.tokens) {
    const prev = reading.tokens[t.index - 1];
    const opensClause = !prev || prev.clause !== t.clause || !WORD_CHAR.test(prev.text);
    let readings = same.get(t.text);
    if (!readings) {
      readings = [];
      same.set(t.text, readings);
    }
    let shared = readings.find(
      (r) => r.lower === t.lower && r.lemma === t.lemma && r.pos === t.pos && r.opensClause === opensClause,
    );
    if (!shared) {
      const set = new Set([t.lower, t.lemma, ...baseForms(t.lower)]);
      const tag = synonymTag(t.lemma, t.text, t.pos, opensClause);
      if (tag) set.add(tag);
      shared = { lower: t.lower, lemma: t.lemma, pos: t.pos, opensClause, set, lists: null };
      readings.push(shared);
    }
    let set = shared.set;
    // "seventy-five pounds" is 75 pounds: a number in words gets its digits (a run's first word, so not shared).
    const digits = digitsAt(reading.tokens, t.index);
    if (digits !== null && !set.has(digits)) set = new Set([...set, digits]);
    // "incident reference" is an incident number: a compound's identifier head (identifier-nouns.ts; not shared).
    if (prev?.clause === t.clause && identifierHead(t, prev)) set = new Set([...set, IDENTIFIER_TAG]);
    // "the rows alone" is "the rows only" (only-scope.ts; not shared).
    if (t.lower === "alone" && postPositiveAlone(reading.tokens, t.index)) set = new Set([...set, ONLY_TAG]);
    // "the customer's own account" is "their own account" (possessor.ts; not shared).
    if (possessiveClitic(reading.tokens, t.index)) set = new Set([...set, POSSESSOR_FORM]);
    forms.push(set);
    if (set === shared.set) {
      shared.lists ??= [...set].map(tokensOf);
      for (const list of shared.lists) list.push(t.index);
    } else for (const f of set) tokensOf(f).push(t.index);
  }
  return { reading, forms, byForm, formsByLength };
}

const LETTERS = /^\p{L}+$/u;

function wordMatches(word: PhraseWord, textForms: Set<string>, strict = false): boolean {
  // Strictly, only the word, its lemma and its synonyms: "likely" must not meet "like" through a stripped "-ly".
  if (strict)
    return textForms.has(word.text) || textForms.has(word.lemma) || (word.tag !== null && textForms.has(word.tag));
  for (const f of word.forms) if (textForms.has(f)) return true;
  if (strict || word.text.length < 5 || !LETTERS.test(word.text)) return false;
  const swap = word.text.length >= 7;
  for (const f of word.forms) {
    if (f.length < 4) continue;
    for (const g of textForms) if (g.length >= 4 && withinOneEdit(f, g, swap)) return true;
  }
  return false;
}

/** `wordMatches` at token `i`: strictly, a participle does not meet its bare noun there (`participleMeetsNoun`). */
function matchesAt(index: PhraseIndex, word: PhraseWord, i: number, strict: boolean): boolean {
  return wordMatches(word, index.forms[i], strict) && !(strict && participleMeetsNoun(word, index.reading.tokens, i));
}

/** A cheap look-ahead: the word and the token share a form (no typo tolerance). */
function sharesForm(word: PhraseWord, textForms: Set<string>): boolean {
  for (const f of word.forms) if (textForms.has(f)) return true;
  return false;
}

/**
 * What a reading's phrase look-ups found per word, kept for the next phrase that has the word: an exercise's few
 * hundred phrases share their words ("the", "reply", "not"). A word's forms follow from its text and lemma alone
 * (`phraseWord`), so those key it.
 */
interface WordLookups {
  candidates: Map<string, number[]>;
  present: Map<string, boolean>;
  /** Regex phrases known to match nowhere in the reading's texts (`prescanRegexPhrases`). */
  quiet: Set<SafeRegex>;
}
const lookupsOf = new WeakMap<PhraseIndex, WordLookups>();

function lookups(index: PhraseIndex): WordLookups {
  let found = lookupsOf.get(index);
  if (!found) {
    found = { candidates: new Map(), present: new Map(), quiet: new Set() };
    lookupsOf.set(index, found);
  }
  return found;
}

const wordKey = (word: PhraseWord, strict: boolean) => `${strict ? "s" : "l"}\0${word.text}\0${word.lemma}`;
/** Strictly, only the word, its lemma and its synonym: as `wordMatches`. */
const exactForms = (word: PhraseWord, strict: boolean) =>
  strict ? [word.text, word.lemma, ...(word.tag ? [word.tag] : [])] : word.forms;
/** One typo tolerated: as `wordMatches`. */
const typoTolerant = (word: PhraseWord, strict: boolean) => !strict && word.text.length >= 5 && LETTERS.test(word.text);

/** The tokens `matchesAt` accepts for the word, in order. */
function candidates(index: PhraseIndex, word: PhraseWord, strict: boolean): number[] {
  const memo = lookups(index).candidates;
  const key = wordKey(word, strict);
  const known = memo.get(key);
  if (known) return known;
  const hits = new Set<number>();
  for (const f of exactForms(word, strict)) for (const i of index.byForm.get(f) ?? []) hits.add(i);
  if (typoTolerant(word, strict)) {
    const swap = word.text.length >= 7;
    for (const f of word.forms) {
      if (f.length < 4) continue;
      for (let len = f.length - 1; len <= f.length + 1; len++)
        for (const g of index.formsByLength.get(len) ?? [])
          if (g.length >= 4 && withinOneEdit(f, g, swap)) for (const i of index.byForm.get(g) ?? []) hits.add(i);
    }
  }
  const { tokens } = index.reading;
  const sorted = [...hits].filter((i) => !(strict && participleMeetsNoun(word, tokens, i))).sort((a, b) => a - b);
  memo.set(key, sorted);
  return sorted;
}

/**
 * What breaks a rule is matched strictly, by lemma: "numbered" would meet "Number of lines:" and "a number". A
 * participle names the act ("numbered lines"); the bare word used as a noun, after a determiner or before "of",
 * names a quantity or a thing, and does not say it.
 */
function participleMeetsNoun(word: PhraseWord, tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (!word.text.endsWith("ed") || word.lemma === word.text || t.lower !== word.lemma) return false;
  const before = tokens[i - 1];
  return tokens[i + 1]?.lower === "of" || (before !== undefined && (before.pos === "DET" || before.pos === "NUM"));
}

/** Whether `wordMatches` accepts the word at some token: what `candidates` would say, without listing them. */
function present(index: PhraseIndex, word: PhraseWord, strict: boolean): boolean {
  const memo = lookups(index).present;
  const key = wordKey(word, strict);
  const known = memo.get(key) ?? lookups(index).candidates.get(key)?.length;
  if (known !== undefined) return known !== false && known !== 0;
  let found = exactForms(word, strict).some((f) => index.byForm.has(f));
  if (!found && typoTolerant(word, strict)) {
    const swap = word.text.length >= 7;
    for (const f of word.forms) {
      if (f.length < 4 || found) continue;
      for (let len = f.length - 1; len <= f.length + 1 && !found; len++)
        for (const g of index.formsByLength.get(len) ?? [])
          if (g.length >= 4 && withinOneEdit(f, g, swap)) {
            found = true;
            break;
          }
    }
  }
  memo.set(key, found);
  return found;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/** The polarity of a found span: that of its first word. */
function negatedAt(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isWord(tokens[i])) return tokens[i].negated;
  return tokens[from]?.negated ?? false;
}

/**
 * Words a pattern may match before what it is about, as its context: "(?:and|then|to)\s+(?:guess|invent)" found in
 * "...and invent no missing details" is about "invent", which the "no" after it forbids.
 */
const LEAD_INS = new Set(["and", "or", "but", "then", "so", "also", "please", "to", "may", "can", "should", "must"]);

/** The polarity of a pattern's span: that of its first word past any lead-in. */
function patternNegatedAt(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isWord(tokens[i]) && !LEAD_INS.has(tokens[i].lower)) return tokens[i].negated;
  return negatedAt(tokens, from, to);
}

const NEGATION_WORDS = new Set(["not", "n't", "never", "no", "without", "nothing", "cannot"]);

function selfNegating(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (NEGATION_WORDS.has(tokens[i].lower)) return true;
  return false;
}

/**
 * The parentheses around a token give examples of something forbidden ("no hype (e.g. premium)"): they ask for
 * nothing. Parentheses after anything else define it ("travel (incl. conference tickets)") and are read.
 */
function asideOfExamples(tokens: Token[], at: number): boolean {
  let open = at;
  while (open > 0 && tokens[open].text !== "(") open--;
  return tokens[open - 1]?.negated ?? false;
}

/** The texts a regex phrase runs on: as written, with wrapped sentences on one line, and limits said in other words. */
function regexTexts(reading: Reading): { start: number; text: string }[] {
  return [
    ...[...new Set([reading.text, reading.flatText])].map((text) => ({ start: 0, text })),
    ...reading.limitWindows,
  ];
}

/**
 * Finds which of an exercise's regex phrases match anywhere in the reading, all in one pass per text: most match
 * nowhere in a long prompt, and `findPhrase` then answers for them without a scan of its own.
 */
export function prescanRegexPhrases(index: PhraseIndex, sources: readonly string[]): void {
  const regexes = [...new Set(sources.map((s) => compilePhrase(s).regex).filter((r) => r !== null))];
  const texts = regexTexts(index.reading).map((t) => t.text);
  const quiet = lookups(index).quiet;
  // A counted repetition ({1,80}) is that many states in the set's automaton, and several of them together multiply:
  // the automaton outgrows its cache and is rebuilt as it scans (400 ms on a 4,000-token prompt of few-shot-diet's
  // table rows, against 2 ms for the same patterns run one by one). Those patterns join the set unbounded
  // (`unboundedOf`), which matches wherever they do; only where that finds a match do they run alone.
  const members = regexes.map((r) => (WIDE_REPEAT.test(r.source) ? unboundedOf(r) : r));
  const inSet = regexes.flatMap((_, k) => (members[k] ? [k] : []));
  const matching = inSet.length > 1 ? regexSetOf(inSet.map((k) => members[k] as SafeRegex)) : null;
  const unmatched = new Set(matching ? inSet : []);
  if (matching) for (const text of texts) for (const j of matching(text)) unmatched.delete(inSet[j]);
  regexes.forEach((re, k) => {
    const alone = !matching || members[k] === null || (members[k] !== re && !unmatched.has(k));
    if (alone ? !texts.some((text) => re.test(text)) : unmatched.has(k)) quiet.add(re);
  });
}

const unbounded = new Map<SafeRegex, SafeRegex | null>();

/** The pattern with its counted repetitions unbounded (safe-regex.ts), or null when RE2 cannot compile that. */
function unboundedOf(re: SafeRegex): SafeRegex | null {
  let loose = unbounded.get(re);
  if (loose === undefined) {
    const compiled = compileSafeRegex(withUnboundedRepeats(re.source), re.flags);
    loose = compiled.ok ? compiled.regex : null;
    if (unbounded.size > 20_000) unbounded.clear();
    unbounded.set(re, loose);
  }
  return loose;
}

/** A repetition counted up to ten or more: `{1,80}`, `{0,60}`, `{12}`. */
const WIDE_REPEAT = /\{\d*,?\d{2,}\}/;

const regexSets = new Map<string, ReturnType<typeof compileSafeRegexSet>>();

/** One automaton for these patterns, compiled once per set of patterns. */
function regexSetOf(regexes: SafeRegex[]): ReturnType<typeof compileSafeRegexSet> {
  const key = regexes.map((r) => `${r.flags}/${r.source}`).join("\0");
  if (!regexSets.has(key)) {
    if (regexSets.size > 1_000) regexSets.clear();
    regexSets.set(key, compileSafeRegexSet(regexes));
  }
  return regexSets.get(key) ?? null;
}

/** Every occurrence of the phrase (at most `limit`), in order; `strict`: no typo tolerance. */
export function findPhrase(index: PhraseIndex, source: string, limit = 50, strict = false): PhraseHit[] {
  const phrase = compilePhrase(source);
  const { tokens } = index.reading;
  const out: PhraseHit[] = [];
  const hit = (from: number, to: number) => {
    // Text outside every rule (a code fence's ``` line) instructs nothing.
    if (tokens[from].rule < 0) return;
    // A pattern that spells out its own negation ("nothing ... does not say") carries its polarity in it.
    const negated = phrase.regex
      ? !selfNegating(tokens, from, to) && patternNegatedAt(tokens, from, to)
      : negatedAt(tokens, from, to);
    out.push({
      from,
      to,
      rule: tokens[from].rule,
      clause: tokens[from].clause,
      asWritten: negated === phrase.negative,
      negativePhrase: phrase.negative,
      regex: phrase.regex !== null,
      descriptive: tokens[from].descriptive,
      exception: tokens[from].exception,
      parenthetical: tokens[from].parenthetical && asideOfExamples(tokens, from),
    });
  };
  if (phrase.regex) {
    if (lookups(index).quiet.has(phrase.regex)) return out;
    // On the text as written (a pattern may anchor on line ends) and with wrapped sentences on one line.
    // ...and with limits said in other words as "at most N" ("No line exceeds eight words", "MAX: 5").
    const texts = regexTexts(index.reading);
    const spans = new Set<string>();
    for (const { start, text } of texts) {
      let t = 0;
      for (const m of phrase.regex.matches(text)) {
        if (m.end === m.index) continue;
        const [mStart, mEnd] = [m.index + start, m.end + start];
        while (t < tokens.length && tokens[t].end <= mStart) t++;
        let e = t;
        while (e < tokens.length && tokens[e].start < mEnd) e++;
        if (e > t && !spans.has(`${t}:${e}`)) {
          spans.add(`${t}:${e}`);
          hit(t, e);
        }
        if (out.length >= limit) break;
      }
    }
    out.sort((a, b) => a.from - b.from || a.to - b.to);
    return out.slice(0, limit);
  }
  if (phrase.words.length === 0) return out;
  matchWords(index, phrase.words, phrase.negative, strict, limit, hit);
  if (phrase.variants.length === 0 && !phrase.moved) return out;
  const seen = new Set(out.map((h) => h.from));
  for (const words of phrase.variants)
    matchWords(index, words, phrase.negative, strict, limit, (from, to) => {
      if (!seen.has(from) && out.length < limit) {
        seen.add(from);
        hit(from, to);
      }
    });
  // "the rows only", "those rows alone": the restrictor must close what it restricts (only-scope.ts).
  if (phrase.moved)
    matchWords(index, phrase.moved, phrase.negative, strict, limit, (from, to) => {
      if (!seen.has(from) && out.length < limit && closesRestriction(tokens, to - 1)) {
        seen.add(from);
        hit(from, to);
      }
    });
  return out.sort((a, b) => a.from - b.from);
}

/** Calls `hit` for every non-overlapping occurrence of the word sequence (at most `limit`), in order. */
function matchWords(
  index: PhraseIndex,
  words: PhraseWord[],
  negative: boolean,
  strict: boolean,
  limit: number,
  hit: (from: number, to: number) => void,
): void {
  const { tokens } = index.reading;
  const phrase = { words, negative };
  const starts = candidates(index, words[0], strict);
  // A common first word ("the", "not") and a later word the prompt never says: no walk from each of its tokens. (An
  // article or a pronoun inside the phrase may be left out or spelled out, below, so those need not be said.)
  if (starts.length > 16)
    for (let k = 1; k < words.length; k++) {
      const optional =
        !strict && k + 1 < words.length && (FILLER_BETWEEN.has(words[k].text) || OBJECT_PRONOUNS.has(words[k].text));
      if (!optional && !present(index, words[k], strict)) return;
    }
  let found = 0;
  let nextFree = 0;
  for (const first of starts) {
    if (first < nextFree) continue;
    let at = first;
    let ok = true;
    for (let k = 1; k < phrase.words.length && ok; k++) {
      // An article or possessive in the phrase may be left out in the prompt: "only the redacted" ~ "only redacted".
      if (!strict && FILLER_BETWEEN.has(phrase.words[k].text) && k + 1 < phrase.words.length) {
        const next = at + 1;
        if (next < tokens.length && !matchesAt(index, phrase.words[k], next, strict)) continue;
      }
      let next = at + 1;
      // A pronoun in the phrase stands for the noun phrase the prompt names: "keep it short" ~ "keep the reply short".
      if (!strict && OBJECT_PRONOUNS.has(phrase.words[k].text) && k + 1 < phrase.words.length) {
        const following = phrase.words[k + 1];
        const end = nounPhraseEnd(tokens, next, tokens[first].clause, (i) => sharesForm(following, index.forms[i]));
        if (end > next && !matchesAt(index, phrase.words[k], next, strict)) {
          at = end - 1;
          continue;
        }
      }
      // Skip what may sit between two words of a phrase, on the same rule; a phrasal verb's object
      // may sit between the verb and its particle, within the clause.
      const particle = PARTICLES.has(phrase.words[k].text);
      let modifiers = 0;
      while (
        next < tokens.length &&
        tokens[next].rule === tokens[first].rule &&
        !matchesAt(index, phrase.words[k], next, strict) &&
        ((particle && tokens[next].clause === tokens[at].clause && WORD_CHAR.test(tokens[next].text)) ||
          // One adverb may sit inside a phrase: "stick strictly to", "copy it exactly".
          (tokens[next].pos === "ADV" && next === at + 1 && !NEGATION_WORDS.has(tokens[next].lower)) ||
          FILLER_BETWEEN.has(tokens[next].lower) ||
          (next === at + 1 &&
            PLACING_AFTER_NOUN.has(tokens[next].lower) &&
            ["NOUN", "PROPN"].includes(tokens[at].pos) &&
            !PLACING_AFTER_NOUN.has(phrase.words[k].text)) ||
          PUNCT_BETWEEN.has(tokens[next].text) ||
          (phrase.negative && NEGATION_WORDS.has(tokens[next].lower)) ||
          // One modifier may sit before the phrase's next word: "one uppercase word", "per invoice line item".
          (!strict &&
            modifiers++ === 0 &&
            MODIFIERS.has(tokens[next].pos) &&
            !NEGATION_WORDS.has(tokens[next].lower) &&
            next + 1 < tokens.length &&
            sharesForm(phrase.words[k], index.forms[next + 1]))) &&
        next - at <= (particle ? 4 : 3)
      )
        next++;
      ok =
        next < tokens.length &&
        tokens[next].rule === tokens[first].rule &&
        matchesAt(index, phrase.words[k], next, strict);
      at = next;
    }
    // "every line only on offers": the "only" restricts what follows, not the phrase (only-scope.ts).
    if (!ok || (phrase.words.length > 1 && restrictsWhatFollows(tokens, at))) continue;
    hit(first, at + 1);
    nextFree = at + 1;
    if (++found >= limit) break;
  }
}
