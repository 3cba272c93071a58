/**
 * Web Worker that counts tokens off the main thread (import it as `~/lib/token-worker?worker`).
 * Protocol in ./token-protocol. Each encoding's ranks download on first use (1–2 MB), and building its encoder
 * takes ~1 s; counts then go through an IncrementalTokenCounter, exact and well under a millisecond per keystroke.
 */
import { Tiktoken, type TiktokenBPE } from "js-tiktoken/lite";
import type { Encoding } from "~/domain/models";
import { countTokensFull, IncrementalTokenCounter } from "~/domain/token-counter";
import { macrotask } from "./macrotask";
import type { TokenReply, TokenRequest } from "./token-protocol";

type CountRequest = Extract<TokenRequest, { type: "count" }>;
type CountManyRequest = Extract<TokenRequest, { type: "count-many" }>;
type Encoder = { enc: Tiktoken; counter: IncrementalTokenCounter };

const RANKS: Record<Encoding, () => Promise<{ default: TiktokenBPE }>> = {
  o200k_base: () => import("js-tiktoken/ranks/o200k_base"),
  cl100k_base: () => import("js-tiktoken/ranks/cl100k_base"),
};

async function loadRanks(encoding: Encoding): Promise<TiktokenBPE> {
  return (await RANKS[encoding]()).default;
}

/**
 * The worker's logic, apart from `self` so it can run anywhere. Requests are handled one at a time; before each,
 * the service yields a task so messages already queued arrive first, and only the newest `count` per encoding is
 * counted: superseded ones are answered `skipped`.
 */
export function createTokenService(
  post: (reply: TokenReply) => void,
  load: (encoding: Encoding) => Promise<TiktokenBPE> = loadRanks,
  nextTask: () => Promise<void> = macrotask,
): (request: TokenRequest) => void {
  const encoders = new Map<Encoding, Promise<Encoder>>();
  const latest = new Map<Encoding, CountRequest>();
  const batches: CountManyRequest[] = [];
  let draining = false;

  function encoderFor(encoding: Encoding): Promise<Encoder> {
    let encoder = encoders.get(encoding);
    if (!encoder) {
      encoder = load(encoding).then((ranks) => {
        const enc = new Tiktoken(ranks);
        return { enc, counter: new IncrementalTokenCounter(enc, ranks.pat_str) };
      });
      // A failed download is not cached: the next request tries again.
      encoder.catch(() => encoders.delete(encoding));
      encoders.set(encoding, encoder);
    }
    return encoder;
  }

  async function countLatest(encoding: Encoding): Promise<void> {
    const first = latest.get(encoding);
    if (!first) return;
    try {
      const { counter } = await encoderFor(encoding);
      // Requests that arrived while the encoder loaded have replaced `first` (and answered it `skipped`).
      const request = latest.get(encoding);
      if (!request) return;
      latest.delete(encoding);
      const t0 = performance.now();
      const tokens = counter.count(request.text);
      post({ type: "count", id: request.id, tokens, ms: performance.now() - t0 });
    } catch (error) {
      const request = latest.get(encoding) ?? first;
      latest.delete(encoding);
      post({ type: "error", id: request.id, message: messageOf(error) });
    }
  }

  async function countBatch(request: CountManyRequest): Promise<void> {
    try {
      const { enc } = await encoderFor(request.encoding);
      const t0 = performance.now();
      const tokens = request.texts.map((text) => countTokensFull(enc, text));
      post({ type: "count-many", id: request.id, tokens, ms: performance.now() - t0 });
    } catch (error) {
      post({ type: "error", id: request.id, message: messageOf(error) });
    }
  }

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      for (;;) {
        await nextTask();
        const batch = batches.shift();
        const encoding = latest.keys().next().value;
        if (batch) await countBatch(batch);
        else if (encoding) await countLatest(encoding);
        else return;
      }
    } finally {
      draining = false;
    }
  }

  return (request) => {
    if (request.type === "ranks") {
      // Answered at once, outside the counting queue: the module is the one the encoder loads (imported once).
      load(request.encoding).then(
        (ranks) => post({ type: "ranks", id: request.id, ranks }),
        (error: unknown) => post({ type: "error", id: request.id, message: messageOf(error) }),
      );
      return;
    }
    if (request.type === "count") {
      const superseded = latest.get(request.encoding);
      if (superseded) post({ type: "skipped", id: superseded.id });
      latest.set(request.encoding, request);
    } else {
      batches.push(request);
    }
    void drain();
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

declare const self: DedicatedWorkerGlobalScope;

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  const handle = createTokenService((reply) => self.postMessage(reply));
  self.onmessage = (event: MessageEvent<TokenRequest>) => handle(event.data);
}
