import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { ModelInfo } from "~/domain/models";
import { createFakeOpenAIServer, fakeEmbedding, hang, malformed } from "../../../test/fakes/openai-server";
import { ConfigError, parseConfig } from "../config";
import { type Db, openDb } from "../db";
import { seedModels } from "../models";
import { countTokens } from "../tokenizer.server";
import { judgeModel, providerFromConfig } from "./index";
import { createOpenAICompatible } from "./openai-compatible";
import type { EmbeddingResult, Embeddings } from "./types";

// $0.13 per 1M input tokens: 123,457 tokens cost 123,457 × 0.13 = 16,049.41, so 16,049 micro-dollars.
const embedder: ModelInfo = {
  id: "embed-large",
  kind: "embedding",
  provider: "openai",
  tier: "nano",
  encoding: "cl100k_base",
  exactTokenizer: true,
  contextWindow: 8191,
  inputMicrosPerM: 130_000,
  cachedInputMicrosPerM: 130_000,
  outputMicrosPerM: 0,
  priceAsOf: "2024-01-25",
};
const KEY = "sk-test-0123456789abcdefSECRET";
const TEXTS = ["refund the order", "cancel the order"];

function failure(result: EmbeddingResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

describe("embeddings through the OpenAI-compatible adapter, against a fake server", () => {
  const fake = createFakeOpenAIServer();
  let embeddings: Embeddings;
  const embed = (texts = TEXTS) => embeddings.embed({ model: embedder, texts });
  beforeAll(async () => {
    const { url } = await fake.start();
    embeddings = createOpenAICompatible({ baseURL: url, apiKey: KEY, timeoutMs: 2000, embeddingModel: "embed-large" })
      .embeddings!;
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it("embeds texts in order, as floats, billed exactly from the usage the provider reports", async () => {
    fake.script.push({ embeddings: TEXTS.map((t) => fakeEmbedding(t)), usage: { input: 123_457 } });
    const result = await embed();
    expect(result).toMatchObject({
      ok: true,
      vectors: TEXTS.map((t) => fakeEmbedding(t)),
      usage: { input: 123_457, cachedInput: 0, output: 0 },
      costMicros: 16_049,
      providerModel: "embed-large",
    });
    expect(embeddings.model).toBe("embed-large");
    expect(fake.requests[0]).toMatchObject({
      path: "/v1/embeddings",
      body: { model: "embed-large", input: TEXTS, encoding_format: "float" },
    });
  });

  it("sends the provider's own name for the model when it has one, and prices by the catalogue id", async () => {
    const renamed = createOpenAICompatible({
      baseURL: fake.url,
      apiKey: KEY,
      timeoutMs: 2000,
      embeddingModel: "embed-large",
      embeddingProviderModel: "my-azure-embedder",
    }).embeddings!;
    fake.script.push({ embeddings: TEXTS.map((t) => fakeEmbedding(t)), usage: { input: 123_457 } });
    const result = await renamed.embed({ model: embedder, texts: TEXTS });
    expect(result).toMatchObject({ ok: true, costMicros: 16_049, providerModel: "my-azure-embedder" });
    expect(renamed.model).toBe("embed-large");
    expect(fake.requests[0]).toMatchObject({ body: { model: "my-azure-embedder" } });
  });

  it("puts the vectors back in the order of the texts when the reply lists them out of order", async () => {
    const data = [1, 0].map((index) => ({ object: "embedding", index, embedding: fakeEmbedding(TEXTS[index]) }));
    fake.script.push({ raw: JSON.stringify({ object: "list", data, usage: { prompt_tokens: 6, total_tokens: 6 } }) });
    const result = await embed();
    expect(result.ok && result.vectors).toEqual(TEXTS.map((t) => fakeEmbedding(t)));
  });

  it("counts the tokens with the app's tokenizer when the reply reports no usage", async () => {
    fake.script.push({ embeddings: TEXTS.map((t) => fakeEmbedding(t)), usage: false });
    const result = await embed();
    const counted = TEXTS.reduce((n, t) => n + countTokens(t, "cl100k_base"), 0);
    expect(result).toMatchObject({ ok: true, usage: { input: counted, output: 0 } });
    expect(counted).toBeGreaterThan(0);
  });

  it("returns a failed call as a value at $0: a server error, a malformed body, a vector count that does not match", async () => {
    fake.script.push({ status: 500 }, malformed(), { embeddings: [fakeEmbedding("only one")] });
    expect(failure(await embed())).toMatchObject({ error: { kind: "server", retryable: true }, costMicros: 0 });
    expect(failure(await embed()).error.kind).toBe("bad_response");
    expect(failure(await embed())).toMatchObject({ error: { message: "1 embeddings for 2 texts" }, usage: null });
  });

  it("times out a provider that never answers, within the configured timeout", async () => {
    const quick = createOpenAICompatible({ baseURL: fake.url, timeoutMs: 300, embeddingModel: "embed-large" });
    fake.script.push(hang());
    const result = failure(await quick.embeddings!.embed({ model: embedder, texts: TEXTS }));
    expect(result.error).toMatchObject({ kind: "timeout", retryable: true });
    expect(result.latencyMs).toBeLessThan(2000);
  });

  it("never puts the API key in an error, nor in a log", async () => {
    const logged: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => logged.push(JSON.stringify(args)));
    const strict = createFakeOpenAIServer({ apiKey: "the-right-key" });
    const { url, close } = await strict.start();
    const provider = createOpenAICompatible({ baseURL: url, apiKey: KEY, timeoutMs: 2000, embeddingModel: "e" });
    const result = failure(await provider.embeddings!.embed({ model: embedder, texts: TEXTS }));
    await close();
    vi.restoreAllMocks();
    expect(result.error).toMatchObject({ kind: "auth", status: 401 });
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(logged.join("\n")).not.toContain(KEY);
  });

  it("offers no embeddings without an embeddings model", () => {
    expect(createOpenAICompatible({ baseURL: fake.url, timeoutMs: 2000 }).embeddings).toBeUndefined();
  });
});

describe("LLM_EMBEDDING_MODEL", () => {
  const env = {
    SESSION_SECRET: "x".repeat(32),
    LLM_PROVIDER: "openai-compatible",
    LLM_BASE_URL: "http://127.0.0.1:9/v1",
  };
  let database: Db;
  beforeAll(() => {
    database = openDb(":memory:");
    seedModels(database, "db/models.yaml");
  });
  afterAll(() => database.$client.close());
  const build = (extra: Record<string, string>) => () =>
    providerFromConfig(parseConfig({ ...env, ...extra }), database);

  it("gives the provider embeddings when it names an embeddings model of the catalogue", () => {
    expect(build({ LLM_EMBEDDING_MODEL: "text-embedding-3-small" })()?.embeddings?.model).toBe(
      "text-embedding-3-small",
    );
    expect(build({})()?.embeddings).toBeUndefined();
  });

  it("stops the provider from being built when the model is not in the catalogue, naming the variable", () => {
    const attempt = build({ LLM_EMBEDDING_MODEL: "no-such-embedder" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      'Invalid configuration in environment variables:\n  LLM_EMBEDDING_MODEL: "no-such-embedder" is not in the model catalogue',
    );
  });

  it("refuses a chat model as the embeddings model", () => {
    expect(build({ LLM_EMBEDDING_MODEL: "gpt-4.1-nano" })).toThrow(
      'LLM_EMBEDDING_MODEL: "gpt-4.1-nano" is a chat model in the catalogue',
    );
  });

  it("is ignored by the Anthropic provider, which has no embeddings API", () => {
    const anthropic = build({ LLM_PROVIDER: "anthropic", LLM_API_KEY: KEY, LLM_EMBEDDING_MODEL: "no-such-embedder" });
    expect(anthropic()?.embeddings).toBeUndefined();
  });

  it("is never accepted as the judge", () => {
    const cfg = parseConfig({ ...env, LLM_JUDGE_MODEL: "text-embedding-3-small" });
    expect(() => judgeModel(cfg, database)).toThrow(
      'LLM_JUDGE_MODEL: "text-embedding-3-small" is an embeddings model; name a chat model',
    );
  });
});
