import { modelCalls } from "#db/schema";
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
  purpose: "target" | "judge" | "preview";
  tokens: CallTokens;
  latencyMs: number;
  status: "ok" | "error" | "blocked";
  cacheHit?: boolean;
  /** What the call would have cost without the cache; recorded on hits. */
  savedMicros?: number;
  tags: CallTags;
}

/** Writes one ledger row at the time of the call. The unit prices used are stored with it. */
export function recordCall(database: DbLike, call: CallRecord): { id: number; costMicros: number } {
  const cost = call.cacheHit ? 0 : costMicros(call.model, call.tokens);
  const row = database
    .insert(modelCalls)
    .values({
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
      cacheHit: call.cacheHit ?? false,
      ...call.tags,
    })
    .returning({ id: modelCalls.id })
    .get();
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
