import { isChatModel, type ModelInfo, servedName } from "~/domain/models";
import { type Config, ConfigError, config } from "../config";
import { type DbLike, db } from "../db";
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

/**
 * The configured provider, or null when LLM_PROVIDER=none (everything then runs on the offline judge).
 * Throws a ConfigError when LLM_EMBEDDING_MODEL is not an embeddings model of the catalogue (read from
 * `database`), so a deployment that would bill embeddings at no known price does not start.
 */
export function providerFromConfig(cfg: Config = config(), database?: DbLike): ModelProvider | null {
  if (providers.has(cfg)) return providers.get(cfg) ?? null;
  const provider = buildProvider(cfg, database);
  providers.set(cfg, provider);
  return provider;
}

function buildProvider(cfg: Config, database: DbLike | undefined): ModelProvider | null {
  const timeoutMs = cfg.LLM_TIMEOUT_MS;
  switch (cfg.LLM_PROVIDER) {
    case "none":
      return null;
    case "openai-compatible": {
      const embedder = cfg.LLM_EMBEDDING_MODEL ? embeddingModel(cfg.LLM_EMBEDDING_MODEL, database) : undefined;
      return createOpenAICompatible({
        baseURL: cfg.LLM_BASE_URL,
        apiKey: cfg.LLM_API_KEY,
        timeoutMs,
        embeddingModel: embedder?.id,
        embeddingProviderModel: embedder && servingName("LLM_EMBEDDING_MODEL", embedder, cfg.LLM_PROVIDER),
      });
    }
    case "anthropic":
      // parseConfig refuses LLM_PROVIDER=anthropic without a key. Anthropic has no embeddings API, so
      // LLM_EMBEDDING_MODEL is ignored (as the README says) and the semantic cache uses the local similarity.
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

/**
 * The name to send the provider for a catalogue model (its served_as, see servedName), or null when the
 * configured provider does not serve it: the caller then grades offline and says why.
 */
export function providerModelFor(model: ModelInfo, providerName: string): string | null {
  return servedName(model, providerName);
}

/** The served name of a model a variable names, or a ConfigError saying how to serve it. */
function servingName(variable: string, model: ModelInfo, provider: string): string {
  const name = servedName(model, provider);
  if (name) return name;
  throw invalid(
    variable,
    `"${model.id}" is not served by LLM_PROVIDER=${provider}; add served_as: { ${provider}: <its name there> } to ` +
      "its entry in MODELS_FILE, or name a model that provider serves",
  );
}

/** A configuration error in the words parseConfig uses, naming the variable. */
function invalid(variable: string, message: string): ConfigError {
  return new ConfigError(`Invalid configuration in environment variables:\n  ${variable}: ${message}`);
}

/** The catalogue model a variable names, of the kind the variable needs; otherwise a ConfigError naming it. */
function configuredModel(variable: string, id: string, kind: "chat" | "embedding", database: DbLike = db()): ModelInfo {
  let model: ModelInfo;
  try {
    model = getModel(id, database);
  } catch {
    const hint = kind === "embedding" ? ", with `kind: embedding` and its dated price" : "";
    throw invalid(variable, `"${id}" is not in the model catalogue (add it to MODELS_FILE, db/models.yaml${hint})`);
  }
  if (kind === "embedding" && isChatModel(model))
    throw invalid(variable, `"${id}" is a chat model in the catalogue; name an embeddings model (kind: embedding)`);
  if (kind === "chat" && !isChatModel(model))
    throw invalid(variable, `"${id}" is an embeddings model; name a chat model of the catalogue`);
  return model;
}

/**
 * The judge: a catalogue model (LLM_JUDGE_MODEL, whose prices the judge's calls are charged at) and
 * the name the provider knows it by (its served_as). Throws a ConfigError when the catalogue lacks it, it is
 * an embeddings model, or the configured provider does not serve it.
 */
export function judgeModel(cfg: Config = config(), database?: DbLike): { model: ModelInfo; providerModel: string } {
  const model = configuredModel("LLM_JUDGE_MODEL", cfg.LLM_JUDGE_MODEL, "chat", database);
  if (cfg.LLM_PROVIDER === "none") return { model, providerModel: model.id };
  return { model, providerModel: servingName("LLM_JUDGE_MODEL", model, cfg.LLM_PROVIDER) };
}

/**
 * LLM_EMBEDDING_MODEL's catalogue entry: the name the provider is sent, and what its calls are charged
 * at. Checked when the provider is built; the model-call path reads the prices again at each call, so a
 * price an admin edits applies at once. Throws a ConfigError when the catalogue lacks it or it is not an
 * embeddings model.
 */
export function embeddingModel(id: string, database?: DbLike): ModelInfo {
  return configuredModel("LLM_EMBEDDING_MODEL", id, "embedding", database);
}
