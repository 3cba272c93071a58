import type { ModelInfo } from "~/domain/models";

/**
 * The one interface every model call goes through: the target run, the judge and previews alike.
 * Adapters never throw; a failure comes back as a value carrying whatever usage, cost and latency
 * it incurred, so the ledger can record every call.
 */

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface CompletionRequest {
  /** The catalogue entry: prices the call. */
  model: ModelInfo;
  /** The name the provider knows the model by (an Ollama tag, an Azure deployment, or the catalogue id). */
  providerModel: string;
  messages: ChatMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  /** Ask for a JSON object (OpenAI-compatible `response_format`); Anthropic has no such mode and ignores it. */
  json?: boolean;
  /**
   * With `json`: the object's JSON schema, sent as structured output where the provider has it (OpenAI's
   * `json_schema` response format, Anthropic's forced tool use); the reply text is then that JSON.
   */
  jsonSchema?: { name: string; description: string; schema: Record<string, unknown> };
  /** Sent as the Idempotency-Key header: names this request in the provider's logs (and a proxy's dedupe). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Token counts as billed: `input` includes the `cachedInput` tokens, which are priced at the cached rate. */
export interface TokenUsage {
  input: number;
  cachedInput: number;
  output: number;
}

export type ProviderErrorKind =
  | "rate_limited"
  | "server"
  | "timeout"
  | "network"
  | "auth"
  | "bad_request"
  | "bad_response";

export interface ProviderError {
  kind: ProviderErrorKind;
  /** Safe to show and log: never contains the API key. */
  message: string;
  status?: number;
  /** From `retry-after-ms` or `Retry-After` (seconds or an HTTP date), when the provider sent one. */
  retryAfterMs?: number;
  /** Whether trying the same call again later may succeed; the job layer owns the retries. */
  retryable: boolean;
  /**
   * "rejected": the provider answered with an error, or never received the request: nothing was billed.
   * "unknown": it may have run the call (a timeout, a connection lost mid-exchange, an unreadable 200), so the
   * ledger keeps the call at its estimate.
   */
  outcome: "rejected" | "unknown";
}

/** What every call reports, whether it worked or not: the ledger needs its cost and latency either way. */
interface CallFacts {
  costMicros: number;
  latencyMs: number;
  providerModel: string;
}

/** A call's outcome: its answer and usage, or a failure as a value with whatever usage it had. */
type CallResult<Answer> =
  /** `usageReported: false`: the reply had no usage, so `usage` is the app's own count of what was sent and received. */
  | ({ ok: true; usage: TokenUsage; usageReported?: boolean } & Answer & CallFacts)
  | ({ ok: false; error: ProviderError; usage: TokenUsage | null } & CallFacts);

export type CompletionResult = CallResult<{ text: string }>;

export interface EmbeddingRequest {
  /** The embeddings model's catalogue entry: prices the call; its encoding counts what a provider did not report. */
  model: ModelInfo;
  texts: string[];
  signal?: AbortSignal;
}

/**
 * Like a completion: a failure is a value, with whatever it cost, so the ledger records every embeddings call.
 * `vectors` has one vector per text, in the order given; `usage` counts input tokens only.
 */
export type EmbeddingResult = CallResult<{ vectors: number[][] }>;

export interface Embeddings {
  /** LLM_EMBEDDING_MODEL: the catalogue id, which prices the calls (the provider may know it by another name). */
  readonly model: string;
  /** The name the provider is sent (the catalogue's served_as). */
  readonly providerModel: string;
  embed(req: EmbeddingRequest): Promise<EmbeddingResult>;
}

export interface ModelProvider {
  /** Recorded in the ledger: "openai-compatible" or "anthropic". */
  readonly name: string;
  complete(req: CompletionRequest): Promise<CompletionResult>;
  /** Present only when an embeddings model is configured (OpenAI-compatible providers), for the semantic cache. */
  readonly embeddings?: Embeddings;
}
