import { createFakeServer, type Dialect, type FakeMessage, type FakeServerOptions, textOf } from "./http";

/**
 * A fake Anthropic Messages API on loopback, answering in Anthropic's wire format: usage with
 * cache reads counted apart from input_tokens, content blocks, stop_reason, and its error JSON.
 * Pass `url` as the SDK's baseURL (the origin; the SDK adds /v1/messages).
 */

export * from "./http";

let ids = 0;

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

const anthropicDialect: Dialect = {
  basePath: "",
  routes: { "/v1/messages": "chat" },
  apiKeyOf: (headers) => {
    const key = headers["x-api-key"];
    return Array.isArray(key) ? key[0] : key;
  },
  messagesOf: (body) => {
    const system = textOf(body.system);
    const turns = (Array.isArray(body.messages) ? body.messages : []).map(
      (m: { role?: unknown; content?: unknown }): FakeMessage => ({ role: String(m.role), content: textOf(m.content) }),
    );
    return system ? [{ role: "system", content: system }, ...turns] : turns;
  },
  maxTokensOf: (body) => (typeof body.max_tokens === "number" ? body.max_tokens : undefined),
  invalid: (body) => {
    if (typeof body.max_tokens !== "number") return "max_tokens: Field required";
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      return "messages: at least one message is required";
    if (body.messages.some((m: { role?: unknown }) => m.role !== "user" && m.role !== "assistant")) {
      return 'messages: roles must be "user" or "assistant"; use the top-level system parameter';
    }
    return undefined;
  },
  completion: (text, usage, truncated, body) => ({
    id: `msg_fake_${++ids}`,
    type: "message",
    role: "assistant",
    model: body.model,
    content: [{ type: "text", text }],
    stop_reason: truncated ? "max_tokens" : "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: usage.input - usage.cachedInput,
      output_tokens: usage.output,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: usage.cachedInput,
      service_tier: "standard",
    },
  }),
  error: (status, message) => ({
    type: "error",
    error: { type: ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error"), message },
  }),
};

export function createFakeAnthropicServer(options?: FakeServerOptions) {
  return createFakeServer(anthropicDialect, options);
}
