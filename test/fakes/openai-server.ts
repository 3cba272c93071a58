import { createFakeServer, type Dialect, type FakeMessage, type FakeServerOptions, textOf } from "./http";

/**
 * A fake OpenAI-compatible server (chat completions and embeddings) on loopback, answering in
 * OpenAI's wire format, usage included. Pass `url` as the SDK's baseURL (it ends in /v1).
 */

export * from "./http";

let ids = 0;

const openAIDialect: Dialect = {
  basePath: "/v1",
  routes: { "/v1/chat/completions": "chat", "/v1/embeddings": "embeddings" },
  apiKeyOf: (headers) => headers.authorization?.replace(/^Bearer\s+/i, ""),
  messagesOf: (body) =>
    (Array.isArray(body.messages) ? body.messages : []).map(
      (m: { role?: unknown; content?: unknown }): FakeMessage => ({ role: String(m.role), content: textOf(m.content) }),
    ),
  maxTokensOf: (body) => {
    const max = body.max_completion_tokens ?? body.max_tokens;
    return typeof max === "number" ? max : undefined;
  },
  invalid: (body) => {
    if (typeof body.model !== "string") return "you must provide a model parameter";
    return undefined;
  },
  embeddingInputsOf: (body) => (Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? "")]),
  completion: (text, usage, truncated, body) => ({
    id: `chatcmpl-fake-${++ids}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: truncated ? "length" : "stop",
      },
    ],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      prompt_tokens_details: { cached_tokens: usage.cachedInput, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: "default",
    system_fingerprint: "fp_fake",
  }),
  embeddings: (vectors, inputTokens, body) => ({
    object: "list",
    data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
    model: body.model,
    ...(inputTokens !== null && { usage: { prompt_tokens: inputTokens, total_tokens: inputTokens } }),
  }),
  error: (status, message) => ({
    error: {
      message,
      type: status === 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error",
      param: null,
      code: status === 429 ? "rate_limit_exceeded" : status === 401 ? "invalid_api_key" : null,
    },
  }),
};

export function createFakeOpenAIServer(options?: FakeServerOptions) {
  return createFakeServer(openAIDialect, options);
}
