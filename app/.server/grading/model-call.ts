import { createHash } from "node:crypto";
import { costMicros } from "~/domain/cost";
import type { ExerciseFile } from "~/domain/exercise";
import type { ModelInfo } from "~/domain/models";
import * as cache from "../cache";
import type { Db } from "../db";
import { type CallTags, recordCall } from "../ledger";
import { log } from "../log";
import { getModel } from "../models";
import type { ChatMessage, Embeddings, Limiter, ModelProvider, ProviderError } from "../providers";

/** The ceiling of a target reply: generous over the expected reply, and what a budget reserves for. */
export function targetMaxTokens(exercise: ExerciseFile): number {
  return Math.min(4096, Math.max(256, exercise.output_tokens.baseline * 2));
}
export const JUDGE_MAX_OUTPUT_TOKENS = 700;
/** The judge's instructions and rubric, reserved for on top of the test input and the output. */
const JUDGE_OVERHEAD_TOKENS = 900;

/**
 * An upper bound of what grading one prompt live can cost: a target call per test input at its
 * maximum output, and two judge calls each (the judge may be asked once more to repair its JSON).
 */
export function estimateGradingCost(args: {
  exercise: ExerciseFile;
  model: ModelInfo;
  judgeModel: ModelInfo;
  promptTokens: number;
  count: (text: string) => number;
  /**
   * The semantic cache's embeddings model, when one is configured: a job embeds its prompt once (a memo keeps it
   * for the rest of the job). Its tokens are estimated with `count` (the target's encoding); the ledger records the
   * provider's own figure.
   */
  embeddingModel?: ModelInfo | null;
}): number {
  const { exercise, model, judgeModel, promptTokens, count, embeddingModel } = args;
  let total = embeddingModel ? costMicros(embeddingModel, { input: promptTokens, output: 0 }) : 0;
  for (const t of exercise.test_inputs) {
    const input = count(t.input);
    total += costMicros(model, { input: promptTokens + input, output: targetMaxTokens(exercise) });
    const judgeInput = JUDGE_OVERHEAD_TOKENS + input + targetMaxTokens(exercise) + (t.expected ? count(t.expected) : 0);
    total += 2 * costMicros(judgeModel, { input: judgeInput, output: JUDGE_MAX_OUTPUT_TOKENS });
  }
  return total;
}

export interface CallEnv {
  database: Db;
  provider: ModelProvider;
  limiter: Limiter;
  cacheTtlHours: number;
  tags: CallTags;
  /** When aborted while the call is in flight, nothing is written (the worker went away). */
  signal?: AbortSignal;
}

export interface CallSpec {
  purpose: "target" | "judge" | "preview";
  model: ModelInfo;
  providerModel: string;
  messages: ChatMessage[];
  params: { temperature: number; maxTokens: number; json: boolean };
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
}

export type CallOutcome =
  | { ok: true; text: string; outputTokens: number; callId: number; cacheHit: boolean; costMicros: number }
  | { ok: false; error: ProviderError; callId: number }
  | { ok: false; aborted: true };

/**
 * One model call behind the cache, written to the ledger at the time of the call: a hit costs $0
 * and records what it saved; a failure is recorded too and returned for the caller to retry or
 * report. Shared by live grading and calibration previews. When the call may be matched semantically
 * and the provider has an embeddings model, the prompt's embedding (itself a call, in the ledger as
 * "embedding" with the same tags) is compared; an embeddings failure only falls back to the local
 * similarity, it never fails the call.
 */
export async function callModel(env: CallEnv, spec: CallSpec): Promise<CallOutcome> {
  const { database, provider, tags } = env;
  // The provider is part of the key: the same model name on another endpoint is another model.
  const cacheModel = `${provider.name}:${spec.providerModel}`;
  const exactKey = cache.exactKey({ model: cacheModel, messages: spec.messages, params: spec.params });
  const scopeKey = cache.scopeKey({
    model: cacheModel,
    purpose: spec.purpose,
    testInput: spec.testInput,
    params: spec.params,
  });
  let hit: cache.CacheHit | null = null;
  // Made only when a semantic match is looked for, and stored with this call's reply.
  let embedding: cache.PromptEmbedding | null = null;
  if (!spec.bypassCache) {
    hit = cache.lookupExact(database, exactKey, new Date());
    if (!hit && spec.semanticThreshold !== null) {
      // With caching off (TTL 0) nothing will be stored, so a paid embedding would serve nothing.
      if (env.cacheTtlHours > 0) embedding = await embedPrompt(env, spec.promptText);
      if (env.signal?.aborted) return { ok: false, aborted: true };
      hit = cache.lookupSimilar(database, {
        scopeKey,
        promptText: spec.promptText,
        embedding,
        now: new Date(),
        threshold: spec.semanticThreshold,
      });
    }
  }
  if (hit) {
    cache.recordHit(database, hit.entryId);
    const { id } = recordCall(database, {
      model: spec.model,
      purpose: spec.purpose,
      tokens: hit.tokens,
      latencyMs: 0,
      status: "ok",
      cacheHit: true,
      savedMicros: hit.savedMicros,
      tags,
    });
    return {
      ok: true,
      text: hit.responseText,
      outputTokens: hit.tokens.output,
      callId: id,
      cacheHit: true,
      costMicros: 0,
    };
  }

  const result = await env.limiter.run(() =>
    provider.complete({
      model: spec.model,
      providerModel: spec.providerModel,
      messages: spec.messages,
      maxOutputTokens: spec.params.maxTokens,
      temperature: spec.params.temperature,
      json: spec.params.json,
      signal: env.signal,
    }),
  );
  if (env.signal?.aborted) return { ok: false, aborted: true };
  const usage = result.usage ?? { input: 0, cachedInput: 0, output: 0 };
  const recorded = recordCall(database, {
    model: { ...spec.model, provider: provider.name },
    purpose: spec.purpose,
    tokens: usage,
    latencyMs: result.latencyMs,
    status: result.ok ? "ok" : "error",
    tags,
  });
  if (!result.ok) return { ok: false, error: result.error, callId: recorded.id };
  if (!spec.cacheable || spec.cacheable(result.text)) {
    cache.store(database, {
      exactKey,
      scopeKey,
      model: cacheModel,
      purpose: spec.purpose,
      promptText: spec.promptText,
      embedding,
      responseText: result.text,
      tokens: usage,
      costMicros: result.costMicros,
      now: new Date(),
      ttlHours: env.cacheTtlHours,
    });
  }
  return {
    ok: true,
    text: result.text,
    outputTokens: usage.output,
    callId: recorded.id,
    cacheHit: false,
    costMicros: recorded.costMicros,
  };
}

