import { findPhrase, type PhraseIndex } from "./phrases";

/** A letter or a digit: a token holding one is a word. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Tokens that change nothing in the output but are paid for on every call: filler phrases,
 * things said twice, and context the task never uses.
 */

/** Points of quality each kind of waste costs, and the most waste can cost in total. */
export const WASTE_PENALTY = { filler: 2, repetition: 5, unusedContext: 6, cap: 40 } as const;

/** Longest first, so "it is very important" is counted once rather than also as "very". */
export const FILLER_PHRASES: readonly string[] = [
  "as an ai language model",
  "you are a helpful assistant",
  "to the best of your ability",
  "it goes without saying",
  "at the end of the day",
  "it is very important",
  "it's very important",
  "it is important that",
  "it's important that",
  "i would like you to",
  "i'd like you to",
  "don't forget to",
  "needless to say",
  "please note that",
  "i want you to",
  "i need you to",
  "and so forth",
  "take your time",
  "do your best",
  "it is crucial",
  "make sure that",
  "make sure to",
  "feel free to",
  "go ahead and",
  "remember to",
  "in order to",
  "if possible",
  "if you can",
  "as an ai",
  "make sure",
  "be sure to",
  "feel free",
  "thank you",
  "could you",
  "would you",
  "can you",
  "and so on",
  "of course",
  "basically",
  "carefully",
  "literally",
  "obviously",
  "absolutely",
  "definitely",
  "extremely",
  "actually",
  "please",
  "kindly",
  "really",
  "thanks",
  "simply",
  "very",
  "etc.",
];

/** Single filler words, which never count as the "glue" of an instruction (see gaming.ts). */
export const FILLER_WORDS = new Set(
  FILLER_PHRASES.filter((p) => /^[a-z]+$/.test(p)).concat(["thank", "you", "now", "then", "also", "just"]),
);

