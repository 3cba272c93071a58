/**
 * How alike two prompts are, for the semantic cache: a score in [0, 1] where only near-identical
 * prompts come close to 1.
 *
 * score = base × instruction agreement × length ratio
 *
 * - base: the cosine of the provider's embeddings when both prompts have them, otherwise the
 *   cosine of character 3-gram counts over lightly normalised text (case, whitespace, typographic
 *   quotes and dashes). Character 3-grams rather than word n-grams because a typo touches at most
 *   three 3-grams while a word model loses the whole word and both its bigrams, so "near-identical"
 *   survives typos in prompts of ordinary length; they need no stemming or stop-word list and work
 *   in any language. Counts rather than sets (Jaccard) so repeated passages still weigh.
 * - instruction agreement: lexical similarity cannot tell that "reply in JSON" and "reply in prose"
 *   differ by more than a typo does. A false hit grades the learner on another prompt's output,
 *   while a miss costs one call, so tokens that usually carry an instruction (numbers, quoted
 *   literals, label lists, negations, output formats, languages) are compared separately as a
 *   multiset Jaccard, and any difference there pulls the score well below a useful threshold.
 * - length ratio: near-identical prompts have near-identical lengths; it also stops a prompt that
 *   repeats itself matching its single copy (same 3-gram direction, twice the tokens), and lets a
 *   scan skip most candidates before the costlier comparison.
 *
 * Known blind spot: reordering sentences keeps most 3-grams, so "first summarise, then translate"
 * vs "first translate, then summarise" in a long prompt can still score high.
 */

export interface PromptSample {
  text: string;
  /** The provider's embedding of `text`, when it offers one. */
  embedding?: readonly number[] | null;
}

const TYPOGRAPHIC: [RegExp, string][] = [
  [/[\u2018\u2019\u201a\u201b\u2032]/g, "'"],
  [/[\u201c\u201d\u201e\u201f\u2033]/g, '"'],
  [/[\u2010-\u2015\u2212]/g, "-"],
];

export function normalizePrompt(text: string): string {
  let t = text.normalize("NFKC").toLowerCase();
  for (const [re, to] of TYPOGRAPHIC) t = t.replace(re, to);
  return t.replace(/\s+/g, " ").trim();
}

function trigramCounts(normalized: string): Map<string, number> {
  const padded = ` ${normalized} `;
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const gram = padded.slice(i, i + 3);
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

function countsCosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [key, count] of small) dot += count * (large.get(key) ?? 0);
  if (dot === 0) return 0;
  return Math.min(1, dot / (norm(a.values()) * norm(b.values())));
}

function norm(values: Iterable<number>): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

/** Cosine of two embedding vectors, clamped to [0, 1]; 0 when they cannot be compared. */
export function vectorCosine(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) return 0;
  return Math.max(0, Math.min(1, dot / Math.sqrt(na * nb)));
}

const FORMATS = new Set(
  (
    "json jsonl yaml yml xml csv tsv markdown html sql prose table tables bullet bullets bulleted numbered list lists " +
    "paragraph paragraphs sentence sentences line lines word words character characters chars token tokens"
  ).split(" "),
);
const LANGUAGES = new Set(
  (
    "english french german spanish italian portuguese dutch polish russian ukrainian chinese japanese korean arabic " +
    "hindi turkish swedish danish norwegian finnish greek hebrew"
  ).split(" "),
);
const NEGATIONS = new Set(["not", "no", "never", "none", "nor", "without", "avoid", "except", "only", "unless"]);

// The lookbehind anchors a list at a word start, so a failed match is not retried inside every word.
const WORD = "(?<![\\p{L}\\p{N}_-])[\\p{L}\\p{N}_-]+";
const NUMBER_RE = /\d+(?:[.,]\d+)*/g;
const QUOTED_RES = [/"([^"]{1,80})"/g, /`([^`]{1,80})`/g, /(?<![\p{L}\p{N}])'([^']{1,80})'(?![\p{L}\p{N}])/gu];
const BRACKETED_RE = /[[{]([^\]}]{1,200})[\]}]/g;
/** "a, b and c", "a, b, or c", "a or b": the items are usually labels or options. */
const ENUMERATION_RE = new RegExp(
  `${WORD}(?:\\s*,\\s*${WORD})+,?\\s+(?:or|and)\\s+${WORD}|${WORD}\\s+or\\s+${WORD}`,
  "gu",
);
const SEPARATED_RE = new RegExp(`${WORD}(?:\\s*[/|]\\s*${WORD})+`, "gu");
const WORD_RE = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;

/** The tokens of a normalised prompt that usually carry an instruction, as a multiset. */
export function instructionTokens(normalized: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (token: string) => out.set(token, (out.get(token) ?? 0) + 1);
  for (const m of normalized.matchAll(NUMBER_RE)) add(`#${m[0]}`);
  for (const re of QUOTED_RES) for (const m of normalized.matchAll(re)) add(`"${m[1].trim()}"`);
  for (const m of normalized.matchAll(BRACKETED_RE)) add(`[${m[1].trim()}]`);
  for (const re of [ENUMERATION_RE, SEPARATED_RE]) {
    for (const m of normalized.matchAll(re)) {
      for (const item of m[0].split(/\s*[,/|]\s*(?:(?:or|and)\s+)?|\s+(?:or|and)\s+/)) if (item) add(`=${item}`);
    }
  }
  for (const m of normalized.matchAll(WORD_RE)) {
    const word = m[0].endsWith("n't") || m[0] === "cannot" ? "not" : m[0];
    if (FORMATS.has(word) || LANGUAGES.has(word) || NEGATIONS.has(word)) add(word);
  }
  return out;
}

