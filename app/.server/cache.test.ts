import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { callCache, modelCalls } from "#db/schema";
import {
  type CacheParams,
  exactKey,
  lookup,
  lookupSimilar,
  type PromptEmbedding,
  purgeExpired,
  recordHit,
  SEMANTIC_SCAN,
  SEMANTIC_SCAN_LIMIT,
  scopeKey,
  store,
} from "./cache";
import { config } from "./config";
import { type Db, immediateWrite, openDb } from "./db";
import { recordCall } from "./ledger";

const database: Db = openDb(join(mkdtempSync(join(tmpdir(), "tokenwise-cache-")), "cache.db"));
afterAll(() => database.$client.close());
beforeEach(() => {
  database.delete(modelCalls).run();
  database.delete(callCache).run();
});

const HOUR = 3_600_000;
const NOW = new Date("2025-11-15T12:00:00Z");
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);

const PROMPT = [
  "You are a support assistant for an online bookshop. Read the customer's message and decide which team should",
  "handle it: billing, delivery or accounts. Keep the reason short and friendly, never promise a refund yourself,",
  'and reply in JSON with the fields "team" and "reason". Do not add anything outside the JSON object.',
].join(" ");
const TYPO = PROMPT.replace("customer's message", "custmer's message");
const PARAMS: CacheParams = { temperature: 0, maxTokens: 200, json: true };

interface Call {
  model?: string;
  purpose?: "target" | "judge" | "preview";
  prompt?: string;
  testInput?: string;
  params?: CacheParams;
  embedding?: PromptEmbedding;
}

function keys(call: Call = {}) {
  const model = call.model ?? "gpt-4.1-nano";
  const prompt = call.prompt ?? PROMPT;
  const testInput = call.testInput ?? "I was charged twice for order 1182.";
  const params = call.params ?? PARAMS;
  return {
    exactKey: exactKey({
      model,
      messages: [
        { role: "system", content: prompt },
        { role: "user", content: testInput },
      ],
      params,
    }),
    scopeKey: scopeKey({ model, purpose: call.purpose ?? "target", testInput, params }),
    model,
    purpose: call.purpose ?? "target",
    promptText: prompt,
    embedding: call.embedding,
  };
}

function put(call: Call = {}, extra: { costMicros?: number; now?: Date; ttlHours?: number; response?: string } = {}) {
  return store(database, {
    ...keys(call),
    responseText: extra.response ?? '{"team":"billing","reason":"double charge"}',
    tokens: { input: 120, cachedInput: 20, output: 15 },
    costMicros: extra.costMicros ?? 1234,
    now: extra.now ?? NOW,
    ttlHours: extra.ttlHours,
  });
}

function find(call: Call = {}, now = at(1), threshold?: number) {
  const { exactKey, scopeKey, promptText, embedding } = keys(call);
  return lookup(database, { exactKey, scopeKey, promptText, embedding, now, threshold });
}

