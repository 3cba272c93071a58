import type { Tiktoken } from "js-tiktoken/lite";

/**
 * Token counts of tiktoken pieces in O(n log n), equal to js-tiktoken's encode.
 *
 * js-tiktoken merges a piece's bytes by rescanning every adjacent pair after each merge, which is quadratic in the
 * piece's length: a 19,990-character run of "b" (one piece) took 29 s, of "é" 97 s. This is the same merge order
 * (the lowest-ranked adjacent pair first, the leftmost of equal ranks) kept in a heap of candidate pairs over a
 * linked list of parts, so each merge costs a heap operation instead of a scan. Equality with js-tiktoken on real
 * and hostile text is a property test (bpe-count.test.ts).
 */

/** The parts of js-tiktoken 1.0.21's Tiktoken this reads (marked @internal there; the version is pinned). */
interface TiktokenInternals {
  rankMap: Map<string, number>;
  patStr: string;
}

function internals(enc: Tiktoken): TiktokenInternals {
  const inner = enc as unknown as Partial<TiktokenInternals>;
  if (!(inner.rankMap instanceof Map) || typeof inner.patStr !== "string")
    throw new Error("js-tiktoken's Tiktoken no longer exposes rankMap/patStr; pin js-tiktoken 1.0.21");
  return inner as TiktokenInternals;
}

const utf8 = new TextEncoder();

/** A binary min-heap of candidate merges ordered by (rank, left part's start). */
class PairHeap {
  private readonly rank: number[] = [];
  private readonly left: number[] = [];
  private readonly stamp: number[] = [];

  get size(): number {
    return this.rank.length;
  }

  push(rank: number, left: number, stamp: number): void {
    this.rank.push(rank);
    this.left.push(left);
    this.stamp.push(stamp);
    let i = this.rank.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes the smallest entry and returns its [rank, left, stamp]. */
  pop(): [number, number, number] {
    const top: [number, number, number] = [this.rank[0], this.left[0], this.stamp[0]];
    const last = this.rank.length - 1;
    this.swap(0, last);
    this.rank.pop();
    this.left.pop();
    this.stamp.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < last && this.less(l, m)) m = l;
      if (r < last && this.less(r, m)) m = r;
      if (m === i) return top;
      this.swap(i, m);
      i = m;
    }
  }

  private less(a: number, b: number): boolean {
    return this.rank[a] < this.rank[b] || (this.rank[a] === this.rank[b] && this.left[a] < this.left[b]);
  }

  private swap(a: number, b: number): void {
    [this.rank[a], this.rank[b]] = [this.rank[b], this.rank[a]];
    [this.left[a], this.left[b]] = [this.left[b], this.left[a]];
    [this.stamp[a], this.stamp[b]] = [this.stamp[b], this.stamp[a]];
  }
}

function key(bytes: Uint8Array, start: number, end: number): string {
  let s = String(bytes[start]);
  for (let i = start + 1; i < end; i++) s += `,${bytes[i]}`;
  return s;
}

/** How many tokens the byte-pair merge of `bytes` gives (js-tiktoken's bytePairEncode, by heap). */
export function mergedTokenCount(bytes: Uint8Array, ranks: Map<string, number>): number {
  const n = bytes.length;
  if (n <= 1) return n;
  if (ranks.has(key(bytes, 0, n))) return 1;
  // Part i spans bytes [i, end[i]); parts are linked by next/prev; stamp[i] changes whenever part i or its
  // right neighbour changes, so a heap entry with an old stamp is a pair that no longer exists.
  const end = new Int32Array(n);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const stamp = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    end[i] = i + 1;
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  const heap = new PairHeap();
  const offer = (left: number) => {
    const right = next[left];
    if (right < 0) return;
    const rank = ranks.get(key(bytes, left, end[right]));
    if (rank !== undefined) heap.push(rank, left, stamp[left]);
  };
  for (let i = 0; i + 1 < n; i++) offer(i);
  let parts = n;
  while (heap.size > 0) {
    const [, left, seen] = heap.pop();
    if (stamp[left] !== seen || end[left] < 0) continue;
    const right = next[left];
    end[left] = end[right];
    end[right] = -1;
    next[left] = next[right];
    if (next[right] >= 0) prev[next[right]] = left;
    stamp[left] += 1;
    parts -= 1;
    const before = prev[left];
    if (before >= 0) {
      stamp[before] += 1;
      offer(before);
    }
    offer(left);
  }
  return parts;
}

/** Tokens in one pre-tokenizer piece, exactly as `enc.encode(piece, [], []).length`. */
export function pieceTokenCount(enc: Tiktoken, piece: string): number {
  return mergedTokenCount(utf8.encode(piece), internals(enc).rankMap);
}

const splitters = new WeakMap<Tiktoken, RegExp>();

/** The encoder's pre-tokenizer regex (with the flags js-tiktoken splits with). */
export function pieceSplitter(enc: Tiktoken): RegExp {
  let re = splitters.get(enc);
  if (!re) {
    re = new RegExp(internals(enc).patStr, "ug");
    splitters.set(enc, re);
  }
  return re;
}

/** Tokens in `text` with no special tokens (special-token text counts as ordinary text). */
export function textTokenCount(enc: Tiktoken, text: string): number {
  const ranks = internals(enc).rankMap;
  let total = 0;
  for (const m of text.matchAll(pieceSplitter(enc))) total += mergedTokenCount(utf8.encode(m[0]), ranks);
  return total;
}