/** Multiset Jaccard of the instruction tokens: 1 when they are the same (or both prompts have none). */
export function instructionAgreement(a: Map<string, number>, b: Map<string, number>): number {
  // No union set built: a cache scan runs this for up to 200 candidates per lookup.
  // Σmax = Σa + Σb − Σmin: one pass over the smaller multiset. Keys and values are read without `for…of` over
  // entries, which allocated a [key, value] pair per token (the grading worker's largest allocation site).
  const small = a.size <= b.size ? a : b;
  const large = small === a ? b : a;
  let shared = 0;
  for (const key of small.keys()) shared += Math.min(small.get(key) as number, large.get(key) ?? 0);
  const total = multisetSize(a) + multisetSize(b) - shared;
  return total === 0 ? 1 : shared / total;
}

function multisetSize(counts: Map<string, number>): number {
  let size = 0;
  for (const n of counts.values()) size += n;
  return size;
}

/**
 * What a prompt's text gives the comparison: built once per stored prompt (the cache keeps it with the entry, see
 * app/.server/cache.ts) and memoised by text for queries (see `textProfile`); 3-grams only when a comparison gets
 * that far.
 */
export interface TextProfile {
  normalized: string;
  instructions?: Map<string, number>;
  grams?: Map<string, number>;
}

interface Profile {
  text: TextProfile;
  embedding: readonly number[] | null;
}

/**
 * Text profiles are memoised: a cache scan compares each new prompt with the same stored prompts
 * again and again, and rebuilding their normalised text, instruction tokens and 3-grams on every
 * lookup was most of its cost. Bounded; the least recently used profile goes first.
 */
const PROFILE_MEMO_LIMIT = 2000;
const textProfiles = new Map<string, TextProfile>();

function textProfile(text: string): TextProfile {
  let p = textProfiles.get(text);
  if (p) textProfiles.delete(text);
  else {
    p = { normalized: normalizePrompt(text) };
    if (textProfiles.size >= PROFILE_MEMO_LIMIT) textProfiles.delete(textProfiles.keys().next().value as string);
  }
  textProfiles.set(text, p);
  return p;
}

/** The profile of `text` with its instruction tokens, for a stored prompt (which never changes): kept by the caller. */
export function profileText(text: string): TextProfile {
  const p = textProfile(text);
  p.instructions ??= instructionTokens(p.normalized);
  return p;
}

/**
 * The profile a comparison already built for `text` (a lookup that missed, about to be stored), or null: storing a
 * reply that was never looked up semantically (a judge's) profiles nothing.
 */
export function builtProfile(text: string): TextProfile | null {
  const p = textProfiles.get(text);
  return p?.instructions ? p : null;
}

function profile(sample: PromptSample): Profile {
  return { text: textProfile(sample.text), embedding: sample.embedding ?? null };
}

/**
 * Scores `b` against `a`, giving up with 0 as soon as the score cannot reach `floor` (the cheap
 * factors come first, so most of a scan never builds 3-grams).
 */
function score(a: Profile, b: Profile, floor: number): number {
  const ta = a.text;
  const tb = b.text;
  const la = ta.normalized.length;
  const lb = tb.normalized.length;
  if (la === 0 || lb === 0) return la === lb ? 1 : 0;
  const lengthRatio = Math.min(la, lb) / Math.max(la, lb);
  if (lengthRatio < floor) return 0;
  ta.instructions ??= instructionTokens(ta.normalized);
  tb.instructions ??= instructionTokens(tb.normalized);
  const bound = lengthRatio * instructionAgreement(ta.instructions, tb.instructions);
  if (bound < floor || bound === 0) return 0;
  let base: number;
  if (a.embedding && b.embedding && a.embedding.length === b.embedding.length) {
    base = vectorCosine(a.embedding, b.embedding);
  } else {
    ta.grams ??= trigramCounts(ta.normalized);
    tb.grams ??= trigramCounts(tb.normalized);
    base = countsCosine(ta.grams, tb.grams);
  }
  return base * bound;
}

export function promptSimilarity(a: PromptSample, b: PromptSample): number {
  return score(profile(a), profile(b), 0);
}

/** The candidate most similar to `query` at or above `threshold` (the earliest on ties), or null. */
export function bestMatch(
  query: PromptSample,
  candidates: readonly PromptSample[],
  threshold: number,
): { index: number; score: number } | null {
  return bestProfileMatch(
    query,
    candidates.map((c) => profile(c)),
    threshold,
  );
}

/** bestMatch over candidates profiled beforehand (profileText), so a scan rebuilds nothing of theirs. */
export function bestProfileMatch(
  query: PromptSample,
  candidates: readonly { text: TextProfile; embedding: readonly number[] | null }[],
  threshold: number,
): { index: number; score: number } | null {
  const q = profile(query);
  let best: { index: number; score: number } | null = null;
  for (let index = 0; index < candidates.length; index++) {
    const s = score(q, candidates[index], Math.max(threshold, best?.score ?? 0));
    if (s >= threshold && (!best || s > best.score)) best = { index, score: s };
  }
  return best;
}
