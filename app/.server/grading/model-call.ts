import type { ModelInfo } from "~/domain/models";
import * as cache from "../cache";
import { type DbLike, groupWrite, immediateWrite } from "../db";
import { closeRejected, closeUnknown, markRejected, markSending, openCall, recordCall, settleCall } from "../ledger";
import type { ChatMessage, CompletionRequest, CompletionResult, ProviderError } from "../providers";
import { backoffDelayMs } from "./backoff";
import { BROKEN, breakerFor } from "./breaker";
import { type CallEnv, nextKey, sleep } from "./call-env";
import { embedPrompt } from "./embedding-call";

export type { CallEnv, WaitReason } from "./call-env";
export { estimateGradingCost, JUDGE_MAX_OUTPUT_TOKENS, targetMaxTokens } from "./estimate";

export interface CallSpec {
  purpose: "target" | "judge" | "preview";
  model: ModelInfo;
  /** The name the provider knows the model by (its catalogue served_as); recorded in the ledger. */
  providerModel: string;
  messages: ChatMessage[];
  params: { temperature: number; maxTokens: number; json: boolean };
  /** Structured output for a JSON reply (the judge's verdict schema). */
  jsonSchema?: CompletionRequest["jsonSchema"];
  /** Scopes the cache: a reply is never reused for another test input (or, for the judge, another output). */
  testInput: string;
  /** The text semantic matching compares. */
  promptText: string;
  /** Similarity for a semantic hit; null looks up exact matches only. */
  semanticThreshold: number | null;
  /** Skip the cache lookup (e.g. the judge's repair, which must be asked afresh). */
  bypassCache?: boolean;
  /** Only replies that pass this are cached (an unparseable verdict must not be served again). */
  cacheable?: (text: string) => boolean;
  /** What the call is expected to cost: its pending row holds it, and an unknown outcome is charged it. */
  estimateMicros: number;
  /**
   * The caller's own record of the answer (the output or verdict it stores), written in the transaction that settles
   * the call's ledger row or records its cache hit: one commit per answer instead of three. Fenced by the caller. After
   * a paid answer it runs in a savepoint, so a refusal (a lost lease) or a failure undoes it alone, never the
   * settlement, and is thrown once that is committed; for a cache hit it undoes the hit's row too.
   */
  keep?: (tx: DbLike, answer: Answer) => void;
}

/** A successful call as its caller records it. */
export interface Answer {
  text: string;
  outputTokens: number;
  callId: number;
  cacheHit: boolean;
}

export type CallOutcome =
  | { ok: true; text: string; outputTokens: number; callId: number; cacheHit: boolean; costMicros: number }
  | { ok: false; error: ProviderError }
  /** Stopped by the caller (shutdown, lost lease): nothing more was sent; what was sent is in the ledger. */
  | { ok: false; aborted: true };

/** How often a call waiting on an open breaker looks again (jittered), at most. */
const BREAKER_POLL_MS = 1_000;

/**
 * One model call: cache, concurrency slot, circuit breaker, write-ahead ledger row, retries.
 *
 * - The exact cache is looked at first, and again with the semantic cache once the call holds a concurrency
 *   slot, so a call queued behind an identical one is served by it instead of paying twice.
 * - Before a request leaves, its ledger row is written `pending` with its idempotency key and estimate; the
 *   answer settles it with the provider's usage. A rejection (429, 5xx) bills nothing: the row stays pending,
 *   marked rejected, and the retry reuses its key. A lost answer (timeout, connection cut) or a reply without
 *   usage leaves the row `unknown` at its estimate (or the app's own count), and a retry gets the next key.
 * - A failed try is retried after full-jitter backoff, never sooner than Retry-After, until the retry budget
 *   is spent; while the provider's breaker is open the call waits (env.onWait tells the learner why).
 */
