import type { Tiktoken } from "js-tiktoken/lite";
import { pieceTokenCount, textTokenCount } from "./bpe-count";

/**
 * The app's one definition of a prompt's token count: a full js-tiktoken encode in which text such as
 * "<|endoftext|>" is ordinary text. js-tiktoken's default (`encode(text)`) throws on special-token text and
 * `encode(text, "all")` counts it as one control token; an API tokenises user content as plain text, and a
 * learner's prompt must never throw, so both special lists are empty. Counted by bpe-count, which gives
 * js-tiktoken's result in O(n log n) where js-tiktoken is quadratic on long pieces (a 20,000-character run).
 */
export function countTokensFull(enc: Tiktoken, text: string): number {
  return textTokenCount(enc, text);
}

export interface IncrementalTokenCounterOptions {
  /** Most distinct pre-tokenizer pieces kept (least recently used go first). */
  maxPieces?: number;
  /** Reuse the counts of unchanged chunks. Turned off only to measure the piece cache alone. */
  reuseChunks?: boolean;
}

/** What the latest `count` call had to do; lets tests and benchmarks see that untouched text is not re-encoded. */
export interface CountStats {
  chunks: number;
  chunksReused: number;
  pieces: number;
  piecesEncoded: number;
  cachedChunks: number;
  cachedPieces: number;
}

const DEFAULT_MAX_PIECES = 20_000;
/** Stale chunks are swept once the cache holds more than twice the live chunks plus this slack. */
const CHUNK_SLACK = 64;

/**
 * Places where a tiktoken pattern ends a piece whatever the text around them, so text cut there splits into the
 * same pieces chunk by chunk as whole (the patterns have no lookbehind, and their one lookahead, in `\s+(?!\S)`,
 * never decides a piece that reaches a cut): a chunk's count depends on the chunk alone.
 * - After sentence punctuation followed by a space, in every tiktoken pattern: a space only ever starts a piece or
 *   continues a whitespace run, and punctuation never takes a following space.
 * - After CR or LF followed by a character that is neither whitespace nor "/", in cl100k and o200k: their
 *   `\s*[\r\n]+` takes a whitespace run up to its last newline before `\s+(?!\S)` is tried, and punctuation takes
 *   trailing newlines only as `[\r\n/]*`. The gpt2-era patterns (r50k, p50k) lack that alternative: there
 *   "\r\n-" splits as "\r", "\n", "-" but a chunk ending in "\r\n" as "\r\n".
 */
const SENTENCE_ENDS = /[.!?;:,](?= )/g;
const LINE_AND_SENTENCE_ENDS = /[\r\n](?=[^\s/])|[.!?;:,](?= )/g;

function chunkEnds(patStr: string): RegExp {
  const newlineRuns = patStr.indexOf(String.raw`\s*[\r\n]+`);
  const lookahead = patStr.indexOf(String.raw`\s+(?!\S)`);
  return newlineRuns >= 0 && newlineRuns < lookahead ? LINE_AND_SENTENCE_ENDS : SENTENCE_ENDS;
}

/** `text` cut into sentences, clauses and lines that `patStr` splits independently (see chunkEnds). */
export function chunkText(text: string, patStr: string): string[] {
  return cutAt(text, chunkEnds(patStr));
}

function cutAt(text: string, ends: RegExp): string[] {
  const chunks: string[] = [];
  let start = 0;
  ends.lastIndex = 0;
  for (let m = ends.exec(text); m !== null; m = ends.exec(text)) {
    chunks.push(text.slice(start, m.index + 1));
    start = m.index + 1;
  }
  if (start < text.length) chunks.push(text.slice(start));
  return chunks;
}

/**
 * Exact token counts for text that changes a little at a time (an editor), equal to `countTokensFull` on every
 * call. tiktoken splits text with its pre-tokenizer regex (`pat_str`) and BPE-encodes each piece on its own, so a
 * count is the sum of the pieces' counts. This counter caches a count per chunk (see chunkEnds) and per piece:
 * a keystroke re-splits only the chunk it edits and BPE-encodes only pieces it has not seen.
 * Memory stays bounded: pieces are an LRU of `maxPieces`, chunks are swept down to those of the current text.
 */
