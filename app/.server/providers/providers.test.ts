import { getEventListeners } from "node:events";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { ModelInfo } from "~/domain/models";
import { createFakeAnthropicServer } from "../../../test/fakes/anthropic-server";
import { createFakeOpenAIServer, hang, malformed, rateLimited, stalledBody } from "../../../test/fakes/openai-server";
import { parseConfig } from "../config";
import { openDb } from "../db";
import { seedModels } from "../models";
import { countTokens } from "../tokenizer.server";
import { createAnthropic } from "./anthropic";
import { judgeModel, limiterFromConfig, providerFromConfig, providerModelFor } from "./index";
import { createOpenAICompatible } from "./openai-compatible";
import type { ChatMessage, CompletionRequest, CompletionResult } from "./types";

// $2 / $0.50 / $8 per 1M tokens: 1000 input of which 400 cached, and 200 output, cost exactly
// 600×2 + 400×0.5 + 200×8 = 3000 micro-dollars.
const model: ModelInfo = {
  id: "test-medium",
  provider: "other",
  tier: "medium",
  encoding: "o200k_base",
  exactTokenizer: true,
  contextWindow: 128_000,
  inputMicrosPerM: 2_000_000,
  cachedInputMicrosPerM: 500_000,
  outputMicrosPerM: 8_000_000,
  priceAsOf: "2025-01-01",
};
const KEY = "sk-test-0123456789abcdefSECRET";
const messages: ChatMessage[] = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Summarise the ticket in one line" },
];
const request = (extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  model,
  providerModel: "served-model",
  messages,
  ...extra,
});

function failure(result: CompletionResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

// Every console channel, so a test can prove the key was never written anywhere.
const logged: string[] = [];
beforeEach(() => {
  logged.length = 0;
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : JSON.stringify(a))).join(" "));
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  expect(logged.join("\n")).not.toContain(KEY);
});