export async function callModel(env: CallEnv, spec: CallSpec): Promise<CallOutcome> {
  const deadline = Date.now() + env.retryBudgetMs;
  const keys = cacheKeys(env, spec);
  if (!spec.bypassCache) {
    const hit = cache.lookupExact(env.database, keys.exactKey, new Date());
    if (hit) return recordHit(env, spec, hit);
  }
  let embedding: cache.PromptEmbedding | null = null;
  if (!spec.bypassCache && spec.semanticThreshold !== null && env.cacheTtlHours > 0) {
    embedding = await embedPrompt(env, spec.promptText);
  }
  // The request key while the provider keeps rejecting it (nothing billed), so every try is one ledger row.
  let key: string | null = null;
  // The last error the provider itself gave: what a give-up reports, rather than "the breaker is open".
  let last: ProviderError | null = null;
  // Whether the learner was told this call waits (cleared when it goes through; one write, not one per call).
  let waited = false;
  const wait = (why: "provider" | "rate_limit") => {
    waited = true;
    env.onWait?.(why);
  };
  for (let tryNo = 1; ; tryNo++) {
    if (env.signal?.aborted || env.drain?.aborted) return stop(env, spec, key);
    const step = await env.limiter.run(() => oneTry(env, spec, keys, embedding, key));
    if (step.kind === "stopped") return stop(env, spec, key);
    if (step.kind === "done") {
      if (waited) env.onWait?.(null);
      return step.outcome;
    }
    if (step.kind === "broken") {
      if (!env.waitForProvider) return giveUp(env, spec, key, last ?? outageError());
      if (Date.now() + BREAKER_POLL_MS > deadline)
        return giveUp(env, spec, key, budgetError(env, last ?? outageError()));
      wait("provider");
      await sleep(Math.round(BREAKER_POLL_MS * (0.5 + Math.random() / 2)), env.signal, env.drain);
      continue;
    }
    key = step.key;
    const { error } = step;
    last = error;
    if (!error.retryable) return giveUp(env, spec, key, error);
    const delay = backoffDelayMs(tryNo, { retryAfterMs: error.retryAfterMs });
    if (Date.now() + delay > deadline) return giveUp(env, spec, key, budgetError(env, error));
    env.onFailure?.(error, false);
    wait(error.kind === "rate_limited" ? "rate_limit" : "provider");
    await sleep(delay, env.signal, env.drain);
  }
}

type Keys = { exactKey: string; scopeKey: string; cacheModel: string };

function cacheKeys(env: CallEnv, spec: CallSpec): Keys {
  // The provider is part of the key: the same model name on another endpoint is another model.
  const cacheModel = `${env.provider.name}:${spec.providerModel}`;
  const params = spec.params;
  return {
    cacheModel,
    exactKey: cache.exactKey({ model: cacheModel, messages: spec.messages, params }),
    scopeKey: cache.scopeKey({ model: cacheModel, purpose: spec.purpose, testInput: spec.testInput, params }),
  };
}

type Step =
  | { kind: "done"; outcome: CallOutcome }
  | { kind: "broken" }
  | { kind: "stopped" }
  /** A failed try; `key` is the request key to reuse (a rejection) or null (the next try takes a new one). */
  | { kind: "failed"; error: ProviderError; key: string | null };

/** One try, inside a concurrency slot: the caches, then (breaker permitting) the provider. */
async function oneTry(
  env: CallEnv,
  spec: CallSpec,
  keys: Keys,
  embedding: cache.PromptEmbedding | null,
  reusedKey: string | null,
): Promise<Step> {
  const { database } = env;
  if (!spec.bypassCache) {
    const hit =
      cache.lookupExact(database, keys.exactKey, new Date()) ??
      (spec.semanticThreshold === null
        ? null
        : cache.lookupSimilar(database, {
            scopeKey: keys.scopeKey,
            promptText: spec.promptText,
            embedding,
            now: new Date(),
            threshold: spec.semanticThreshold,
          }));
    if (hit) {
      // Tries the provider rejected billed nothing: their row closes at $0 before the hit is recorded.
      if (reusedKey) settleRejected(env, spec, reusedKey);
      return { kind: "done", outcome: recordHit(env, spec, hit) };
    }
  }
  // No look at the breaker's state first: while open it refuses at once (BROKEN, below), and only a call made
  // after its pause can become the probe that closes it.
  const breaker = breakerFor(env.provider);
  if (env.signal?.aborted || env.drain?.aborted) return { kind: "stopped" };

  const priced = { ...spec.model, provider: env.provider.name };
  // BEGIN IMMEDIATE (here and in every fenced write): a transaction that reads (the fence) and then writes must hold
  // the write lock from its start. Deferred, another process's commit in between makes SQLite refuse the write at
  // once with SQLITE_BUSY (busy_timeout does not apply), which failed attempts when two workers shared the database.
  // Committed with the other ledger writes of this turn (groupWrite), and before any byte of the request leaves.
  const { key, callId } = await groupWrite(database, (tx) => {
    env.guard?.(tx);
    if (reusedKey) return { key: reusedKey, callId: markSending(tx, reusedKey) };
    const key = nextKey(tx, env.keyPrefix);
    const callId = openCall(tx, {
      model: priced,
      purpose: spec.purpose,
      tags: env.tags,
      idempotencyKey: key,
      estimateMicros: spec.estimateMicros,
      owner: env.owner,
      providerModel: spec.providerModel,
    });
    return { key, callId };
  });
  if (env.signal?.aborted || env.drain?.aborted) {
    // Stopped while its row was being committed: nothing was sent, so nothing was billed; the row closes at $0.
    immediateWrite(database, (tx) => {
      markRejected(tx, key);
      closeRejected(tx, key);
    });
    return { kind: "stopped" };
  }
  const result = await breaker.run(() =>
    env.provider.complete({
      model: spec.model,
      providerModel: spec.providerModel,
      messages: spec.messages,
      maxOutputTokens: spec.params.maxTokens,
      temperature: spec.params.temperature,
      json: spec.params.json,
      jsonSchema: spec.jsonSchema,
      idempotencyKey: key,
      signal: env.signal,
    }),
  );
  if (result === BROKEN) {
    // Nothing was sent on this key: the next try reuses it.
    markRejected(database, key);
    return { kind: "broken" };
  }
  if (!result.ok && env.signal?.aborted) {
    // Cancelled by the caller while in flight: the provider may have run it.
    closeUnknown(database, key);
    return { kind: "stopped" };
  }
  return await settle(env, spec, keys, embedding, { key, callId }, result);
}

