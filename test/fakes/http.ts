import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The machinery the fake OpenAI-compatible and Anthropic servers share: a real HTTP server on
 * loopback that records every request and answers from a per-test script, a handler, or a
 * deterministic default. Each vendor module supplies only its wire format (a Dialect).
 */

export interface FakeMessage {
  role: string;
  content: string;
}

/** Token counts in the app's terms: `input` includes `cachedInput`. Each dialect converts to its wire format. */
export interface FakeUsage {
  input: number;
  cachedInput: number;
  output: number;
}

export type FakeReply =
  /**
   * A completion; usage not given is estimated (one token per word), output cut at the request's max tokens.
   * `omitUsage`: the usage is billed (recorded) but left out of the reply, as some compatible servers do.
   */
  | { text: string; usage?: Partial<FakeUsage>; delayMs?: number; omitUsage?: boolean }
  /**
   * Vectors for POST /v1/embeddings, one per input. Usage not given is estimated (one token per word);
   * `usage: false` leaves it out of the reply, as some compatible servers do.
   */
  | { embeddings: number[][]; usage?: { input: number } | false; delayMs?: number }
  /** An error in the vendor's error JSON; `retryAfter` becomes the Retry-After header (seconds or an HTTP date). */
  | {
      status: number;
      message?: string;
      retryAfter?: number | string;
      headers?: Record<string, string>;
      delayMs?: number;
    }
  /** Exactly this body, e.g. truncated JSON. */
  | { raw: string; status?: number; contentType?: string; delayMs?: number }
  /** Never answer (until the client gives up or the server closes). */
  | { hang: true }
  /** Send 200 and the start of a body, then stall: a timeout that only a whole-exchange deadline catches. */
  | { stallBody: true };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  /** The conversation in one shape for both vendors (Anthropic's `system` comes first, as a system message). */
  messages: FakeMessage[];
  /** What the server answered, filled in when it answers. */
  reply?: FakeReply;
  /** The usage it reported, in the app's terms. */
  usage?: FakeUsage;
}

export type Handler = (req: RecordedRequest) => FakeReply | undefined | Promise<FakeReply | undefined>;
/** A queued answer: a reply, or a function of the request. Consumed one per request, before the handler. */
export type Scripted = FakeReply | ((req: RecordedRequest) => FakeReply);

export interface Dialect {
  /** The base URL the SDK is given, relative to the origin: "/v1" for OpenAI, "" for Anthropic. */
  basePath: string;
  routes: Record<string, "chat" | "embeddings">;
  apiKeyOf(headers: IncomingHttpHeaders): string | undefined;
  messagesOf(body: Record<string, unknown>): FakeMessage[];
  maxTokensOf(body: Record<string, unknown>): number | undefined;
  /** A reason to answer 400, as the real API would (e.g. Anthropic's required max_tokens). */
  invalid?(body: Record<string, unknown>): string | undefined;
  embeddingInputsOf?(body: Record<string, unknown>): string[];
  completion(text: string, usage: FakeUsage, truncated: boolean, body: Record<string, unknown>): unknown;
  /** `inputTokens` null: leave usage out. */
  embeddings?(vectors: number[][], inputTokens: number | null, body: Record<string, unknown>): unknown;
  error(status: number, message: string): unknown;
}

export interface FakeServerOptions {
  handler?: Handler;
  script?: Scripted[];
  /** Added before every answer, e.g. 300 for the benchmark's provider. */
  delayMs?: number;
  /** When set, any other key gets a 401 whose message quotes the key presented (worse than real vendors, on purpose). */
  apiKey?: string;
  /**
   * Called once each request has its answer (after its delay), with `recorded.usage` set when it was billed. A
   * completion is billed even when the client has gone by then, as real providers bill work they did.
   */
  onAnswered?: (req: RecordedRequest, clientGone: boolean) => void;
}

export interface FakeProviderServer {
  readonly requests: RecordedRequest[];
  readonly script: Scripted[];
  handler: Handler | undefined;
  delayMs: number;
  /** Requests being answered now, and the most at once since start or reset. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** The base URL for the SDK (LLM_BASE_URL); throws before start(). */
  readonly url: string;
  start(): Promise<{ url: string; close: () => Promise<void> }>;
  close(): Promise<void>;
  /** Forgets requests, script, the in-flight high-water mark, and restores the handler and delay given at creation. */
  reset(): void;
}

/** The fakes' token count: one per whitespace-separated word. Deterministic, so tests can compute expected costs. */
export function estimateTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export function promptTokens(messages: FakeMessage[]): number {
  return messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
}

/** Text from a message's content: a string, or an array of `{ type: "text", text }` parts. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join("");
}

/** The default target answer: an echo of the last user message, so outputs differ by test input. */
export function targetText(messages: FakeMessage[]): string {
  const lastUser = [...messages].reverse().find((m) => m.role === "user");
  return `Echo: ${(lastUser?.content ?? "").replace(/\s+/g, " ").trim()}`;
}

/** A bag-of-words vector (unit length): near-identical texts score a cosine close to 1. */
export function fakeEmbedding(text: string, dims = 64): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
    v[(h >>> 0) % dims] += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