describe("keys", () => {
  it("gives the same exact key for the same model, messages and parameters, whatever the key order", () => {
    const messages = [{ role: "user", content: "hi" }];
    const a = exactKey({ model: "m", messages, params: { temperature: 0, maxTokens: 10, json: false } });
    const b = exactKey({ model: "m", messages, params: { json: false, maxTokens: 10, temperature: 0 } });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it("treats absent, undefined and null parameters alike", () => {
    const messages = [{ role: "user", content: "hi" }];
    const a = exactKey({ model: "m", messages, params: {} });
    expect(exactKey({ model: "m", messages, params: { temperature: undefined, maxTokens: null, json: false } })).toBe(
      a,
    );
  });

  it.each<[string, Call]>([
    ["model", { model: "gpt-4.1-mini" }],
    ["prompt", { prompt: TYPO }],
    ["test input", { testInput: "Where is my parcel?" }],
    ["temperature", { params: { ...PARAMS, temperature: 0.7 } }],
    ["max tokens", { params: { ...PARAMS, maxTokens: 201 } }],
    ["json mode", { params: { ...PARAMS, json: false } }],
  ])("changes the exact key when the %s changes", (_, change) => {
    expect(keys(change).exactKey).not.toBe(keys().exactKey);
  });

  it.each<[string, Call]>([
    ["model", { model: "gpt-4.1-mini" }],
    ["purpose", { purpose: "preview" }],
    ["test input", { testInput: "Where is my parcel?" }],
    ["parameters", { params: { ...PARAMS, temperature: 1 } }],
  ])("changes the scope key when the %s changes", (_, change) => {
    expect(keys(change).scopeKey).not.toBe(keys().scopeKey);
  });

  it("keeps the scope key when only the prompt changes", () => {
    expect(keys({ prompt: TYPO }).scopeKey).toBe(keys().scopeKey);
  });
});

describe("lookup", () => {
  it("returns an exact hit with the original usage and its cost as the saving", () => {
    const id = put();
    const hit = find();
    expect(hit).toEqual({
      entryId: id,
      kind: "exact",
      similarity: 1,
      model: "gpt-4.1-nano",
      purpose: "target",
      responseText: '{"team":"billing","reason":"double charge"}',
      tokens: { input: 120, cachedInput: 20, output: 15 },
      savedMicros: 1234,
    });
  });

  it("returns a semantic hit for a near-identical prompt in the same scope", () => {
    const id = put();
    const hit = find({ prompt: TYPO });
    expect(hit?.kind).toBe("semantic");
    expect(hit?.entryId).toBe(id);
    expect(hit?.similarity).toBeGreaterThanOrEqual(config().SEMANTIC_CACHE_THRESHOLD);
    expect(hit?.savedMicros).toBe(1234);
  });

  it("misses when the prompt differs in an instruction that matters", () => {
    put();
    expect(find({ prompt: PROMPT.replace("reply in JSON", "reply in prose") })).toBeNull();
  });

  it("never reuses a target output for a different test input, even with the identical prompt and the lowest threshold", () => {
    put({ testInput: "I was charged twice for order 1182." });
    expect(find({ testInput: "I was charged twice for order 1183." }, at(1), 0.5)).toBeNull();
    expect(find({ testInput: "Where is my parcel?", prompt: TYPO }, at(1), 0.5)).toBeNull();
  });

  it("never reuses an output across models, even with the identical prompt and the lowest threshold", () => {
    put({ model: "gpt-4.1-nano" });
    expect(find({ model: "gpt-4.1-mini" }, at(1), 0.5)).toBeNull();
    expect(find({ model: "gpt-4.1-mini", prompt: TYPO }, at(1), 0.5)).toBeNull();
  });

  it("never matches semantically across purposes or parameters", () => {
    put();
    expect(find({ prompt: TYPO, purpose: "preview" }, at(1), 0.5)).toBeNull();
    expect(find({ prompt: TYPO, params: { ...PARAMS, temperature: 0.2 } }, at(1), 0.5)).toBeNull();
  });

  it("uses the provider's embeddings when both sides have them", () => {
    const reworded = PROMPT.replace("Keep the reason short and friendly", "Make the reason brief and warm-hearted");
    put({ embedding: { model: "embedder", vector: [0.6, 0.8, 0] } });
    expect(find({ prompt: reworded })).toBeNull();
    const hit = find({ prompt: reworded, embedding: { model: "embedder", vector: [0.6, 0.8, 0.001] } });
    expect(hit?.kind).toBe("semantic");
  });

  it("never compares vectors made by another embeddings model, even of the same length", () => {
    const reworded = PROMPT.replace("Keep the reason short and friendly", "Make the reason brief and warm-hearted");
    put({ embedding: { model: "embedder-a", vector: [0.6, 0.8, 0] } });
    expect(find({ prompt: reworded, embedding: { model: "embedder-b", vector: [0.6, 0.8, 0.001] } })).toBeNull();
    // The local similarity still serves a near-identical prompt.
    expect(find({ prompt: TYPO, embedding: { model: "embedder-b", vector: [0, 0, 1] } })?.kind).toBe("semantic");
  });

  it("stores the embedding with the model that made it", () => {
    const id = put({ embedding: { model: "embedder", vector: [0.6, 0.8, 0] } })!;
    const row = database.select().from(callCache).where(eq(callCache.id, id)).get();
    expect(row?.embedding).toEqual({ model: "embedder", vector: [0.6, 0.8, 0] });
  });

  it("prefers the most similar candidate in scope", () => {
    put({ prompt: PROMPT.replace("online bookshop", "online bookstore") }, { response: "second best" });
    put({ prompt: PROMPT.replace("never promise", "never, ever promise") }, { response: "worse" });
    put({ prompt: PROMPT.replace("decide which", "decide  which") }, { response: "best" });
    put({ prompt: PROMPT.replace("Read the", "Reed the") }, { response: "also close" });
    expect(find({ prompt: PROMPT.replace("decide which", "decide\nwhich") })?.responseText).toBe("best");
  });

  it("scans only the most recent entries of a scope", () => {
    put({ prompt: TYPO }, { now: at(-2) });
    for (let i = 0; i < SEMANTIC_SCAN_LIMIT; i++) put({ prompt: `Unrelated prompt number ${i}.` }, { now: at(-1) });
    expect(find()).toBeNull();
    database.delete(callCache).where(eq(callCache.promptText, "Unrelated prompt number 0.")).run();
    expect(find()?.kind).toBe("semantic");
  });

  it("reads a scope's newest entries in index order, without sorting the whole scope", () => {
    for (const columns of ["id", "id, embedding"]) {
      const plan = database.$client
        .prepare(`explain query plan select ${columns} ${SEMANTIC_SCAN}`)
        .all("scope", NOW.getTime(), SEMANTIC_SCAN_LIMIT) as { detail: string }[];
      const details = plan.map((step) => step.detail).join("; ");
      expect(details).toContain("call_cache_scope_recent");
      expect(details).not.toContain("TEMP B-TREE");
    }
  });
});

describe("time to live", () => {
  it("expires an entry CACHE_TTL_HOURS after it was stored", () => {
    put();
    const ttl = config().CACHE_TTL_HOURS;
    expect(ttl).toBeGreaterThan(0);
    expect(find({}, at(ttl - 0.01))).not.toBeNull();
    expect(find({}, at(ttl))).toBeNull();
    expect(find({ prompt: TYPO }, at(ttl))).toBeNull();
  });

  it("honours a TTL given with the entry, and stores nothing with a TTL of 0", () => {
    put({}, { ttlHours: 2 });
    expect(find({}, at(1.9))).not.toBeNull();
    expect(find({}, at(2))).toBeNull();
    database.delete(callCache).run();
    expect(put({}, { ttlHours: 0 })).toBeNull();
    expect(database.select().from(callCache).all()).toHaveLength(0);
  });

  it("purgeExpired deletes only expired entries and says how many", () => {
    put({}, { ttlHours: 1 });
    put({ testInput: "b" }, { ttlHours: 3 });
    put({ testInput: "c" }, { ttlHours: 5 });
    expect(purgeExpired(database, at(3))).toBe(2);
    expect(database.select({ input: callCache.scopeKey }).from(callCache).all()).toHaveLength(1);
    expect(find({ testInput: "c" }, at(3))).not.toBeNull();
  });
});

describe("hits", () => {
  it("recordHit counts each use of an entry", () => {
    const id = put()!;
    recordHit(database, id);
    recordHit(database, id);
    expect(database.select({ hits: callCache.hits }).from(callCache).where(eq(callCache.id, id)).get()?.hits).toBe(2);
  });

  it("lets an exact and a semantic hit be recorded in the ledger at $0 with the original cost saved", () => {
    const model = {
      id: "gpt-4.1-nano",
      provider: "openai",
      tier: "nano",
      inputMicrosPerM: 100_000,
      cachedInputMicrosPerM: 25_000,
      outputMicrosPerM: 400_000,
      priceAsOf: "2025-11-01",
    } as const;
    const tags = { userId: null, teamId: null, departmentId: null, courseId: null, exerciseId: null, attemptId: null };
    const tokens = { input: 120, cachedInput: 20, output: 15 };
    const miss = recordCall(database, { model, purpose: "target", tokens, latencyMs: 300, status: "ok", tags });
    put({}, { costMicros: miss.costMicros });

    for (const hit of [find(), find({ prompt: TYPO })]) {
      if (!hit) throw new Error("expected a cache hit");
      const row = recordCall(database, {
        model,
        purpose: "target",
        tokens: hit.tokens,
        latencyMs: 1,
        status: "ok",
        cacheHit: true,
        savedMicros: hit.savedMicros,
        tags,
      });
      expect(row.costMicros).toBe(0);
    }
    const rows = database.select().from(modelCalls).orderBy(modelCalls.id).all();
    // 100 uncached × 0.1 + 20 cached × 0.025 + 15 output × 0.4 = 16.5 micro-dollars, rounded once.
    expect(miss.costMicros).toBe(17);
    expect(rows.map((r) => [r.cacheHit, r.costMicros, r.savedMicros])).toEqual([
      [false, 17, 0],
      [true, 0, 17],
      [true, 0, 17],
    ]);
  });
});

describe("prompt profiles kept per entry (a scan reads ids, not texts)", () => {
  it("matches an entry another connection stored, profiled on first sight, and one stored after this connection scanned", () => {
    const path = join(mkdtempSync(join(tmpdir(), "tokenwise-cache-two-")), "cache.db");
    const a = openDb(path);
    const b = openDb(path);
    try {
      const entry = (prompt: string, response: string) => ({
        ...keys({ prompt }),
        responseText: response,
        tokens: { input: 120, output: 15 },
        costMicros: 1234,
        now: NOW,
      });
      const query = (on: Db, prompt: string) => {
        const k = keys({ prompt });
        return lookupSimilar(on, { scopeKey: k.scopeKey, promptText: k.promptText, now: at(1), threshold: 0.9 });
      };
      // Stored by b (another process, in production): a has no profile of it yet, reads its text once and matches.
      const first = store(b, entry(PROMPT, "from b"));
      expect(query(a, TYPO)).toMatchObject({ entryId: first, kind: "semantic", responseText: "from b" });
      // a has scanned the scope; b stores a prompt that only differs in an instruction, then one a matches better.
      store(b, entry(PROMPT.replace("reply in JSON", "reply in prose"), "prose"));
      expect(query(a, PROMPT.replace("reply in JSON", "reply in prose"))?.responseText).toBe("prose");
      expect(query(a, TYPO)?.responseText).toBe("from b");
      // A prompt that differs in an instruction from every entry still misses, on both connections.
      const other = PROMPT.replace("reply in JSON", "reply in YAML");
      expect(query(a, other)).toBeNull();
      expect(query(b, other)).toBeNull();
    } finally {
      a.$client.close();
      b.$client.close();
    }
  });

  it("never matches by the profile of an entry whose transaction rolled back, once another process reuses its id", () => {
    const path = join(mkdtempSync(join(tmpdir(), "tokenwise-cache-undone-")), "cache.db");
    const worker = openDb(path);
    const web = openDb(path);
    try {
      const k = keys();
      const base = { ...k, tokens: { input: 1, output: 1 }, costMicros: 1, now: NOW };
      let undone: number | null = null;
      expect(() =>
        immediateWrite(worker, (tx) => {
          undone = store(tx, { ...base, responseText: "json, never committed" });
          throw new Error("the settlement's transaction fails after the entry was stored");
        }),
      ).toThrow(/fails after/);
      // SQLite hands the undone id out again (its sequence rolled back too): the same id, another prompt.
      const prose = PROMPT.replace("reply in JSON", "reply in prose");
      expect(store(web, { ...base, ...keys({ prompt: prose }), responseText: "prose" })).toBe(undone);
      const q = { scopeKey: k.scopeKey, now: at(1), threshold: 0.9 };
      // The worker must not serve the prose prompt's reply to a near-copy of the JSON prompt it never stored...
      expect(lookupSimilar(worker, { ...q, promptText: TYPO })).toBeNull();
      // ...and still finds the prose entry by its own text.
      expect(lookupSimilar(worker, { ...q, promptText: prose })?.responseText).toBe("prose");
    } finally {
      worker.$client.close();
      web.$client.close();
    }
  });

  it("keeps profiles per database: the same entry id in another database file is another prompt", () => {
    const one = openDb(join(mkdtempSync(join(tmpdir(), "tokenwise-cache-one-")), "cache.db"));
    const two = openDb(join(mkdtempSync(join(tmpdir(), "tokenwise-cache-two-")), "cache.db"));
    try {
      const k = keys();
      const base = { ...k, tokens: { input: 1, output: 1 }, costMicros: 1, now: NOW };
      const idOne = store(one, { ...base, responseText: "json" });
      const prose = PROMPT.replace("reply in JSON", "reply in prose");
      const idTwo = store(two, { ...base, promptText: prose, responseText: "prose" });
      expect(idOne).toBe(idTwo);
      const q = { scopeKey: k.scopeKey, now: at(1), threshold: 0.9 };
      expect(lookupSimilar(one, { ...q, promptText: TYPO })?.responseText).toBe("json");
      expect(lookupSimilar(two, { ...q, promptText: TYPO })).toBeNull();
      expect(lookupSimilar(two, { ...q, promptText: prose })?.responseText).toBe("prose");
    } finally {
      one.$client.close();
      two.$client.close();
    }
  });
});