// Word-bounded by lookarounds (not \b, which is ASCII-only), so "very" never matches inside "every".
const FILLER_RE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${FILLER_PHRASES.map((p) => {
    const body = p
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      .replace(/ /g, "\\s+")
      .replace(/'/g, "['’]");
    return `(${body})`;
  }).join("|")})(?![\\p{L}\\p{N}])`,
  "giu",
);

/**
 * Marks no filler phrase holds and that are neither letters nor digits: a match never crosses one, and next to one
 * the pattern's word bounds read as they do at the text's ends. So the text's matches are its pieces' matches, in
 * order, and a piece said again (a prompt pasted twice) is scanned once.
 */
const FILLER_FREE = /[,;:!?()[\]{}"“”*#|=<>/\\_-]/g;
if (FILLER_PHRASES.some((p) => p.match(FILLER_FREE))) throw new Error("a filler phrase holds a piece separator");

export function findFiller(text: string): { phrase: string; count: number }[] {
  const counts = new Map<string, number>();
  const found = new Map<string, string[]>();
  for (const piece of text.split(FILLER_FREE)) {
    let phrases = found.get(piece);
    if (!phrases) {
      phrases = [];
      for (const m of piece.matchAll(FILLER_RE))
        phrases.push(FILLER_PHRASES[m.findIndex((g, i) => i > 0 && g !== undefined) - 1]);
      found.set(piece, phrases);
    }
    for (const phrase of phrases) counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
  }
  return [...counts].map(([phrase, count]) => ({ phrase, count })).sort((a, b) => b.count - a.count);
}

const RUN = 8;

function shorten(words: string[]): string {
  return words.length > 14 ? `${words.slice(0, 14).join(" ")} …` : words.join(" ");
}

/**
 * Sentences said twice, and runs of 8+ words that appear twice. A repeated passage counts once,
 * however long it is; sentences of 8+ words are left to the run detector so they are not counted twice.
 */
export function findRepetition(index: PhraseIndex): string[] {
  const found: string[] = [];
  const words = index.reading.tokens.filter((t) => WORD_CHAR.test(t.text)).map((t) => t.lower);

  // Where each run of RUN words is first said. Runs are found by a hash of their words' ids and compared word by
  // word, rather than keyed by their text: a 4,000-word prompt would build 4,000 strings.
  const ids = new Map<string, number>();
  const id = words.map((w) => {
    const known = ids.get(w);
    if (known !== undefined) return known;
    ids.set(w, ids.size);
    return ids.size - 1;
  });
  const sameRun = (a: number, b: number) => {
    for (let k = 0; k < RUN; k++) if (id[a + k] !== id[b + k]) return false;
    return true;
  };
  // A hash's first run, and (rarely) the first runs of other words that share its hash.
  const firstAt = new Map<number, number>();
  const alsoAt = new Map<number, number[]>();
  let runEnd = -1;
  for (let i = 0; i + RUN <= words.length; i++) {
    let hash = 0;
    for (let k = 0; k < RUN; k++) hash = (Math.imul(hash, 31) + id[i + k]) | 0;
    const at = firstAt.get(hash);
    const first = at === undefined || sameRun(at, i) ? at : alsoAt.get(hash)?.find((f) => sameRun(f, i));
    if (first === undefined) {
      if (at === undefined) firstAt.set(hash, i);
      else {
        const also = alsoAt.get(hash);
        if (also) also.push(i);
        else alsoAt.set(hash, [i]);
      }
      continue;
    }
    if (i - first < RUN || i < runEnd) continue;
    let len = RUN;
    while (i + len < words.length && first + len < i && words[first + len] === words[i + len]) len++;
    found.push(shorten(words.slice(i, i + len)));
    runEnd = i + len;
  }

  const seen = new Set<string>();
  const reported = new Set<string>();
  // A sentence's key, or null when it is too short or long to count: read once per distinct sentence (a prompt
  // pasted twice says each of them again).
  const keys = new Map<string, string | null>();
  for (const sentence of index.reading.text.split(/[.!?\n]+/)) {
    let key = keys.get(sentence);
    if (key === undefined) {
      const words = sentence.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
      key = words.length < 3 || words.length >= RUN ? null : words.join(" ");
      keys.set(sentence, key);
    }
    if (key === null) continue;
    if (seen.has(key) && !reported.has(key)) {
      found.push(key);
      reported.add(key);
    }
    seen.add(key);
  }
  return found;
}

export function findUnusedContext(
  index: PhraseIndex,
  unused: readonly { phrase: string; reason: string }[],
): { phrase: string; reason: string }[] {
  return unused.filter((u) => findPhrase(index, u.phrase, 1).length > 0);
}

export interface WasteReport {
  filler: { phrase: string; count: number }[];
  repetition: string[];
  unusedContext: { phrase: string; reason: string }[];
  penalty: number;
  reason: string;
}

export function assessWaste(index: PhraseIndex, unused: readonly { phrase: string; reason: string }[]): WasteReport {
  const filler = findFiller(index.reading.text);
  const repetition = findRepetition(index);
  const unusedContext = findUnusedContext(index, unused);
  const fillerCount = filler.reduce((n, f) => n + f.count, 0);
  const parts: string[] = [];
  if (fillerCount)
    parts.push(`${fillerCount} filler phrase${fillerCount === 1 ? "" : "s"} (−${fillerCount * WASTE_PENALTY.filler})`);
  if (repetition.length)
    parts.push(
      `${repetition.length} repetition${repetition.length === 1 ? "" : "s"} (−${repetition.length * WASTE_PENALTY.repetition})`,
    );
  if (unusedContext.length)
    parts.push(
      `${unusedContext.length} piece${unusedContext.length === 1 ? "" : "s"} of unused context (−${unusedContext.length * WASTE_PENALTY.unusedContext})`,
    );
  const raw =
    fillerCount * WASTE_PENALTY.filler +
    repetition.length * WASTE_PENALTY.repetition +
    unusedContext.length * WASTE_PENALTY.unusedContext;
  const penalty = Math.min(WASTE_PENALTY.cap, raw);
  const reason =
    parts.length === 0
      ? "No filler, repetition or unused context found."
      : `${parts.join(", ")}: −${penalty} quality${raw > penalty ? ` (capped at ${WASTE_PENALTY.cap})` : ""}.`;
  return { filler, repetition, unusedContext, penalty, reason };
}
