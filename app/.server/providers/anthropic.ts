import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "@anthropic-ai/sdk";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages";
import { z } from "zod";
import { type Attempt, badResponse, describeIssues, timedCall } from "./errors";
import { providerFetch } from "./provider-fetch";
import type { CompletionRequest, ModelProvider } from "./types";

/**
 * Anthropic's Messages API. The SDK never retries (the job layer must see every 429) and never
 * logs; every failure comes back as a value.
 */

export interface AnthropicSettings {
  /** The API origin, without /v1; Anthropic's own when absent. */
  baseURL?: string;
  apiKey: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const ANTHROPIC_URL = "https://api.anthropic.com";
/** Anthropic requires max_tokens on every call. */
export const DEFAULT_MAX_TOKENS = 1024;

const count = z.number().int().nonnegative();

const messageSchema = z.object({
  content: z.array(z.object({ type: z.string(), text: z.string().optional(), input: z.unknown().optional() })),
  usage: z
    .object({
      input_tokens: count,
      output_tokens: count,
      cache_read_input_tokens: count.nullish(),
      cache_creation_input_tokens: count.nullish(),
    })
    .nullish(),
});

export function messagesBody(req: CompletionRequest): MessageCreateParamsNonStreaming {
  const system = req.messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const body: MessageCreateParamsNonStreaming = {
    model: req.providerModel,
    max_tokens: req.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
    messages: req.messages
      .filter((m) => m.role !== "system")
      .map((m) => ({ role: m.role as "user" | "assistant", content: m.content })),
  };
  if (system) body.system = system;
  // Anthropic's scale is 0..1 where OpenAI's is 0..2; clamping beats a 400 for a setting written for either.
  if (req.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, req.temperature));
  if (req.json && req.jsonSchema) {
    // Anthropic's structured output: one tool whose input is the object, and the model made to call it.
    const { name, description, schema } = req.jsonSchema;
    body.tools = [{ name, description, input_schema: { ...schema, type: "object" } }];
    body.tool_choice = { type: "tool", name };
  }
  return body;
}

/** The reply's text, or the forced tool's input as JSON text (so the judge's parser reads either). */
function replyText(content: z.infer<typeof messageSchema>["content"]): string {
  const tool = content.find((block) => block.type === "tool_use" && block.input !== undefined);
  if (tool) return JSON.stringify(tool.input);
  return content.map((block) => (block.type === "text" ? (block.text ?? "") : "")).join("");
}

export function createAnthropic(settings: AnthropicSettings): ModelProvider {
  let client: Anthropic | undefined;
  // Built on first use, so a misconfiguration surfaces as a failed call, never at import.
  const sdk = () => {
    client ??= new Anthropic({
      apiKey: settings.apiKey,
      authToken: null,
      webhookKey: null,
      baseURL: settings.baseURL ?? ANTHROPIC_URL,
      timeout: settings.timeoutMs,
      maxRetries: 0,
      logLevel: "off",
      fetch: settings.fetch ?? providerFetch(),
    });
    return client;
  };
  const ctx = {
    sdk: { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError },
    secret: settings.apiKey,
    timeoutMs: settings.timeoutMs,
  };

  return {
    name: "anthropic",
    complete: (req) =>
      timedCall(req, ctx, async (signal): Promise<Attempt> => {
        const reply: unknown = await sdk().messages.create(messagesBody(req), {
          signal,
          maxRetries: 0,
          ...(req.idempotencyKey && { headers: { "Idempotency-Key": req.idempotencyKey } }),
        });
        const parsed = messageSchema.safeParse(reply);
        if (!parsed.success) return badResponse(`not a Messages API reply: ${describeIssues(parsed.error.issues)}`);
        const { content, usage } = parsed.data;
        const text = replyText(content);
        if (!usage) {
          return { ok: true, text, usage: null };
        }
        const cacheRead = usage.cache_read_input_tokens ?? 0;
        // Anthropic counts cache reads and writes apart from input_tokens; the ledger's input is the total.
        // Writes are priced at the input rate here: the app sets no cache_control, so there are none.
        const input = usage.input_tokens + cacheRead + (usage.cache_creation_input_tokens ?? 0);
        return {
          ok: true,
          text,
          usage: { input, cachedInput: cacheRead, output: usage.output_tokens },
        };
      }),
  };
}