/** Distinct prompt texts whose embeddings a process keeps, per embeddings client. */
const EMBEDDING_MEMO_LIMIT = 256;
/**
 * After a failed embeddings call, prompts are compared locally for this long, rather than every lookup
 * waiting on a provider that is down (up to LLM_TIMEOUT_MS each).
 */
export const EMBEDDING_RETRY_AFTER_MS = 60_000;

interface EmbeddingMemo {
  /** By sha256 of the text, oldest first; a pending call is shared by every lookup of the same text. */
  byText: Map<string, Promise<cache.PromptEmbedding | null>>;
  failedUntil: number;
}

const memos = new WeakMap<Embeddings, EmbeddingMemo>();

/**
 * The provider's embedding of a prompt for the semantic cache, or null to compare prompts locally
 * (no embeddings model, or the call failed). A job runs its prompt on every test input at once, so the
 * same text is looked up several times: one call, made for (and tagged like) the first lookup, serves
 * them all, and later jobs with the same text while it is remembered. A reused vector is no call and
 * writes no ledger row.
 */
async function embedPrompt(env: CallEnv, text: string): Promise<cache.PromptEmbedding | null> {
  const embeddings = env.provider.embeddings;
  if (!embeddings) return null;
  let memo = memos.get(embeddings);
  if (!memo) {
    memo = { byText: new Map(), failedUntil: 0 };
    memos.set(embeddings, memo);
  }
  if (Date.now() < memo.failedUntil) return null;
  const key = createHash("sha256").update(text).digest("hex");
  const known = memo.byText.get(key);
  if (known) {
    memo.byText.delete(key);
    memo.byText.set(key, known);
    return known;
  }
  const byText = memo.byText;
  const pending = embedAndRecord(env, embeddings, text, memo).then((embedding) => {
    // A failure is not remembered: the next lookup after the pause tries again.
    if (!embedding && byText.get(key) === pending) byText.delete(key);
    return embedding;
  });
  byText.set(key, pending);
  if (byText.size > EMBEDDING_MEMO_LIMIT) byText.delete(byText.keys().next().value as string);
  return pending;
}

/** One embeddings call, through the provider's limiter, written to the ledger as purpose "embedding". */
async function embedAndRecord(
  env: CallEnv,
  embeddings: Embeddings,
  text: string,
  memo: EmbeddingMemo,
): Promise<cache.PromptEmbedding | null> {
  const { database, provider, tags } = env;
  let model: ModelInfo;
  try {
    model = getModel(embeddings.model, database);
  } catch {
    // Checked at start-up (providerFromConfig); without a price the call is not made at all.
    log.error(`semantic cache: "${embeddings.model}" is not in the model catalogue; comparing prompts locally`);
    return null;
  }
  const result = await env.limiter.run(() => embeddings.embed({ model, texts: [text], signal: env.signal }));
  if (env.signal?.aborted) return null;
  recordCall(database, {
    model: { ...model, provider: provider.name },
    purpose: "embedding",
    tokens: result.usage ?? { input: 0, cachedInput: 0, output: 0 },
    latencyMs: result.latencyMs,
    status: result.ok ? "ok" : "error",
    tags,
  });
  if (!result.ok) {
    memo.failedUntil = Date.now() + EMBEDDING_RETRY_AFTER_MS;
    // The message is the adapter's, with the key redacted.
    const pause = EMBEDDING_RETRY_AFTER_MS / 1000;
    log.error(
      `semantic cache: the embeddings call to ${result.providerModel} failed ` +
        `(${result.error.kind}: ${result.error.message}); comparing prompts locally for ${pause} s`,
    );
    return null;
  }
  const vector = result.vectors[0];
  return vector?.length ? { model: `${provider.name}:${embeddings.model}`, vector } : null;
}
