import type { ModelInfo } from "~/domain/models";
import { type Config, config } from "../config";
import type { DbLike } from "../db";
import { getModel } from "../models";
import { createAnthropic } from "./anthropic";
import { createLimiter, type Limiter } from "./limiter";
import { createOpenAICompatible } from "./openai-compatible";
import type { ModelProvider } from "./types";

export { createLimiter, type Limiter } from "./limiter";
export type * from "./types";

// Keyed by the config object: one client per process, and a fresh one when a test parses a new config.
const providers = new WeakMap<Config, ModelProvider | null>();
const limiters = new WeakMap<Config, Limiter>();

/** The configured provider, or null when LLM_PROVIDER=none (everything then runs on the offline judge). */
export function providerFromConfig(cfg: Config = config()): ModelProvider | null {
  if (providers.has(cfg)) return providers.get(cfg) ?? null;
  const provider = buildProvider(cfg);
  providers.set(cfg, provider);
  return provider;
}

function buildProvider(cfg: Config): ModelProvider | null {
  const timeoutMs = cfg.LLM_TIMEOUT_MS;
  switch (cfg.LLM_PROVIDER) {
    case "none":
      return null;
    case "openai-compatible":
      return createOpenAICompatible({
        baseURL: cfg.LLM_BASE_URL,
        apiKey: cfg.LLM_API_KEY,
        timeoutMs,
        embeddingModel: cfg.LLM_EMBEDDING_MODEL,
      });
    case "anthropic":
      // parseConfig refuses LLM_PROVIDER=anthropic without a key.
      return createAnthropic({ baseURL: cfg.LLM_BASE_URL, apiKey: cfg.LLM_API_KEY ?? "", timeoutMs });
  }
}

/** The provider's concurrency limit (LLM_CONCURRENCY), shared by every caller in the process. */
export function limiterFromConfig(cfg: Config = config()): Limiter {
  let limiter = limiters.get(cfg);
  if (!limiter) {
    limiter = createLimiter(cfg.LLM_CONCURRENCY);
    limiters.set(cfg, limiter);
  }
  return limiter;
}

/** The name to send the provider: the tier's LLM_MODEL_<TIER> (an Ollama tag, a deployment) or the catalogue id. */
export function providerModelFor(model: ModelInfo, cfg: Config = config()): string {
  const byTier: Record<ModelInfo["tier"], string | undefined> = {
    nano: cfg.LLM_MODEL_NANO,
    small: cfg.LLM_MODEL_SMALL,
    medium: cfg.LLM_MODEL_MEDIUM,
    frontier: cfg.LLM_MODEL_FRONTIER,
  };
  return byTier[model.tier] ?? model.id;
}

/**
 * The judge: a catalogue model (LLM_JUDGE_MODEL, whose prices the judge's calls are charged at) and
 * the name the provider knows it by. Throws when the catalogue lacks it, a configuration error.
 */
export function judgeModel(cfg: Config = config(), database?: DbLike): { model: ModelInfo; providerModel: string } {
  const model = getModel(cfg.LLM_JUDGE_MODEL, database);
  return { model, providerModel: cfg.LLM_JUDGE_PROVIDER_MODEL ?? model.id };
}
