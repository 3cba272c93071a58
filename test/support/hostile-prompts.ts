/**
 * Prompts of shapes the offline judge's readings once handled in more than linear time (hostile-growth.test.ts,
 * bench/server-stall.ts). Fresh words on every call: wink-nlp caches a word it has met, so re-reading one text
 * measures its cache, not its reading.
 */
let fresh = 0;
/** A word no earlier call returned (letters only). */
export const freshWord = () => (fresh++).toString(26).replace(/\d/g, (d) => "qrstuvwxyz"[Number(d)]);

function repeat(n: number, part: () => string): string {
  let text = "";
  while (text.length < n) text += part();
  return text.slice(0, n);
}

/** Each shape's text of `n` characters, from fresh words. */
export const HOSTILE_SHAPES: Record<string, (n: number) => string> = {
  "one unspaced run": (n) => repeat(n, () => `${freshWord()}aB3x`),
  "spaced words": (n) => repeat(n, () => `${freshWord()} `),
  "one-word sentences": (n) => repeat(n, () => `${freshWord()}. `),
  "words joined by dots": (n) => repeat(n, () => `${freshWord()}.`),
  "bullet lines of rules": (n) => repeat(n, () => `- never ${freshWord()} the ${freshWord()}\n`),
  negations: (n) => freshWord() + repeat(n, () => "never not no "),
  "KEY: value lines": (n) => repeat(n, () => `${freshWord().toUpperCase()}: ${freshWord()} | ${freshWord()}\n`),
  conditions: (n) => repeat(n, () => `If ${freshWord()} then reply ${freshWord().toUpperCase()}. `),
  "open brackets": (n) => freshWord() + repeat(n, () => "(["),
  arrows: (n) => repeat(n, () => `${freshWord()} -> `),
};
