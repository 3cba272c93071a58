import { and, eq, inArray, sql } from "drizzle-orm";
import type { CallState } from "#db/schema";
import { type CALL_PURPOSES, modelCalls } from "#db/schema";
import { type CallTokens, costMicros } from "~/domain/cost";
import type { ModelInfo } from "~/domain/models";
import { OFFLINE_JUDGE_NAME } from "~/domain/offline-judge";
import { type DbLike, statement } from "./db";

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
  /** Names the request (see model_calls.idempotency_key); a second write with the same key is a no-op. */
  idempotencyKey?: string | null;
  /** The name the provider was sent; null for the built-in judge. */
  providerModel?: string | null;
}

/**
 * The ledger row's insert, as SQL prepared once per connection (statement()): it runs twice on most model calls, and
 * drizzle's prepared query still filled its 27 placeholders and mapped the returned row through its column objects on
 * every run. created_at takes the column's default, as it did through drizzle.
 */
const INSERT_ROW = `insert into model_calls (provider, model, tier, purpose, input_tokens, cached_input_tokens,
  output_tokens, input_micros_per_m, cached_input_micros_per_m, output_micros_per_m, price_as_of, cost_micros,
  saved_micros, latency_ms, status, cache_hit, user_id, team_id, department_id, course_id, exercise_id, attempt_id,
  state, idempotency_key, estimate_micros, provider_model, owner)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  on conflict do nothing returning id`;

/** Writes one settled ledger row at the time of the call. The unit prices used are stored with it. */
export function recordCall(database: DbLike, call: CallRecord): { id: number; costMicros: number } {
  const cost = call.cacheHit ? 0 : costMicros(call.model, call.tokens);
  return insertRow(database, call, { state: "settled", costMicros: cost, estimateMicros: 0, owner: null });
}

function insertRow(
  database: DbLike,
  call: CallRecord,
  extra: { state: CallState; costMicros: number; estimateMicros: number; owner: string | null },
): { id: number; costMicros: number } {
  const { model, tokens, tags } = call;
  const row = statement(database, INSERT_ROW).get(
    model.provider,
    model.id,
    model.tier,
    call.purpose,
    tokens.input,
    tokens.cachedInput ?? 0,
    tokens.output,
    model.inputMicrosPerM,
    model.cachedInputMicrosPerM,
    model.outputMicrosPerM,
    model.priceAsOf,
    extra.costMicros,
    call.savedMicros ?? 0,
    call.latencyMs,
    call.status,
    call.cacheHit ? 1 : 0,
    tags.userId,
    tags.teamId,
    tags.departmentId,
    tags.courseId,
    tags.exerciseId,
    tags.attemptId,
    extra.state,
    call.idempotencyKey ?? null,
    extra.estimateMicros,
    call.providerModel ?? null,
    extra.owner,
  ) as { id: number } | undefined;
  if (row) return { id: row.id, costMicros: extra.costMicros };
  // The key was written before (a replayed write): that row stands, and nothing is counted twice.
  const existing = statement(
    database,
    "select id, cost_micros as costMicros from model_calls where idempotency_key = ?",
  ).get(call.idempotencyKey ?? "") as { id: number; costMicros: number } | undefined;
  if (!existing) throw new Error("a ledger row was neither written nor found");
  return existing;
}

/**
 * Write-ahead: the row of a call about to be sent, `pending`, at $0 with its estimate, before any byte leaves.
 * Returns the row's id; a key written before returns that row (a replay never makes a second one).
 */
export function openCall(
  database: DbLike,
  call: Omit<CallRecord, "tokens" | "latencyMs" | "status" | "cacheHit" | "savedMicros"> & {
    idempotencyKey: string;
    estimateMicros: number;
    owner: string;
  },
): number {
  const record: CallRecord = { ...call, tokens: { input: 0, output: 0 }, latencyMs: 0, status: "ok" };
  return insertRow(database, record, {
    state: "pending",
    costMicros: 0,
    estimateMicros: call.estimateMicros,
    owner: call.owner,
  }).id;
}

export interface CallOutcomeRecord {
  model: CallRecord["model"];
  tokens: CallTokens;
  latencyMs: number;
  status: "ok" | "error";
}

/**
 * The provider's answer for a pending row (or one already given up as unknown: the truth, late, replaces the
 * estimate): its usage, priced at the unit prices stored with the row. A settled row never changes again.
 * Returns the cost, or null when the row was already settled.
 */
