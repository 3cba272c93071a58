import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ModelInfo } from "~/domain/models";
import { type Db, openDb, statement } from "../db";
import { createLimiter, type ModelProvider } from "../providers";
import { type CallEnv, type CallSpec, callModel } from "./model-call";

const MODEL: ModelInfo = {
  id: "gpt-4.1-nano",
  provider: "openai",
  tier: "nano",
  encoding: "o200k_base",
  exactTokenizer: true,
  contextWindow: 1_000_000,
  inputMicrosPerM: 100_000,
  cachedInputMicrosPerM: 25_000,
  outputMicrosPerM: 400_000,
  priceAsOf: "2026-01-01",
};

class Refused extends Error {}

let database: Db;
let requests = 0;
const provider: ModelProvider = {
  name: "openai-compatible",
  async complete() {
    requests++;
    return {
      ok: true,
      text: "an answer",
      usage: { input: 1_000, cachedInput: 0, output: 500 },
      costMicros: 300,
      latencyMs: 5,
      providerModel: "gpt-4.1-nano",
    };
  },
};

function env(keyPrefix: string): CallEnv {
  return {
    database,
    provider,
    limiter: createLimiter(4),
    cacheTtlHours: 24,
    tags: { userId: null, teamId: null, departmentId: null, courseId: null, exerciseId: null, attemptId: null },
    owner: "test:1:1",
    keyPrefix,
    retryBudgetMs: 1_000,
    waitForProvider: false,
  };
}

function spec(keep: CallSpec["keep"]): CallSpec {
  return {
    purpose: "target",
    model: MODEL,
    providerModel: "gpt-4.1-nano",
    messages: [{ role: "user", content: "Summarise the ticket." }],
    params: { temperature: 0, maxTokens: 100, json: false },
    testInput: "ticket",
    promptText: "Summarise the ticket.",
    semanticThreshold: null,
    estimateMicros: 1_000,
    keep,
  };
}

function row(key: string) {
  return statement(
    database,
    "select state, cost_micros as cost, output_tokens as output from model_calls where idempotency_key = ?",
  ).get(key) as { state: string; cost: number; output: number } | undefined;
}

beforeEach(() => {
  database = openDb(":memory:");
  requests = 0;
  statement(database, "create table kept (text text)").run();
});
afterEach(() => database.$client.close());

describe("callModel's keep: the caller's record of an answer, in the transaction that settles it", () => {
  it("writes the answer with the settled ledger row and the cache entry", async () => {
    const out = await callModel(
      env("t:1"),
      spec((tx, answer) => statement(tx, "insert into kept values (?)").run(answer.text)),
    );
    expect(out.ok).toBe(true);
    expect(row("t:1:1")).toEqual({ state: "settled", cost: 300, output: 500 });
    expect(statement(database, "select text from kept").all()).toEqual([{ text: "an answer" }]);
    expect(statement(database, "select count(*) as n from call_cache").get()).toEqual({ n: 1 });
  });

  it("settles the billed call even when the caller refuses the answer (a lost lease), and throws the refusal", async () => {
    const call = callModel(
      env("t:2"),
      spec((tx, answer) => {
        statement(tx, "insert into kept values (?)").run(answer.text);
        throw new Refused("the lease was lost");
      }),
    );
    await expect(call).rejects.toBeInstanceOf(Refused);
    expect(requests).toBe(1);
    // The provider billed it: the row is settled at its usage, the reply cached; only the caller's write is undone.
    expect(row("t:2:1")).toEqual({ state: "settled", cost: 300, output: 500 });
    expect(statement(database, "select count(*) as n from call_cache").get()).toEqual({ n: 1 });
    expect(statement(database, "select count(*) as n from kept").get()).toEqual({ n: 0 });
  });

  it("on a cache hit, records the hit and the caller's answer together, and neither when the caller refuses", async () => {
    await callModel(env("t:3"), spec(undefined));
    const hit = await callModel(
      env("t:4"),
      spec((tx, answer) => statement(tx, "insert into kept values (?)").run(`${answer.cacheHit}`)),
    );
    expect(hit).toMatchObject({ ok: true, cacheHit: true, costMicros: 0 });
    expect(statement(database, "select text from kept").all()).toEqual([{ text: "true" }]);
    const refused = callModel(
      env("t:5"),
      spec(() => {
        throw new Refused("the lease was lost");
      }),
    );
    await expect(refused).rejects.toBeInstanceOf(Refused);
    expect(row("t:5:1")).toBeUndefined();
    expect(requests).toBe(1);
    expect(statement(database, "select hits from call_cache").get()).toEqual({ hits: 1 });
  });
});

describe("callModel's ledger writes, committed with the other writes of their turn (groupWrite)", () => {
  let dir: string;
  let fileDb: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tokenwise-model-call-"));
    fileDb = openDb(join(dir, "calls.db"));
  });
  afterEach(() => {
    fileDb.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("has each call's pending row committed before its request leaves, and settled after", async () => {
    const other = new Database(join(dir, "calls.db"), { readonly: true });
    const seen: unknown[] = [];
    const watching: ModelProvider = {
      ...provider,
      async complete(req) {
        // What another process would find if this one died now: the row, pending, with its estimate.
        seen.push(
          other
            .prepare("select state, estimate_micros as estimate from model_calls where idempotency_key = ?")
            .get(req.idempotencyKey),
        );
        return provider.complete(req);
      },
    };
    const calls = ["a", "b", "c"].map((k) =>
      callModel({ ...env(`g:${k}`), database: fileDb, provider: watching }, { ...spec(undefined), testInput: k }),
    );
    const outcomes = await Promise.all(calls);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(seen).toEqual([
      { state: "pending", estimate: 1_000 },
      { state: "pending", estimate: 1_000 },
      { state: "pending", estimate: 1_000 },
    ]);
    expect(
      other.prepare("select count(*) as n from model_calls where state = 'settled' and cost_micros = 300").get(),
    ).toEqual({ n: 3 });
    other.close();
  });

  it("sends nothing when the drain begins while its pending row is being committed, and closes that row at $0", async () => {
    const drain = new AbortController();
    const call = callModel({ ...env("g:drained"), database: fileDb, drain: drain.signal }, spec(undefined));
    drain.abort();
    expect(await call).toEqual({ ok: false, aborted: true });
    expect(requests).toBe(0);
    expect(
      statement(fileDb, "select state, status, cost_micros as cost from model_calls where idempotency_key = ?").get(
        "g:drained:1",
      ),
    ).toEqual({ state: "settled", status: "error", cost: 0 });
  });
});
