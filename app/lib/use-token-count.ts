import { useEffect, useRef, useState } from "react";
import type { Encoding } from "~/domain/models";
import TokenWorker from "~/lib/token-worker?worker";
import type { TokenReply, TokenRequest } from "./token-protocol";

export interface TokenCount {
  /** Exact count of the latest text answered; null until the first answer, and after the encoding changes. */
  tokens: number | null;
  /** A newer text than the one `tokens` counts is being counted. */
  pending: boolean;
  /** Time the worker spent on the latest answer, in ms. */
  lastMs: number | null;
  error: string | null;
}

/** Read by the browser benchmark: the latest count applied, and the time from its text change to that render. */
export interface TokenUpdate {
  id: number;
  tokens: number;
  latencyMs: number;
}

declare global {
  interface Window {
    __tokenwiseLastUpdate?: TokenUpdate;
  }
}

interface State extends TokenCount {
  applied: { id: number; tokens: number; changedAt: number } | null;
}

const INITIAL: State = { tokens: null, pending: true, lastMs: null, error: null, applied: null };

/**
 * Live token count of `text` for `encoding`, counted in a Web Worker this hook owns (created after mount,
 * terminated on unmount; never on the server). Every change is posted at once: the worker answers only the newest
 * text when several queue up, and replies to older texts are ignored here, so typing never waits on counting.
 */
export function useTokenCount(text: string, encoding: Encoding): TokenCount {
  const [state, setState] = useState<State>(INITIAL);
  const worker = useRef<Worker | null>(null);
  const latest = useRef<{ id: number; encoding: Encoding; changedAt: number } | null>(null);
  const nextId = useRef(0);

  useEffect(() => {
    if (typeof window === "undefined") return;
    const w = new TokenWorker();
    worker.current = w;
    w.onmessage = (event: MessageEvent<TokenReply>) => {
      const reply = event.data;
      const sent = latest.current;
      // Replies to superseded texts (stale counts and `skipped`) are dropped: only the newest text is shown.
      if (!sent || reply.id !== sent.id) return;
      if (reply.type === "count") {
        const applied = { id: reply.id, tokens: reply.tokens, changedAt: sent.changedAt };
        setState({ tokens: reply.tokens, pending: false, lastMs: reply.ms, error: null, applied });
      } else if (reply.type === "error") {
        setState((s) => ({ ...s, pending: false, error: reply.message }));
      }
    };
    w.onerror = (event) => {
      event.preventDefault();
      setState((s) => ({ ...s, pending: false, error: event.message || "the token counter stopped" }));
    };
    return () => {
      w.terminate();
      worker.current = null;
    };
  }, []);

  // Declared after the worker's effect, so on mount it runs second and finds the worker. React runs effects of a
  // keystroke's update right after its render, so this timestamp is the text change, give or take that render.
  useEffect(() => {
    const w = worker.current;
    if (!w) return;
    const id = ++nextId.current;
    const encodingChanged = latest.current !== null && latest.current.encoding !== encoding;
    latest.current = { id, encoding, changedAt: performance.now() };
    w.postMessage({ type: "count", id, encoding, text } satisfies TokenRequest);
    if (encodingChanged) setState((s) => ({ ...s, pending: true, tokens: null }));
    else setState((s) => (s.pending ? s : { ...s, pending: true }));
  }, [text, encoding]);

  useEffect(() => {
    if (!state.applied) return;
    const { id, tokens, changedAt: at } = state.applied;
    // One mark at a time, so a long session does not pile up entries; a PerformanceObserver still sees each one.
    performance.clearMarks("tokens-updated");
    performance.mark("tokens-updated", { detail: { id, tokens } });
    window.__tokenwiseLastUpdate = { id, tokens, latencyMs: performance.now() - at };
  }, [state.applied]);

  return { tokens: state.tokens, pending: state.pending, lastMs: state.lastMs, error: state.error };
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
