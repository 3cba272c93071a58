import { sql } from "drizzle-orm";
import { type CALL_PURPOSES, modelCalls } from "#db/schema";
import { type CallTokens, costMicros } from "~/domain/cost";
import type { ModelInfo } from "~/domain/models";
import type { DbLike } from "./db";

export interface CallTags {
  userId: number | null;
  teamId: number | null;
  departmentId: number | null;
  courseId: number | null;
  exerciseId: number | null;
  attemptId: number | null;
}

export interface CallRecord {
  model: Pick<
    ModelInfo,
    "id" | "provider" | "tier" | "inputMicrosPerM" | "cachedInputMicrosPerM" | "outputMicrosPerM" | "priceAsOf"
  >;
  /** "embedding" rows are the semantic cache's embeddings calls, tagged like the call they served. */
  purpose: (typeof CALL_PURPOSES)[number];
  tokens: CallTokens;
  latencyMs: number;
  status: "ok" | "error" | "blocked";
  cacheHit?: boolean;
  /** What the call would have cost without the cache; recorded on hits. */
  savedMicros?: number;
  tags: CallTags;
}

const COLUMNS = [
  "provider",
  "model",
  "tier",
  "purpose",
  "inputTokens",
  "cachedInputTokens",
  "outputTokens",
  "inputMicrosPerM",
  "cachedInputMicrosPerM",
  "outputMicrosPerM",
  "priceAsOf",
  "costMicros",
  "savedMicros",
  "latencyMs",
  "status",
  "cacheHit",
  "userId",
  "teamId",
  "departmentId",
  "courseId",
  "exerciseId",
  "attemptId",
] as const;

function prepareInsert(database: DbLike) {
  const values = Object.fromEntries(COLUMNS.map((c) => [c, sql.placeholder(c)]));
  return database
    .insert(modelCalls)
    .values(values as unknown as typeof modelCalls.$inferInsert)
    .returning({ id: modelCalls.id })
    .prepare();
}

// The ledger insert runs on every model call: it is prepared once per database handle (drizzle would
// otherwise rebuild and re-prepare the statement each time).
const prepared = new WeakMap<object, ReturnType<typeof prepareInsert>>();

/** Writes one ledger row at the time of the call. The unit prices used are stored with it. */
export function recordCall(database: DbLike, call: CallRecord): { id: number; costMicros: number } {
  const cost = call.cacheHit ? 0 : costMicros(call.model, call.tokens);
  let insert = prepared.get(database);
  if (!insert) {
    insert = prepareInsert(database);
    prepared.set(database, insert);
  }
  const row = insert.get({
    provider: call.model.provider,
    model: call.model.id,
    tier: call.model.tier,
    purpose: call.purpose,
    inputTokens: call.tokens.input,
    cachedInputTokens: call.tokens.cachedInput ?? 0,
    outputTokens: call.tokens.output,
    inputMicrosPerM: call.model.inputMicrosPerM,
    cachedInputMicrosPerM: call.model.cachedInputMicrosPerM,
    outputMicrosPerM: call.model.outputMicrosPerM,
    priceAsOf: call.model.priceAsOf,
    costMicros: cost,
    savedMicros: call.savedMicros ?? 0,
    latencyMs: call.latencyMs,
    status: call.status,
    // Placeholders bypass drizzle's column mapping: booleans go to SQLite as 0/1 here.
    cacheHit: call.cacheHit ? 1 : 0,
    ...call.tags,
  })!;
  return { id: row.id, costMicros: cost };
}

/** The built-in judge as a ledger "model": it runs in-process and costs nothing. */
export const OFFLINE_JUDGE_MODEL = {
  id: "offline-judge@1",
  provider: "builtin",
  tier: "nano",
  inputMicrosPerM: 0,
  cachedInputMicrosPerM: 0,
  outputMicrosPerM: 0,
  priceAsOf: "free",
} as const satisfies CallRecord["model"];
