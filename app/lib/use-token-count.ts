import { Tiktoken, type TiktokenBPE } from "js-tiktoken/lite";
import { useCallback, useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import type { Encoding } from "~/domain/models";
import { countTokensFull, IncrementalTokenCounter } from "~/domain/token-counter";
import { buildEncoderInSlices } from "~/lib/sliced-encoder";
import TokenWorker from "~/lib/token-worker?worker";
import type { TokenReply, TokenRequest } from "./token-protocol";

export interface TokenCount {
  /** Exact count of the latest text answered; null until the first answer, and after the encoding changes. */
  tokens: number | null;
  /** A newer text than the one `tokens` counts is being counted. */
  pending: boolean;
  /** Time the counter spent on the latest answer, in ms. */
  lastMs: number | null;
  error: string | null;
  /**
   * Counts `text` now, from an input handler, instead of after React renders the change: the
   * editor calls this in the keystroke's own task, so the count does not wait behind a render.
   */
  push: (text: string) => void;
}

/**
 * Read by the browser benchmark (bench/typing-browser.ts): the latest count applied. Each one is also a
 * "tokens-updated" performance mark whose detail is this record.
 */
export interface TokenUpdate {
  id: number;
  tokens: number;
  /** From the text change to the count's render. */
  latencyMs: number;
  /** Of which counting took this long (in the worker, or on the main thread in the comparison mode). */
  countMs: number;
  /** And this long passed from the reply reaching the main thread to the render (queued work, then rendering). */
  applyMs: number;
}

declare global {
  interface Window {
    __tokenwiseLastUpdate?: TokenUpdate;
  }
}

type CountRequest = Extract<TokenRequest, { type: "count" }>;

/** Whatever counts the hook's texts: the Web Worker, or the main thread in the benchmark's comparison mode. */
interface Counter {
  /** `urgent`: posted from an input handler, so an answer given at once may be rendered at once. */
  post: (request: CountRequest, urgent: boolean) => void;
  stop: () => void;
}

/** A reply, and whether it was given synchronously in the handler of an urgent post (it may render at once). */
type OnReply = (reply: TokenReply, renderNow?: boolean) => void;

/** The latest answer: which text and encoding it is for, so `pending` is derived rather than set on every change. */
interface State {
  text: string | null;
  encoding: Encoding | null;
  tokens: number | null;
  lastMs: number | null;
  error: string | null;
  applied: { id: number; tokens: number; changedAt: number; repliedAt: number; countMs: number } | null;
}

const INITIAL: State = { text: null, encoding: null, tokens: null, lastMs: null, error: null, applied: null };

/**
 * Live token count of `text` for `encoding`, counted in a Web Worker this hook owns (created after mount,
 * terminated on unmount; never on the server). Every change is posted at once: the worker answers only the newest
 * text when several queue up, and replies to older texts are ignored here, so typing never waits on counting.
 * A change costs the caller no extra render: only answers update state.
 *
 * With `?counter=main-thread` in the page's address (that exact value, read once on mount) the hook counts the naive
 * way instead, a full encode on the main thread per change: the baseline the typing benchmark measures the worker
 * against, through the same state and the same latency record. It makes typing stutter; it is not for learners.
 */
export function useTokenCount(text: string, encoding: Encoding): TokenCount {
  const [state, setState] = useState<State>(INITIAL);
  const counter = useRef<Counter | null>(null);
  const latest = useRef<{ id: number; text: string; encoding: Encoding; changedAt: number } | null>(null);
  const nextId = useRef(0);

  useEffect(() => {
    if (typeof window === "undefined") return;
    const onReply: OnReply = (reply, renderNow = false) => {
      const sent = latest.current;
      // Replies to superseded texts (stale counts and `skipped`) are dropped: only the newest text is shown.
      if (!sent || reply.id !== sent.id) return;
      const answers = { text: sent.text, encoding: sent.encoding };
      if (reply.type === "count") {
        const { id, tokens, ms: countMs } = reply;
        const applied = { id, tokens, changedAt: sent.changedAt, repliedAt: performance.now(), countMs };
        const update = () => setState({ ...answers, tokens, lastMs: countMs, error: null, applied });
        // Counted in the keystroke's own task: render the count now, so it is painted in the editor's next frame
        // instead of a frame later (the text change itself renders as a transition).
        if (renderNow) flushSync(update);
        else update();
      } else if (reply.type === "error") {
        setState((s) => ({ ...s, ...answers, error: reply.message }));
      }
    };
    const onFailure = (message: string) => {
      const sent = latest.current;
      setState((s) => ({ ...s, text: sent?.text ?? null, encoding: sent?.encoding ?? null, error: message }));
    };
    const c = countsOnMainThread() ? mainThreadCounter(onReply) : liveCounter(onReply, onFailure);
    counter.current = c;
    return () => {
      c.stop();
      counter.current = null;
    };
  }, []);

  const encodingRef = useRef(encoding);
  encodingRef.current = encoding;
  const post = useCallback((next: string, enc: Encoding, urgent: boolean) => {
    const c = counter.current;
    if (!c) return;
    if (latest.current?.text === next && latest.current.encoding === enc) return;
    const id = ++nextId.current;
    latest.current = { id, text: next, encoding: enc, changedAt: performance.now() };
    c.post({ type: "count", id, encoding: enc, text: next }, urgent);
  }, []);
  const push = useCallback((next: string) => post(next, encodingRef.current, true), [post]);

  // Declared after the counter's effect, so on mount it runs second and finds the counter. Texts already
  // pushed from the input handler are not posted twice. Not urgent: an effect must not render synchronously.
  useEffect(() => post(text, encoding, false), [text, encoding, post]);

  useEffect(() => {
    if (!state.applied) return;
    const { id, tokens, changedAt, repliedAt, countMs } = state.applied;
    // One mark at a time, so a long session does not pile up entries; a PerformanceObserver still sees each one.
    const now = performance.now();
    const update: TokenUpdate = { id, tokens, latencyMs: now - changedAt, countMs, applyMs: now - repliedAt };
    performance.clearMarks("tokens-updated");
    performance.mark("tokens-updated", { startTime: now, detail: update });
    window.__tokenwiseLastUpdate = update;
  }, [state.applied]);

  // Texts are compared by reference first, so an unchanged text costs nothing; a changed one differs early or late.
  // The newest text is the last one pushed: the caller's `text` can lag it (the editor pushes in the keystroke's task
  // and renders the change as a transition), and a count rendered at once for the pushed text is not pending.
  const newest = latest.current?.encoding === encoding ? latest.current.text : text;
  const pending = state.text !== newest || state.encoding !== encoding;
  return {
    // A count for another encoding is no count; while one text is pending the previous count stays on screen.
    tokens: state.encoding === encoding ? state.tokens : null,
    pending,
    lastMs: state.lastMs,
    error: state.error,
    push,
  };
}

function workerCounter(
  onReply: OnReply,
  onFailure: (message: string) => void,
): Counter & { ranks: (encoding: Encoding) => Promise<TiktokenBPE> } {
  const w = new TokenWorker();
  // Ranks requests have negative ids, apart from the hook's counts.
  const asked = new Map<number, { resolve: (ranks: TiktokenBPE) => void; reject: (error: Error) => void }>();
  let nextAsk = 0;
  w.onmessage = (event: MessageEvent<TokenReply>) => {
    const reply = event.data;
    const ask = asked.get(reply.id);
    if (!ask) return onReply(reply);
    asked.delete(reply.id);
    if (reply.type === "ranks") ask.resolve(reply.ranks);
    else ask.reject(new Error(reply.type === "error" ? reply.message : `unexpected reply ${reply.type}`));
  };
  w.onerror = (event) => {
    event.preventDefault();
    onFailure(event.message || "the token counter stopped");
  };
  return {
    post: (request) => w.postMessage(request satisfies TokenRequest),
    // The ranks come from the worker, which has them already: the page does not download them a second time.
    ranks: (encoding) =>
      new Promise((resolve, reject) => {
        const id = --nextAsk;
        asked.set(id, { resolve, reject });
        w.postMessage({ type: "ranks", id, encoding } satisfies TokenRequest);
      }),
    stop: () => w.terminate(),
  };
}

/**
 * What learners get: the worker counts from the first keystroke, while an encoder for the main thread is built in
 * slices of a few milliseconds (sliced-encoder.ts) once the worker has answered, so the page's start is not
 * slowed. From then on a keystroke's text is counted in its own task by an incremental counter (a fraction of a
 * millisecond, see bench/README.md) and rendered at once, so the count is on screen with the editor's next frame
 * instead of waiting behind it for the worker's reply. Should the build fail, the worker goes on counting.
 */
function liveCounter(onReply: OnReply, onFailure: (message: string) => void): Counter {
  let encodingInUse: Encoding | null = null;
  const worker = workerCounter((reply, renderNow) => {
    // Built once the worker has answered, for the encoding in use, so the two do not load at once.
    if (reply.type === "count" && encodingInUse) build(encodingInUse);
    onReply(reply, renderNow);
  }, onFailure);
  const counters = new Map<Encoding, IncrementalTokenCounter>();
  const building = new Set<Encoding>();
  const abort = new AbortController();
  let latestText = "";
  const build = (encoding: Encoding) => {
    if (building.has(encoding)) return;
    building.add(encoding);
    worker
      .ranks(encoding)
      .then((ranks) =>
        buildEncoderInSlices(ranks, { signal: abort.signal }).then((enc) => {
          const counter = new IncrementalTokenCounter(enc, ranks.pat_str);
          counter.count(latestText); // warms its caches with the text on screen, off the keystroke path
          counters.set(encoding, counter);
        }),
      )
      .catch(() => {
        // Aborted on unmount, or the encoder could not be built: the worker keeps counting.
      });
  };
  return {
    post(request, urgent) {
      latestText = request.text;
      encodingInUse = request.encoding;
      const counter = counters.get(request.encoding);
      if (!counter) {
        worker.post(request, urgent);
        return;
      }
      const t0 = performance.now();
      const tokens = counter.count(request.text);
      onReply({ type: "count", id: request.id, tokens, ms: performance.now() - t0 }, urgent);
    },
    stop() {
      abort.abort();
      worker.stop();
    },
  };
}

const MAIN_THREAD_RANKS: Record<Encoding, () => Promise<{ default: TiktokenBPE }>> = {
  o200k_base: () => import("js-tiktoken/ranks/o200k_base"),
  cl100k_base: () => import("js-tiktoken/ranks/cl100k_base"),
};
const mainThreadEncoders = new Map<Encoding, Promise<Tiktoken>>();

function countsOnMainThread(): boolean {
  return new URLSearchParams(window.location.search).get("counter") === "main-thread";
}

/** One encoder per encoding for the page, built on first use (blocking the main thread for about a second). */
function mainThreadEncoder(encoding: Encoding): Promise<Tiktoken> {
  let encoder = mainThreadEncoders.get(encoding);
  if (!encoder) {
    encoder = MAIN_THREAD_RANKS[encoding]().then((ranks) => new Tiktoken(ranks.default));
    encoder.catch(() => mainThreadEncoders.delete(encoding));
    mainThreadEncoders.set(encoding, encoder);
  }
  return encoder;
}

/**
 * The benchmark's baseline (see useTokenCount): a full encode of the whole text on the main thread, right after
 * the change that posted it (once the encoder is loaded, the count runs in a microtask of the keystroke's task).
 * Texts superseded while the encoder loads are not counted, so the first count is not a backlog.
 */
function mainThreadCounter(onReply: OnReply): Counter {
  let newest: CountRequest | null = null;
  let stopped = false;
  return {
    post(request) {
      newest = request;
      mainThreadEncoder(request.encoding).then(
        (enc) => {
          if (stopped || newest !== request) return;
          const t0 = performance.now();
          const tokens = countTokensFull(enc, request.text);
          onReply({ type: "count", id: request.id, tokens, ms: performance.now() - t0 });
        },
        (error: unknown) => {
          if (stopped || newest !== request) return;
          onReply({ type: "error", id: request.id, message: error instanceof Error ? error.message : String(error) });
        },
      );
    },
    stop: () => {
      stopped = true;
    },
  };
}

/** Counts texts once in a throwaway worker (it pays the encoder's ~1 s start); browser only. */
export function countTokensMany(texts: string[], encoding: Encoding): Promise<number[]> {
  if (typeof window === "undefined") {
    return Promise.reject(new Error("countTokensMany runs in the browser; the server has ~/.server/tokenizer.server"));
  }
  return new Promise((resolve, reject) => {
    const w = new TokenWorker();
    w.onmessage = (event: MessageEvent<TokenReply>) => {
      const reply = event.data;
      w.terminate();
      if (reply.type === "count-many") resolve(reply.tokens);
      else reject(new Error(reply.type === "error" ? reply.message : `unexpected reply ${reply.type}`));
    };
    w.onerror = (event) => {
      w.terminate();
      reject(new Error(event.message || "the token counter stopped"));
    };
    w.postMessage({ type: "count-many", id: 1, encoding, texts } satisfies TokenRequest);
  });
}

export async function countTokensOnce(text: string, encoding: Encoding): Promise<number> {
  const [tokens] = await countTokensMany([text], encoding);
  return tokens;
}