export function settleCall(database: DbLike, key: string, outcome: CallOutcomeRecord): number | null {
  const cost = costMicros(outcome.model, outcome.tokens);
  const res = statement(
    database,
    `update model_calls set state = 'settled', input_tokens = ?, cached_input_tokens = ?, output_tokens = ?,
       cost_micros = ?, latency_ms = ?, status = ? where idempotency_key = ? and state in ('pending', 'unknown')`,
  ).run(
    outcome.tokens.input,
    outcome.tokens.cachedInput ?? 0,
    outcome.tokens.output,
    cost,
    outcome.latencyMs,
    outcome.status,
    key,
  );
  return res.changes === 1 ? cost : null;
}

/**
 * Nobody will learn what a call cost (the answer was lost, or came without usage): the row counts at its
 * estimate, or at `tokens` when the app counted them itself, and is shown apart as unknown.
 */
export function closeUnknown(
  database: DbLike,
  key: string,
  counted?: { model: CallRecord["model"]; tokens: CallTokens; latencyMs: number },
): void {
  if (!counted) {
    statement(
      database,
      "update model_calls set state = 'unknown', cost_micros = estimate_micros where idempotency_key = ? and state = 'pending'",
    ).run(key);
    return;
  }
  statement(
    database,
    `update model_calls set state = 'unknown', input_tokens = ?, cached_input_tokens = ?, output_tokens = ?,
       cost_micros = ?, latency_ms = ? where idempotency_key = ? and state = 'pending'`,
  ).run(
    counted.tokens.input,
    counted.tokens.cachedInput ?? 0,
    counted.tokens.output,
    costMicros(counted.model, counted.tokens),
    counted.latencyMs,
    key,
  );
}

/** The id of the row a key names. */
export function callIdOf(database: DbLike, key: string): number {
  const row = statement(database, "select id from model_calls where idempotency_key = ?").get(key) as
    | { id: number }
    | undefined;
  if (!row) throw new Error(`no ledger row has the key ${key}`);
  return row.id;
}

/**
 * A pending row's last request was rejected (429, 5xx: nothing billed) and its retry is not sent yet: status
 * "error" while pending says so, and a sweep closes such a row at $0 rather than at its estimate.
 */
export function markRejected(database: DbLike, key: string): void {
  statement(database, "update model_calls set status = 'error' where idempotency_key = ? and state = 'pending'").run(
    key,
  );
}

/** A rejected request that will not be tried again: its pending row closes, settled at $0 (nothing was billed). */
export function closeRejected(database: DbLike, key: string): void {
  statement(
    database,
    `update model_calls set state = 'settled', cost_micros = 0, status = 'error'
     where idempotency_key = ? and state = 'pending' and status = 'error'`,
  ).run(key);
}

/** The retry of a rejected request goes out on the same key: in flight again. Returns the row's id. */
export function markSending(database: DbLike, key: string): number {
  statement(database, "update model_calls set status = 'ok' where idempotency_key = ? and state = 'pending'").run(key);
  return callIdOf(database, key);
}

/**
 * Pending rows whose writer is gone become `unknown` at their estimate, never dropped: those of a process known
 * dead (`isDead(owner)`), and any older than `olderThan` (no call, retries included, runs that long).
 * Returns how many. Run at start-up and by the upkeep job.
 */
export function sweepPending(database: DbLike, isDead: (owner: string) => boolean, olderThan: Date): number {
  const open = database
    .select({ id: modelCalls.id, owner: modelCalls.owner, createdAt: modelCalls.createdAt, status: modelCalls.status })
    .from(modelCalls)
    .where(eq(modelCalls.state, "pending"))
    .all();
  const dead = open.filter((r) => r.createdAt < olderThan || (r.owner !== null && isDead(r.owner)));
  let closed = 0;
  for (const [status, rows] of [
    ["ok", dead.filter((r) => r.status !== "error")],
    ["error", dead.filter((r) => r.status === "error")],
  ] as const) {
    // In flight when its writer died: unknown, at the estimate. Rejected and not re-sent: settled at $0.
    const set =
      status === "ok"
        ? { state: "unknown" as const, costMicros: sql`${modelCalls.estimateMicros}` }
        : { state: "settled" as const, costMicros: 0 };
    const ids = rows.map((r) => r.id);
    for (let i = 0; i < ids.length; i += 500) {
      closed += database
        .update(modelCalls)
        .set(set)
        .where(and(inArray(modelCalls.id, ids.slice(i, i + 500)), eq(modelCalls.state, "pending")))
        .run().changes;
    }
  }
  return closed;
}

/** The built-in judge as a ledger "model": it runs in-process and costs nothing. */
export const OFFLINE_JUDGE_MODEL = {
  id: OFFLINE_JUDGE_NAME,
  provider: "builtin",
  tier: "nano",
  inputMicrosPerM: 0,
  cachedInputMicrosPerM: 0,
  outputMicrosPerM: 0,
  priceAsOf: "free",
} as const satisfies CallRecord["model"];
