import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { z } from "zod";
import { costMicros } from "~/domain/cost";
import { countOffThread } from "./counted-usage";
import { type Attempt, badResponse, describeIssues, type Failure, timedCall, withDeadline } from "./errors";
import { createWireClient, ProviderStatusError, WIRE_ERRORS, type WireClient } from "./openai-wire";
import { providerFetch } from "./provider-fetch";
import type { CompletionRequest, EmbeddingRequest, EmbeddingResult, Embeddings, ModelProvider } from "./types";

/**
 * Any server speaking OpenAI's chat completions: OpenAI, Azure OpenAI (v1 API), vLLM, Ollama,
 * LM Studio, a LiteLLM proxy. Spoken through a thin client (openai-wire.ts), not the openai SDK (whose
 * request types it keeps): it never retries (the job layer must see every 429) and never logs; every
 * failure comes back as a value.
 */

export interface OpenAICompatibleSettings {
  /** e.g. http://localhost:11434/v1 for Ollama; OpenAI's own API when absent. */
  baseURL?: string;
  apiKey?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Enables `embeddings` (for the semantic cache): the model's catalogue id (LLM_EMBEDDING_MODEL). */
  embeddingModel?: string;
  /** The name the server knows it by, when not the catalogue id (LLM_EMBEDDING_PROVIDER_MODEL). */
  embeddingProviderModel?: string;
}

const OPENAI_URL = "https://api.openai.com/v1";
// Ollama, vLLM and LM Studio ignore the key; a placeholder keeps the header as OpenAI's SDK sent it.
const PLACEHOLDER_KEY = "no-key-configured";

const count = z.number().int().nonnegative();

const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
      }),
    )
    .min(1),
  // Without usage the app counts the tokens itself and the ledger marks the cost unknown (never free).
  usage: z
    .object({
      prompt_tokens: count,
      completion_tokens: count,
      prompt_tokens_details: z.object({ cached_tokens: count.nullish() }).nullish(),
    })
    .nullish(),
});

const embeddingsSchema = z.object({
  data: z.array(z.object({ index: z.number().int(), embedding: z.array(z.number()) })),
  usage: z.object({ prompt_tokens: count }).nullish(),
});

function isOpenAIItself(baseURL: string | undefined): boolean {
  if (!baseURL) return true;
  try {
    return new URL(baseURL).hostname === "api.openai.com";
  } catch {
    return false;
  }
}

/** OpenAI's reasoning models reject `temperature` other than the default. */
function isReasoningModel(name: string): boolean {
  return /^(o\d|gpt-5)/.test(name);
}

export function chatBody(
  req: CompletionRequest,
  openAIItself: boolean,
  schemaRefused = false,
): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = { model: req.providerModel, messages: req.messages };
  if (req.maxOutputTokens !== undefined) {
    // OpenAI deprecated max_tokens (its reasoning models refuse it); Ollama and LM Studio know only max_tokens.
    if (openAIItself) body.max_completion_tokens = req.maxOutputTokens;
    else body.max_tokens = req.maxOutputTokens;
  }
  if (req.temperature !== undefined && !(openAIItself && isReasoningModel(req.providerModel))) {
    body.temperature = req.temperature;
  }
  if (req.json && req.jsonSchema && !schemaRefused) {
    const { name, description, schema } = req.jsonSchema;
    // Not strict: strict mode forbids the optional fields and free-form keys real judges add; the app validates.
    body.response_format = { type: "json_schema", json_schema: { name, description, schema, strict: false } };
  } else if (req.json) body.response_format = { type: "json_object" };
  return body;
}

/** A 400 about the response format: the server has no json_schema mode (older vLLM, LM Studio, proxies). */
function refusesSchema(err: unknown): boolean {
  return err instanceof ProviderStatusError && err.status === 400 && /response_format|json_schema/i.test(err.message);
}

