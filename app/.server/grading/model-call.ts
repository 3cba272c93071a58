import { costMicros } from "~/domain/cost";
import type { ExerciseFile } from "~/domain/exercise";
import type { ModelInfo } from "~/domain/models";
import * as cache from "../cache";
import type { Db } from "../db";
import { type CallTags, recordCall } from "../ledger";
import type { ChatMessage, Limiter, ModelProvider, ProviderError } from "../providers";

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
}): number {
  const { exercise, model, judgeModel, promptTokens, count } = args;
  let total = 0;
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
 * report. Shared by live grading and calibration previews.
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
  const hit = spec.bypassCache
    ? null
    : cache.lookup(database, {
        exactKey,
        scopeKey,
        promptText: spec.promptText,
        now: new Date(),
        threshold: spec.semanticThreshold ?? 1.01,
      });
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