export const rateLimited = (retryAfter: number | string = 1): FakeReply => ({ status: 429, retryAfter });
export const serverError = (status = 500): FakeReply => ({ status });
export const malformed = (): FakeReply => ({ raw: '{"id": "truncated", "choices": [' });
export const hang = (): FakeReply => ({ hang: true });
export const stalledBody = (): FakeReply => ({ stallBody: true });
export const slow = (delayMs: number, text: string): FakeReply => ({ text, delayMs });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export function createFakeServer(dialect: Dialect, options: FakeServerOptions = {}): FakeProviderServer {
  const requests: RecordedRequest[] = [];
  const script: Scripted[] = [...(options.script ?? [])];
  let inFlight = 0;
  let maxInFlight = 0;
  let baseUrl: string | undefined;

  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once("close", () => inFlight--);
    answer(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, dialect.error(500, `fake server bug: ${String(err)}`));
    });
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    const route = req.method === "POST" ? dialect.routes[path] : undefined;
    if (!route) return sendJson(res, 404, dialect.error(404, `no route ${req.method} ${path}`));
    const presented = dialect.apiKeyOf(req.headers);
    if (options.apiKey !== undefined && presented !== options.apiKey) {
      return sendJson(res, 401, dialect.error(401, `Incorrect API key provided: ${presented ?? "(none)"}`));
    }
    const body = await readJson(req);
    if (!body) return sendJson(res, 400, dialect.error(400, "the request body is not JSON"));
    const invalid = dialect.invalid?.(body);
    if (invalid) return sendJson(res, 400, dialect.error(400, invalid));
    const recorded: RecordedRequest = { method: req.method ?? "POST", path, headers: req.headers, body, messages: [] };
    recorded.messages = route === "chat" ? dialect.messagesOf(body) : [];
    requests.push(recorded);

    const next = script.shift();
    const scripted = typeof next === "function" ? next(recorded) : next;
    let reply = scripted ?? (await fake.handler?.(recorded)) ?? defaultReply(route, recorded);
    // A handler written for chat answers text; an embeddings request it did not mean to answer gets vectors.
    if (route === "embeddings" && "text" in reply) reply = defaultReply(route, recorded);
    recorded.reply = reply;
    if ("hang" in reply) {
      options.onAnswered?.(recorded, false);
      return;
    }
    if ("stallBody" in reply) {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id": "stalled", ');
      return;
    }
    await sleep(fake.delayMs + (reply.delayMs ?? 0));
    const gone = res.destroyed;
    if (gone && !options.onAnswered) return;

    // When the client is gone there is nothing to write to, but a completion is still billed (recorded.usage).
    if ("raw" in reply) {
      if (!gone) {
        res.writeHead(reply.status ?? 200, { "content-type": reply.contentType ?? "application/json" });
        res.end(reply.raw);
      }
    } else if ("status" in reply) {
      const headers = { ...reply.headers };
      if (reply.retryAfter !== undefined) headers["retry-after"] = String(reply.retryAfter);
      const error = dialect.error(reply.status, reply.message ?? defaultMessage(reply.status));
      if (!gone) sendJson(res, reply.status, error, headers);
    } else if ("embeddings" in reply) {
      const inputs = dialect.embeddingInputsOf?.(body) ?? [];
      const tokens = reply.usage ? reply.usage.input : inputs.reduce((sum, t) => sum + estimateTokens(t), 0);
      if (reply.usage !== false) recorded.usage = { input: tokens, cachedInput: 0, output: 0 };
      const answer = dialect.embeddings?.(reply.embeddings, reply.usage === false ? null : tokens, body);
      if (!gone) sendJson(res, 200, answer);
    } else {
      const max = dialect.maxTokensOf(body);
      const words = reply.text.split(/\s+/).filter(Boolean);
      const truncated = reply.usage?.output === undefined && max !== undefined && words.length > max;
      const text = truncated ? words.slice(0, max).join(" ") : reply.text;
      const usage: FakeUsage = {
        input: reply.usage?.input ?? promptTokens(recorded.messages),
        cachedInput: reply.usage?.cachedInput ?? 0,
        output: reply.usage?.output ?? estimateTokens(text),
      };
      recorded.usage = usage;
      const reply200 = dialect.completion(text, usage, truncated, body) as Record<string, unknown>;
      if ("omitUsage" in reply && reply.omitUsage) delete reply200.usage;
      if (!gone) sendJson(res, 200, reply200);
    }
    options.onAnswered?.(recorded, gone);
  }

  function defaultReply(route: "chat" | "embeddings", req: RecordedRequest): FakeReply {
    if (route === "embeddings")
      return { embeddings: (dialect.embeddingInputsOf?.(req.body) ?? []).map((t) => fakeEmbedding(t)) };
    return { text: targetText(req.messages) };
  }

  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  const fake: FakeProviderServer = {
    requests,
    script,
    handler: options.handler,
    delayMs: options.delayMs ?? 0,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get url() {
      if (!baseUrl) throw new Error("the fake server has not been started");
      return baseUrl;
    },
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      baseUrl = `http://127.0.0.1:${port}${dialect.basePath}`;
      return { url: baseUrl, close };
    },
    close,
    reset() {
      requests.length = 0;
      script.length = 0;
      fake.handler = options.handler;
      fake.delayMs = options.delayMs ?? 0;
      maxInFlight = inFlight;
    },
  };
  return fake;
}

function defaultMessage(status: number): string {
  if (status === 429) return "Rate limit reached for requests";
  if (status === 401) return "Invalid authentication";
  if (status >= 500) return "The server had an error while processing your request";
  return "Invalid request";
}