export class IncrementalTokenCounter {
  private readonly splitter: RegExp;
  private readonly chunkEnds: RegExp;
  private readonly maxPieces: number;
  private readonly reuseChunks: boolean;
  /** piece → its count and its detached key, least recently used first (a Map iterates in insertion order). */
  private readonly pieceTokens = new Map<string, { key: string; tokens: number }>();
  private readonly chunkTokens = new Map<string, { tokens: number; seen: number }>();
  private generation = 0;
  private stats = emptyStats();

  constructor(
    private readonly enc: Tiktoken,
    patStr: string,
    options: IncrementalTokenCounterOptions = {},
  ) {
    // The flags js-tiktoken splits with, so the pieces are the same.
    this.splitter = new RegExp(patStr, "ug");
    this.chunkEnds = chunkEnds(patStr);
    this.maxPieces = Math.max(1, options.maxPieces ?? DEFAULT_MAX_PIECES);
    this.reuseChunks = options.reuseChunks ?? true;
  }

  count(text: string): number {
    this.generation += 1;
    this.stats = emptyStats();
    let total = 0;
    if (this.reuseChunks) {
      for (const chunk of cutAt(text, this.chunkEnds)) total += this.countChunk(chunk);
      this.sweepChunks();
    } else {
      total = this.countPieces(text);
    }
    this.stats.cachedChunks = this.chunkTokens.size;
    this.stats.cachedPieces = this.pieceTokens.size;
    return total;
  }

  get lastStats(): Readonly<CountStats> {
    return this.stats;
  }

  private countChunk(chunk: string): number {
    this.stats.chunks += 1;
    const cached = this.chunkTokens.get(chunk);
    if (cached) {
      cached.seen = this.generation;
      this.stats.chunksReused += 1;
      return cached.tokens;
    }
    const tokens = this.countPieces(chunk);
    this.chunkTokens.set(detach(chunk), { tokens, seen: this.generation });
    return tokens;
  }

  private countPieces(text: string): number {
    let total = 0;
    for (const match of text.matchAll(this.splitter)) total += this.countPiece(match[0]);
    return total;
  }

  private countPiece(piece: string): number {
    this.stats.pieces += 1;
    const cached = this.pieceTokens.get(piece);
    if (cached) {
      this.pieceTokens.delete(piece);
      this.pieceTokens.set(cached.key, cached);
      return cached.tokens;
    }
    this.stats.piecesEncoded += 1;
    // A piece splits to itself (nothing after it can change its match, only let a lookahead accept the same
    // length), so encoding it alone gives exactly its share of the full encode.
    const tokens = pieceTokenCount(this.enc, piece);
    if (this.pieceTokens.size >= this.maxPieces) {
      const oldest = this.pieceTokens.keys().next().value;
      if (oldest !== undefined) this.pieceTokens.delete(oldest);
    }
    const key = detach(piece);
    this.pieceTokens.set(key, { key, tokens });
    return tokens;
  }

  /** Drops chunks not in the current text once they outnumber the live ones, so each sweep is paid for by inserts. */
  private sweepChunks(): void {
    if (this.chunkTokens.size <= 2 * this.stats.chunks + CHUNK_SLACK) return;
    for (const [chunk, entry] of this.chunkTokens) {
      if (entry.seen !== this.generation) this.chunkTokens.delete(chunk);
    }
  }
}

function emptyStats(): CountStats {
  return { chunks: 0, chunksReused: 0, pieces: 0, piecesEncoded: 0, cachedChunks: 0, cachedPieces: 0 };
}

/**
 * A flat copy of a cache key. V8 keeps a substring (13+ characters) as a view that holds its whole parent string
 * alive; without the copy, each cached chunk or piece would pin the full text of the keystroke that created it.
 */
function detach(s: string): string {
  return s.length < 13 ? s : s.split("").join("");
}