export function createOpenAICompatible(settings: OpenAICompatibleSettings): ModelProvider {
  const client = createWireClient({
    apiKey: settings.apiKey ?? PLACEHOLDER_KEY,
    baseURL: settings.baseURL ?? OPENAI_URL,
    fetch: settings.fetch ?? providerFetch(),
  });
  const openAIItself = isOpenAIItself(settings.baseURL);
  // The deadline (withDeadline) covers the whole exchange: the client has no timeout of its own.
  const ctx = { sdk: WIRE_ERRORS, secret: settings.apiKey, timeoutMs: settings.timeoutMs };

  // Set once the server refused a json_schema response format: later calls ask for a JSON object instead.
  let schemaRefused = false;
  const create = (req: CompletionRequest, signal: AbortSignal) =>
    client.post("/chat/completions", chatBody(req, openAIItself, schemaRefused), {
      signal,
      idempotencyKey: req.idempotencyKey,
    });

  const provider: ModelProvider = {
    name: "openai-compatible",
    complete: (req) =>
      timedCall(req, ctx, async (signal): Promise<Attempt> => {
        let reply: unknown;
        try {
          reply = await create(req, signal);
        } catch (err) {
          if (!(req.jsonSchema && !schemaRefused && refusesSchema(err))) throw err;
          // A 400 is not billed: ask again at once, for a JSON object.
          schemaRefused = true;
          reply = await create(req, signal);
        }
        const parsed = completionSchema.safeParse(reply);
        if (!parsed.success) return badResponse(`not a chat completion: ${describeIssues(parsed.error.issues)}`);
        const { choices, usage } = parsed.data;
        const message = choices[0].message;
        const text = message.content ?? message.refusal ?? "";
        if (!usage) return { ok: true, text, usage: null };
        return {
          ok: true,
          text,
          usage: {
            input: usage.prompt_tokens,
            cachedInput: Math.min(usage.prompt_tokens_details?.cached_tokens ?? 0, usage.prompt_tokens),
            output: usage.completion_tokens,
          },
        };
      }),
  };

  const embeddingModel = settings.embeddingModel;
  if (!embeddingModel) return provider;
  const providerModel = settings.embeddingProviderModel ?? embeddingModel;
  const embeddings: Embeddings = {
    model: embeddingModel,
    providerModel,
    embed: (req) => embed(client, ctx, providerModel, req),
  };
  return { ...provider, embeddings };
}

type Embedded = { ok: true; vectors: number[][]; inputTokens: number };

async function embed(
  client: WireClient,
  ctx: Parameters<typeof withDeadline>[0],
  providerModel: string,
  req: EmbeddingRequest,
): Promise<EmbeddingResult> {
  const { attempt, latencyMs } = await withDeadline(ctx, req.signal, async (signal): Promise<Embedded | Failure> => {
    if (req.texts.length === 0) return { ok: true, vectors: [], inputTokens: 0 };
    // "float" explicitly: the SDK otherwise asks for base64, which not every compatible server speaks.
    const reply: unknown = await client.post(
      "/embeddings",
      { model: providerModel, input: req.texts, encoding_format: "float" },
      { signal },
    );
    const parsed = embeddingsSchema.safeParse(reply);
    if (!parsed.success) return badResponse(`not an embeddings reply: ${describeIssues(parsed.error.issues)}`);
    const { data, usage } = parsed.data;
    if (data.length !== req.texts.length) return badResponse(`${data.length} embeddings for ${req.texts.length} texts`);
    // Unlike a completion, an embeddings reply without usage is still used and billed: some compatible
    // servers leave usage out here, and the input is exactly the texts sent, so the app's tokenizer (in the
    // catalogue model's encoding) counts what the provider did not report.
    const inputTokens =
      usage?.prompt_tokens ?? (await countOffThread(req.texts, req.model.encoding)).reduce((n, c) => n + c, 0);
    return { ok: true, vectors: [...data].sort((a, b) => a.index - b.index).map((d) => d.embedding), inputTokens };
  });
  if (!attempt.ok) return { ok: false, error: attempt.error, usage: null, costMicros: 0, latencyMs, providerModel };
  const usage = { input: attempt.inputTokens, cachedInput: 0, output: 0 };
  return {
    ok: true,
    vectors: attempt.vectors,
    usage,
    costMicros: costMicros(req.model, usage),
    latencyMs,
    providerModel,
  };
}
