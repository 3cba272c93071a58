import { Tiktoken, type TiktokenBPE } from "js-tiktoken/lite";
import { macrotask } from "./macrotask";

/**
 * js-tiktoken's encoder, built a few milliseconds at a time so the page never blocks while it loads.
 *
 * `new Tiktoken(ranks)` decodes every rank (200,000 for o200k_base) in one go: about a second of main-thread work
 * on these machines, which is why counting lives in a Web Worker. Counting in the keystroke's own task, before the
 * editor's next frame, needs an encoder on the main thread, so this builds one the same way as the constructor
 * (base64 → bytes joined with "," → rank, the later of two equal tokens winning) in slices of `sliceMs`, yielding
 * to input and rendering between them. It fills js-tiktoken's own `rankMap`, which encode() reads; the library
 * has no public way to hand it ranks incrementally. test: sliced-encoder.test.ts checks it encodes exactly like the
 * constructor's, so a library upgrade that moves the field fails there, not in a learner's count.
 */

interface RankMapHolder {
  rankMap: Map<string, number>;
}

function decodeBase64(token: string): Uint8Array {
  const binary = atob(token);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export interface SliceOptions {
  /** Longest stretch of work between two yields, in ms. */
  sliceMs?: number;
  yieldFn?: () => Promise<void>;
  /** Stops the build (the page went away); the promise then rejects. */
  signal?: AbortSignal;
}

export async function buildEncoderInSlices(ranks: TiktokenBPE, options: SliceOptions = {}): Promise<Tiktoken> {
  const { sliceMs = 4, yieldFn = macrotask, signal } = options;
  const enc = new Tiktoken({ ...ranks, bpe_ranks: "" });
  const rankMap = (enc as unknown as Partial<RankMapHolder>).rankMap;
  if (!(rankMap instanceof Map)) throw new Error("js-tiktoken has no rankMap to fill: count in the worker instead");
  // The constructor's format: lines of "<prefix> <first rank> <base64 token> <base64 token> …".
  for (const line of ranks.bpe_ranks.split("\n")) {
    if (!line) continue;
    const [, offsetText, ...tokens] = line.split(" ");
    const offset = Number.parseInt(offsetText, 10);
    let i = 0;
    while (i < tokens.length) {
      signal?.throwIfAborted();
      const started = performance.now();
      do {
        rankMap.set(decodeBase64(tokens[i]).join(","), offset + i);
        i++;
        // Checking the clock every 256 tokens keeps its cost out of the loop.
      } while (i < tokens.length && ((i & 255) !== 0 || performance.now() - started < sliceMs));
      if (i < tokens.length) await yieldFn();
    }
  }
  return enc;
}
