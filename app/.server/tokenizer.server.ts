import { createRequire } from "node:module";
import { Tiktoken, type TiktokenBPE } from "js-tiktoken/lite";
import type { Encoding } from "~/domain/models";
import { countTokensFull } from "~/domain/token-counter";

const requireCjs = createRequire(import.meta.url);

/** Required on first use, so a process never parses the 1–2 MB rank tables of an encoding it does not count with. */
const RANKS: Record<Encoding, () => TiktokenBPE> = {
  o200k_base: () => requireCjs("js-tiktoken/ranks/o200k_base"),
  cl100k_base: () => requireCjs("js-tiktoken/ranks/cl100k_base"),
};

const encoders = new Map<Encoding, Tiktoken>();

/** The process's one encoder for `encoding`, built on first use: each takes ~1 s and 150–225 MB, so never two. */
export function getEncoder(encoding: Encoding): Tiktoken {
  let enc = encoders.get(encoding);
  if (!enc) {
    enc = new Tiktoken(RANKS[encoding]());
    encoders.set(encoding, enc);
  }
  return enc;
}

/** Exact token count, the same as the browser's live count: special-token text counts as ordinary text. */
export function countTokens(text: string, encoding: Encoding): number {
  return countTokensFull(getEncoder(encoding), text);
}