describe("OpenAI-compatible adapter, through its wire client against a fake server", () => {
  const fake = createFakeOpenAIServer();
  let provider: ReturnType<typeof createOpenAICompatible>;
  beforeAll(async () => {
    const { url } = await fake.start();
    provider = createOpenAICompatible({ baseURL: url, apiKey: KEY, timeoutMs: 2000 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it("reports usage with cached tokens and prices cached input at the cached rate", async () => {
    fake.script.push({ text: "One line.", usage: { input: 1000, cachedInput: 400, output: 200 } });
    const result = await provider.complete(request());
    expect(result).toMatchObject({
      ok: true,
      text: "One line.",
      usage: { input: 1000, cachedInput: 400, output: 200 },
      costMicros: 3000,
      providerModel: "served-model",
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("sends the provider's model name, the messages, max_tokens, temperature and the key", async () => {
    await provider.complete(request({ maxOutputTokens: 50, temperature: 0.2 }));
    const sent = fake.requests[0];
    expect(sent.body).toMatchObject({ model: "served-model", messages, max_tokens: 50, temperature: 0.2 });
    expect(sent.body).not.toHaveProperty("response_format");
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("asks for a JSON object in json mode", async () => {
    await provider.complete(request({ json: true }));
    expect(fake.requests[0].body.response_format).toEqual({ type: "json_object" });
  });

  it("names the request with its Idempotency-Key and asks for the judge's JSON schema", async () => {
    const jsonSchema = { name: "verdict", description: "d", schema: { type: "object" } };
    await provider.complete(request({ json: true, jsonSchema, idempotencyKey: "grading:1:judge:0:1" }));
    const sent = fake.requests[0];
    expect(sent.headers["idempotency-key"]).toBe("grading:1:judge:0:1");
    expect(sent.headers["content-type"]).toMatch(/^application\/json/);
    expect(sent.body.response_format).toEqual({
      type: "json_schema",
      json_schema: { ...jsonSchema, strict: false },
    });
  });

  it("asks again for a JSON object when the server refuses json_schema, and from then on", async () => {
    const refusing = createOpenAICompatible({ baseURL: fake.url, apiKey: KEY, timeoutMs: 2000 });
    const jsonSchema = { name: "verdict", description: "d", schema: { type: "object" } };
    fake.script.push({ status: 400, message: "response_format json_schema is not supported" });
    expect((await refusing.complete(request({ json: true, jsonSchema }))).ok).toBe(true);
    expect((await refusing.complete(request({ json: true, jsonSchema }))).ok).toBe(true);
    expect(fake.requests.map((r) => (r.body.response_format as { type: string }).type)).toEqual([
      "json_schema",
      "json_object",
      "json_object",
    ]);
  });

  it("words an error without a JSON body by its status, and a JSON error without a message by its body", async () => {
    const replies = [
      new Response("", { status: 503 }),
      new Response(JSON.stringify({ error: { code: "overloaded" } }), { status: 503 }),
      new Response("Bad Gateway", { status: 502 }),
    ];
    const canned = createOpenAICompatible({ baseURL: fake.url, timeoutMs: 2000, fetch: async () => replies.shift()! });
    const messages = [];
    for (let i = 0; i < 3; i++) messages.push(failure(await canned.complete(request())).error.message);
    expect(messages).toEqual(["503 status code (no body)", '503 {"code":"overloaded"}', "502 Bad Gateway"]);
  });

  it("returns a 429 as rate_limited with Retry-After in ms, and does not retry it itself", async () => {
    fake.script.push(rateLimited(2));
    const result = failure(await provider.complete(request()));
    expect(result.error).toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 2000, retryable: true });
    expect(result).toMatchObject({ usage: null, costMicros: 0 });
    expect(fake.requests).toHaveLength(1);
  });

  it("reads Retry-After given as an HTTP date, and retry-after-ms", async () => {
    fake.script.push(rateLimited(new Date(Date.now() + 30_000).toUTCString()));
    fake.script.push({ status: 429, headers: { "retry-after-ms": "750", "retry-after": "9" } });
    const byDate = failure(await provider.complete(request()));
    expect(byDate.error.retryAfterMs).toBeGreaterThan(25_000);
    expect(byDate.error.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(failure(await provider.complete(request())).error.retryAfterMs).toBe(750);
  });

  it("returns a 500 as a retryable server error, once", async () => {
    fake.script.push({ status: 500 });
    const result = failure(await provider.complete(request()));
    expect(result.error).toMatchObject({ kind: "server", status: 500, retryable: true });
    expect(result.error.message).toMatch(/^500 The server had an error/);
    expect(fake.requests).toHaveLength(1);
  });

  it("returns a 400 as bad_request, not retryable", async () => {
    fake.script.push({ status: 400, message: "context length exceeded" });
    const result = failure(await provider.complete(request()));
    expect(result.error).toMatchObject({ kind: "bad_request", status: 400, retryable: false });
    expect(result.error.message).toBe("400 context length exceeded");
  });

  it("times out a provider that never answers, within the configured timeout", async () => {
    const quick = createOpenAICompatible({ baseURL: fake.url, apiKey: KEY, timeoutMs: 300 });
    fake.script.push(hang());
    const result = failure(await quick.complete(request()));
    expect(result.error).toMatchObject({ kind: "timeout", retryable: true });
    expect(result.latencyMs).toBeGreaterThanOrEqual(290);
    expect(result.latencyMs).toBeLessThan(2000);
  });

  it("times out a reply whose body stalls after the headers", async () => {
    const quick = createOpenAICompatible({ baseURL: fake.url, apiKey: KEY, timeoutMs: 300 });
    fake.script.push(stalledBody());
    const result = failure(await quick.complete(request()));
    expect(result.error).toMatchObject({ kind: "timeout", retryable: true });
    expect(result.latencyMs).toBeLessThan(2000);
  });

  it("leaves nothing on a long-lived caller signal once calls end, and never aborts a finished call later", async () => {
    // The grading worker passes one signal for its whole life: each call must take back what it hung on it, and its
    // deadline must end with it (not fire LLM_TIMEOUT_MS later and abort the finished call's signal, on every call).
    const worker = new AbortController();
    // A deadline long enough for the request to reach the fake on a loaded machine (else its hang would be left over).
    const timing = createOpenAICompatible({ baseURL: fake.url, apiKey: KEY, timeoutMs: 1000 });
    fake.script.push(hang());
    expect(failure(await timing.complete(request({ signal: worker.signal }))).error.kind).toBe("timeout");
    const seen: AbortSignal[] = [];
    const watched = createOpenAICompatible({
      baseURL: fake.url,
      apiKey: KEY,
      timeoutMs: 1000,
      fetch: (url, init) => {
        if (init?.signal) seen.push(init.signal);
        return fetch(url, init);
      },
    });
    fake.script.push(rateLimited(1));
    const later = await Promise.all([1, 2, 3].map(() => watched.complete(request({ signal: worker.signal }))));
    expect(later.map((r) => (r.ok ? "ok" : r.error.kind)).sort()).toEqual(["ok", "ok", "rate_limited"]);
    expect(getEventListeners(worker.signal, "abort")).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 1200));
    expect(seen).toHaveLength(3);
    expect(seen.filter((s) => s.aborted)).toHaveLength(0);
  });

  it("reports a caller's cancellation as a timeout that is not retried", async () => {
    fake.script.push(hang());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = failure(await provider.complete(request({ signal: controller.signal })));
    expect(result.error).toMatchObject({ kind: "timeout", retryable: false });
  });

  it("returns a malformed body as bad_response", async () => {
    fake.script.push(malformed());
    const result = failure(await provider.complete(request()));
    expect(result.error).toMatchObject({ kind: "bad_response", retryable: true });
  });

  it("uses a reply without usage, counting its tokens itself and saying so, never as a free call", async () => {
    fake.script.push({ raw: JSON.stringify({ choices: [{ message: { role: "assistant", content: "hi there" } }] }) });
    const result = await provider.complete(request());
    expect(result).toMatchObject({ ok: true, text: "hi there", usageReported: false });
    expect(result.ok && result.usage.output).toBeGreaterThan(0);
    expect(result.ok && result.usage.input).toBeGreaterThan(0);
    expect(result.costMicros).toBeGreaterThan(0);
    // Counted on the CPU pool's threads (countOffThread), exactly as the app's tokenizer counts.
    expect(result.ok && result.usage).toEqual({
      input: messages.reduce((n, m) => n + countTokens(m.content, model.encoding), 0),
      cachedInput: 0,
      output: countTokens("hi there", model.encoding),
    });
  });

  it("returns an unreachable server as a retryable network error", async () => {
    const gone = createFakeOpenAIServer();
    const { url, close } = await gone.start();
    await close();
    const result = failure(await createOpenAICompatible({ baseURL: url, timeoutMs: 2000 }).complete(request()));
    expect(result.error).toMatchObject({ kind: "network", retryable: true });
  });

  it("never puts the API key in an error message, even when the server echoes it", async () => {
    const strict = createFakeOpenAIServer({ apiKey: "the-right-key" });
    const { url, close } = await strict.start();
    const result = failure(
      await createOpenAICompatible({ baseURL: url, apiKey: KEY, timeoutMs: 2000 }).complete(request()),
    );
    await close();
    expect(result.error).toMatchObject({ kind: "auth", status: 401, retryable: false });
    expect(result.error.message).toContain("Incorrect API key provided: [redacted]");
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it("works without an API key, as Ollama and vLLM do", async () => {
    const keyless = createOpenAICompatible({ baseURL: fake.url, timeoutMs: 2000 });
    expect((await keyless.complete(request())).ok).toBe(true);
  });

  it("answers slowly but within the timeout", async () => {
    fake.script.push({ text: "late but fine", delayMs: 200 });
    const result = await provider.complete(request());
    expect(result).toMatchObject({ ok: true, text: "late but fine" });
    expect(result.latencyMs).toBeGreaterThanOrEqual(190);
  });

  it("keeps the SDK silent even when its debug logging is switched on in the environment", async () => {
    vi.stubEnv("OPENAI_LOG", "debug");
    const fresh = createOpenAICompatible({ baseURL: fake.url, apiKey: KEY, timeoutMs: 2000 });
    fake.script.push({ status: 500 });
    await fresh.complete(request());
    vi.unstubAllEnvs();
    expect(logged).toEqual([]);
  });

  it("calls through an injected fetch", async () => {
    const seen: string[] = [];
    const spyFetch: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    const viaFetch = createOpenAICompatible({ baseURL: fake.url, timeoutMs: 2000, fetch: spyFetch });
    expect((await viaFetch.complete(request())).ok).toBe(true);
    expect(seen).toEqual([`${fake.url}/chat/completions`]);
  });

  it("sends max_completion_tokens to OpenAI itself and leaves out temperature for its reasoning models", async () => {
    const bodies: Record<string, unknown>[] = [];
    const capture: typeof fetch = async (_input, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      return new Response("{}", { status: 500, headers: { "content-type": "application/json" } });
    };
    const openai = createOpenAICompatible({ apiKey: KEY, timeoutMs: 2000, fetch: capture });
    await openai.complete(request({ providerModel: "o1", maxOutputTokens: 64, temperature: 0 }));
    expect(bodies[0]).toMatchObject({ model: "o1", max_completion_tokens: 64 });
    expect(bodies[0]).not.toHaveProperty("max_tokens");
    expect(bodies[0]).not.toHaveProperty("temperature");
  });
});

describe("Anthropic adapter, through @anthropic-ai/sdk against a fake server", () => {
  const fake = createFakeAnthropicServer();
  let provider: ReturnType<typeof createAnthropic>;
  beforeAll(async () => {
    const { url } = await fake.start();
    provider = createAnthropic({ baseURL: url, apiKey: KEY, timeoutMs: 2000 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it("adds cache reads to input, prices them at the cached rate, and joins the text blocks", async () => {
    fake.script.push({ text: "One line.", usage: { input: 1000, cachedInput: 400, output: 200 } });
    const result = await provider.complete(request());
    expect(fake.requests[0].reply).toBeDefined();
    expect(result).toMatchObject({
      ok: true,
      text: "One line.",
      usage: { input: 1000, cachedInput: 400, output: 200 },
      costMicros: 3000,
      providerModel: "served-model",
    });
  });

  it("puts system messages in `system`, requires max_tokens (1024 by default) and sends the key as x-api-key", async () => {
    await provider.complete(request({ temperature: 1.5 }));
    const sent = fake.requests[0];
    expect(sent.body).toMatchObject({
      model: "served-model",
      system: "You are terse.",
      max_tokens: 1024,
      temperature: 1,
      messages: [{ role: "user", content: "Summarise the ticket in one line" }],
    });
    expect(sent.headers["x-api-key"]).toBe(KEY);
    expect(sent.body).not.toHaveProperty("response_format");
  });

  it("returns a 429 as rate_limited with Retry-After, in Anthropic's words, once", async () => {
    fake.script.push(rateLimited(3));
    const result = failure(await provider.complete(request()));
    expect(result.error).toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 3000, retryable: true });
    expect(result.error.message).toBe("429 Rate limit reached for requests");
    expect(fake.requests).toHaveLength(1);
  });

  it("returns 500 and 529 (overloaded) as retryable server errors, 400 as bad_request", async () => {
    fake.script.push({ status: 500 }, { status: 529 }, { status: 400, message: "max_tokens: too large" });
    expect(failure(await provider.complete(request())).error).toMatchObject({ kind: "server", retryable: true });
    expect(failure(await provider.complete(request())).error).toMatchObject({ kind: "server", status: 529 });
    expect(failure(await provider.complete(request())).error).toMatchObject({ kind: "bad_request", retryable: false });
  });

  it("times out a provider that never answers", async () => {
    const quick = createAnthropic({ baseURL: fake.url, apiKey: KEY, timeoutMs: 300 });
    fake.script.push(hang());
    expect(failure(await quick.complete(request())).error).toMatchObject({ kind: "timeout", retryable: true });
  });

  it("returns a malformed body as bad_response", async () => {
    fake.script.push(malformed());
    expect(failure(await provider.complete(request())).error.kind).toBe("bad_response");
  });

  it("keeps the SDK silent even when its debug logging is switched on in the environment", async () => {
    vi.stubEnv("ANTHROPIC_LOG", "debug");
    const fresh = createAnthropic({ baseURL: fake.url, apiKey: KEY, timeoutMs: 2000 });
    fake.script.push({ status: 500 });
    await fresh.complete(request());
    vi.unstubAllEnvs();
    expect(logged).toEqual([]);
  });

  it("never puts the API key in an error message", async () => {
    const strict = createFakeAnthropicServer({ apiKey: "the-right-key" });
    const { url, close } = await strict.start();
    const result = failure(await createAnthropic({ baseURL: url, apiKey: KEY, timeoutMs: 2000 }).complete(request()));
    await close();
    expect(result.error).toMatchObject({ kind: "auth", status: 401 });
    expect(JSON.stringify(result)).not.toContain(KEY);
  });
});

describe("provider configuration", () => {
  const env = { SESSION_SECRET: "x".repeat(32) };

  it("has no provider when LLM_PROVIDER=none, and one memoised client otherwise", () => {
    expect(providerFromConfig(parseConfig(env))).toBeNull();
    const cfg = parseConfig({ ...env, LLM_PROVIDER: "openai-compatible", LLM_BASE_URL: "http://127.0.0.1:9/v1" });
    expect(providerFromConfig(cfg)?.name).toBe("openai-compatible");
    expect(providerFromConfig(cfg)).toBe(providerFromConfig(cfg));
    const anthropic = parseConfig({ ...env, LLM_PROVIDER: "anthropic", LLM_API_KEY: KEY });
    expect(providerFromConfig(anthropic)?.name).toBe("anthropic");
  });

  it("maps models by name from the catalogue's served_as, never by tier, and serves no model it was not told of", () => {
    const openai = { ...model, provider: "openai" };
    expect(providerModelFor(openai, "openai-compatible")).toBe("test-medium");
    expect(providerModelFor(openai, "anthropic")).toBeNull();
    expect(providerModelFor({ ...model, provider: "anthropic" }, "anthropic")).toBe("test-medium");
    expect(providerModelFor({ ...model, provider: "anthropic" }, "openai-compatible")).toBeNull();
    const ollama = { ...openai, servedAs: { "openai-compatible": "llama3.1:70b" } };
    expect(providerModelFor(ollama, "openai-compatible")).toBe("llama3.1:70b");
    // Named for one provider only: the vendor default no longer applies to the others.
    expect(providerModelFor({ ...openai, servedAs: { anthropic: "x" } }, "openai-compatible")).toBeNull();
  });

  it("refuses the retired per-tier and provider-name variables, saying where the mapping lives now", () => {
    for (const name of ["LLM_MODEL_MEDIUM", "LLM_JUDGE_PROVIDER_MODEL", "LLM_MAX_RETRIES"])
      expect(() => parseConfig({ ...env, [name]: "x" })).toThrow(new RegExp(`${name}: is no longer read`));
  });

  it("names the judge from the catalogue, with its provider-side name", () => {
    const database = openDb(":memory:");
    seedModels(database, "db/models.yaml");
    const judge = judgeModel(parseConfig({ ...env, LLM_JUDGE_MODEL: "gpt-4.1-mini" }), database);
    expect(judge.model).toMatchObject({ id: "gpt-4.1-mini", inputMicrosPerM: 400_000 });
    expect(judge.providerModel).toBe("gpt-4.1-mini");
    // An OpenAI model as the judge of an Anthropic deployment: refused at start, naming the fix.
    const anthropic = { ...env, LLM_PROVIDER: "anthropic", LLM_API_KEY: KEY, LLM_JUDGE_MODEL: "gpt-4.1-mini" };
    expect(() => judgeModel(parseConfig(anthropic), database)).toThrow(
      /not served by LLM_PROVIDER=anthropic.*served_as/,
    );
    expect(judgeModel(parseConfig({ ...anthropic, LLM_JUDGE_MODEL: "claude-3-5-haiku" }), database).providerModel).toBe(
      "claude-3-5-haiku",
    );
    expect(() => judgeModel(parseConfig({ ...env, LLM_JUDGE_MODEL: "no-such-model" }), database)).toThrow(
      /not in the model catalogue/,
    );
    database.$client.close();
  });

  it("shares one limiter of LLM_CONCURRENCY slots per configuration", () => {
    const cfg = parseConfig({ ...env, LLM_CONCURRENCY: "3" });
    expect(limiterFromConfig(cfg)).toBe(limiterFromConfig(cfg));
  });
});