/**
 * Writes what the provider said into the call's ledger row, stores a usable reply in the cache and lets the caller
 * keep the answer, in one transaction, committed with the other ledger writes of this turn (groupWrite); a failure's
 * row is closed by one statement, as before.
 */
async function settle(
  env: CallEnv,
  spec: CallSpec,
  keys: Keys,
  embedding: cache.PromptEmbedding | null,
  { key, callId }: { key: string; callId: number },
  result: CompletionResult,
): Promise<Step> {
  const { database } = env;
  const priced = { ...spec.model, provider: env.provider.name };
  if (!result.ok) {
    if (result.error.outcome === "unknown") {
      closeUnknown(database, key);
      return { kind: "failed", error: result.error, key: null };
    }
    markRejected(database, key);
    return { kind: "failed", error: result.error, key };
  }
  const facts = { model: priced, tokens: result.usage, latencyMs: result.latencyMs };
  const answer: Answer = { text: result.text, outputTokens: result.usage.output, callId, cacheHit: false };
  const cacheable = !spec.cacheable || spec.cacheable(result.text);
  const { cost, refused } = await groupWrite(database, (tx) => {
    let cost: number;
    if (result.usageReported === false) {
      closeUnknown(tx, key, facts);
      cost = result.costMicros;
    } else {
      cost = settleCall(tx, key, { ...facts, status: "ok" }) ?? result.costMicros;
    }
    if (cacheable) {
      cache.store(tx, {
        exactKey: keys.exactKey,
        scopeKey: keys.scopeKey,
        model: keys.cacheModel,
        purpose: spec.purpose,
        promptText: spec.promptText,
        embedding,
        responseText: result.text,
        tokens: result.usage,
        costMicros: result.costMicros,
        now: new Date(),
        ttlHours: env.cacheTtlHours,
      });
    }
    const keep = spec.keep;
    if (keep) {
      try {
        // A savepoint: the caller's refusal must not undo the settlement of a call the provider billed.
        immediateWrite(tx, (sp) => keep(sp, answer));
      } catch (error) {
        return { cost, refused: { error } };
      }
    }
    return { cost, refused: null };
  });
  if (refused) throw refused.error;
  return { kind: "done", outcome: { ok: true, ...answer, costMicros: cost } };
}

/**
 * A hit costs $0 and records what it saved; its row names the provider and model as a paid call would. The entry's
 * hit count, the row and the caller's record of the answer are one fenced transaction.
 */
function recordHit(env: CallEnv, spec: CallSpec, hit: cache.CacheHit): CallOutcome {
  const answer = immediateWrite(env.database, (tx) => {
    env.guard?.(tx);
    cache.recordHit(tx, hit.entryId);
    const { id } = recordCall(tx, {
      model: { ...spec.model, provider: env.provider.name },
      providerModel: spec.providerModel,
      purpose: spec.purpose,
      tokens: hit.tokens,
      latencyMs: 0,
      status: "ok",
      cacheHit: true,
      savedMicros: hit.savedMicros,
      tags: env.tags,
      idempotencyKey: nextKey(tx, env.keyPrefix),
    });
    const answer: Answer = { text: hit.responseText, outputTokens: hit.tokens.output, callId: id, cacheHit: true };
    spec.keep?.(tx, answer);
    return answer;
  });
  return { ok: true, ...answer, costMicros: 0 };
}

function settleRejected(env: CallEnv, _spec: CallSpec, key: string): void {
  closeRejected(env.database, key);
}

function giveUp(env: CallEnv, spec: CallSpec, key: string | null, error: ProviderError): CallOutcome {
  if (key) settleRejected(env, spec, key);
  env.onFailure?.(error, true);
  env.onWait?.(null);
  return { ok: false, error };
}

function stop(env: CallEnv, spec: CallSpec, key: string | null): CallOutcome {
  if (key) settleRejected(env, spec, key);
  return { ok: false, aborted: true };
}

function outageError(): ProviderError {
  return {
    kind: "network",
    message: "the model provider is not answering (calls are paused until it does)",
    retryable: true,
    outcome: "rejected",
  };
}

function budgetError(env: CallEnv, last: ProviderError): ProviderError {
  const s = Math.round(env.retryBudgetMs / 1000);
  const spent = s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`;
  return { ...last, retryable: false, message: `still failing after ${spent} of retries: ${last.message}` };
}
