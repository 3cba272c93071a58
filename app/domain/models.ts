import { z } from "zod";
import { TIERS } from "./exercise";

export const ENCODINGS = ["o200k_base", "cl100k_base"] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * What a model is for. "embedding" models price the semantic cache's embeddings calls
 * (LLM_EMBEDDING_MODEL); they keep a tier (their price class, recorded in the ledger) but are never
 * offered to learners nor accepted as the judge.
 */
export const MODEL_KINDS = ["chat", "embedding"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const usdPerMillion = z.number().min(0).max(1000);

/** The LLM_PROVIDER values that can serve a model. */
export const SERVING_PROVIDERS = ["openai-compatible", "anthropic"] as const;
export type ServingProvider = (typeof SERVING_PROVIDERS)[number];

export const modelSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(MODEL_KINDS).default("chat"),
    provider: z.enum(["openai", "anthropic", "other"]),
    tier: z.enum(TIERS),
    encoding: z.enum(ENCODINGS),
    exact_tokenizer: z.boolean(),
    context_window: z.number().int().positive(),
    /**
     * Which provider serves the model and under what name, e.g. { openai-compatible: "llama3.2:1b" } for Ollama.
     * Absent: an OpenAI model is served by an OpenAI-compatible provider, an Anthropic one by Anthropic, each under
     * its id; an "other" model by neither until named here.
     */
    served_as: z.record(z.enum(SERVING_PROVIDERS), z.string().min(1).max(200)).optional(),
    price: z
      .object({
        input: usdPerMillion,
        cached_input: usdPerMillion,
        output: usdPerMillion,
        as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date, YYYY-MM-DD"),
      })
      .strict(),
  })
  .strict();

export const modelCatalogueSchema = z.object({ models: z.array(modelSchema).min(1) }).strict();

/** A model as the app uses it: prices in integer micro-dollars per 1M tokens. */
export interface ModelInfo {
  id: string;
  provider: string;
  tier: (typeof TIERS)[number];
  encoding: Encoding;
  exactTokenizer: boolean;
  contextWindow: number;
  inputMicrosPerM: number;
  cachedInputMicrosPerM: number;
  outputMicrosPerM: number;
  priceAsOf: string;
  /** Absent means "chat": hand-built models (tests, the offline judge) need not say. */
  kind?: ModelKind;
  /** The catalogue's served_as; absent: the vendor's default (see servedName). */
  servedAs?: Partial<Record<ServingProvider, string>> | null;
}

/**
 * The name to send `provider` for this model, or null when that provider does not serve it. Only what the
 * catalogue says counts: never a tier's stand-in, so the ledger and the result page name the model that ran.
 */
export function servedName(model: Pick<ModelInfo, "id" | "provider" | "servedAs">, provider: string): string | null {
  const named = model.servedAs?.[provider as ServingProvider];
  if (named) return named;
  if (model.servedAs && Object.keys(model.servedAs).length > 0) return null;
  if (provider === "openai-compatible" && model.provider === "openai") return model.id;
  if (provider === "anthropic" && model.provider === "anthropic") return model.id;
  return null;
}

/** Whether learners may run prompts on the model and the judge may be it: every model but an embeddings model. */
export function isChatModel(model: Pick<ModelInfo, "kind">): boolean {
  return (model.kind ?? "chat") === "chat";
}

export function toModelInfo(m: z.infer<typeof modelSchema>): ModelInfo {
  return {
    id: m.id,
    provider: m.provider,
    tier: m.tier,
    encoding: m.encoding,
    exactTokenizer: m.exact_tokenizer,
    contextWindow: m.context_window,
    inputMicrosPerM: Math.round(m.price.input * 1_000_000),
    cachedInputMicrosPerM: Math.round(m.price.cached_input * 1_000_000),
    outputMicrosPerM: Math.round(m.price.output * 1_000_000),
    priceAsOf: m.price.as_of,
    kind: m.kind,
    servedAs: m.served_as ?? null,
  };
}
