import type { Encoding } from "./models";

/**
 * Internal names a person should never have to read, in plain words: tokenizer encodings, the offline judge's
 * versioned id. The ids stay in data, logs and exports; pages show these.
 */
const TOKENIZERS: Record<Encoding, string> = {
  o200k_base: "GPT-4o tokenizer",
  cl100k_base: "GPT-4 tokenizer",
};

export function tokenizerName(encoding: Encoding | string): string {
  return TOKENIZERS[encoding as Encoding] ?? "tokenizer";
}

/** "offline-judge@2" → "the built-in offline judge (version 2)"; anything else is a model's name, kept. */
export function judgeName(judge: string): string {
  const offline = /^offline-judge@(\d+)$/.exec(judge);
  return offline ? `the built-in offline judge (version ${offline[1]})` : judge;
}

/** The same, starting a sentence or a table cell. */
export function judgeNameCapitalised(judge: string): string {
  const name = judgeName(judge);
  return name.charAt(0).toUpperCase() + name.slice(1);
}
