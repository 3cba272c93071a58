import { z } from "zod";
import { TIERS } from "./exercise";

export const ENCODINGS = ["o200k_base", "cl100k_base"] as const;
export type Encoding = (typeof ENCODINGS)[number];

const usdPerMillion = z.number().min(0).max(1000);

export const modelSchema = z
  .object({
    id: z.string().min(1),
    provider: z.enum(["openai", "anthropic", "other"]),
    tier: z.enum(TIERS),
    encoding: z.enum(ENCODINGS),
    exact_tokenizer: z.boolean(),
    context_window: z.number().int().positive(),
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
  };
}
