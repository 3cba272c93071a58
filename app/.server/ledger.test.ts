import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { modelCalls } from "#db/schema";
import { type Db, type DbLike, openDb, writeTransaction } from "./db";
import { openCall, recordCall, settleCall } from "./ledger";

/**
 * The ledger's insert is prepared once per connection and reused inside every transaction (it was keyed by the handle,
 * a new object in each transaction, so it was prepared afresh on every call). These check that reuse never writes a
 * row to the wrong database, and that a replayed key still gives the first row back.
 */

const files = [1, 2].map((n) => join(mkdtempSync(join(tmpdir(), `tokenwise-ledger-${n}-`)), "ledger.db"));
const [one, two]: Db[] = files.map((f) => openDb(f));
afterAll(() => {
  one.$client.close();
  two.$client.close();
});

const MODEL = {
  id: "ledger-model",
  provider: "fake",
  tier: "nano",
  inputMicrosPerM: 1_000_000,
  cachedInputMicrosPerM: 0,
  outputMicrosPerM: 2_000_000,
  priceAsOf: "2025-11-01",
} as const;
const TAGS = { userId: null, teamId: null, departmentId: null, courseId: null, exerciseId: null, attemptId: null };

const row = (database: Db, key: string) =>
  database
    .select()
    .from(modelCalls)
    .all()
    .filter((r) => r.idempotencyKey === key);

describe("ledger writes prepared once per connection", () => {
  it("writes each row to the database of the transaction it runs in, however the calls interleave", () => {
    for (let i = 0; i < 5; i++) {
      for (const [database, name] of [
        [one, "one"],
        [two, "two"],
      ] as const) {
        writeTransaction(database, (tx) =>
          recordCall(tx, {
            model: MODEL,
            purpose: "target",
            tokens: { input: 10 + i, output: 1 },
            latencyMs: 1,
            status: "ok",
            tags: TAGS,
            idempotencyKey: `${name}:${i}`,
          }),
        );
      }
    }
    expect(
      one
        .select()
        .from(modelCalls)
        .all()
        .map((r) => r.idempotencyKey),
    ).toEqual([0, 1, 2, 3, 4].map((i) => `one:${i}`));
    expect(
      two
        .select()
        .from(modelCalls)
        .all()
        .map((r) => r.idempotencyKey),
    ).toEqual([0, 1, 2, 3, 4].map((i) => `two:${i}`));
    expect(row(one, "one:3")[0]).toMatchObject({ inputTokens: 13, costMicros: 15, state: "settled", cacheHit: false });
  });

  it("a replayed key, in or out of a transaction, returns the first row and writes no second one", () => {
    const open = (database: DbLike) =>
      openCall(database, {
        model: MODEL,
        purpose: "judge",
        tags: TAGS,
        idempotencyKey: "replayed:1",
        estimateMicros: 900,
        owner: "host:1:ab",
      });
    const first = writeTransaction(one, (tx) => open(tx));
    expect(open(one)).toBe(first);
    expect(writeTransaction(one, (tx) => open(tx))).toBe(first);
    expect(row(one, "replayed:1")).toHaveLength(1);
    expect(
      settleCall(one, "replayed:1", { model: MODEL, tokens: { input: 100, output: 50 }, latencyMs: 3, status: "ok" }),
    ).toBe(200);
    expect(row(one, "replayed:1")[0]).toMatchObject({ state: "settled", costMicros: 200, estimateMicros: 900 });
    expect(row(two, "replayed:1")).toHaveLength(0);
  });
});
