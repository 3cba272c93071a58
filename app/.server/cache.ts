import { createHash } from "node:crypto";
import { and, desc, eq, gt, lte, sql } from "drizzle-orm";
import { type CALL_PURPOSES, callCache } from "#db/schema";
import type { CallTokens } from "~/domain/cost";
import { bestMatch } from "~/domain/similarity";
import { config } from "./config";
import type { DbLike } from "./db";

/**
 * The response cache in front of every model call. An exact hit needs the same model, messages and
 * parameters; a semantic hit needs a near-identical prompt (see ~/domain/similarity) within the
 * same scope: model, purpose, test input and parameters. The scope is what guarantees a target
 * output is never reused for another test input or another model, whatever the prompts look like.
 */

export type CallPurpose = (typeof CALL_PURPOSES)[number];

export interface CacheParams {
  temperature?: number | null;
  maxTokens?: number | null;
  json?: boolean | null;
}

export interface CacheMessage {
  role: string;
  content: string;
}

/** Bumping this retires every stored key at once (e.g. when the canonical form changes). */
const KEY_VERSION = "tokenwise-cache/1";

/** Semantic matches are looked for among the most recent entries of a scope only, so a lookup stays fast. */
export const SEMANTIC_SCAN_LIMIT = 200;

/** JSON with object keys sorted at every depth, so equal values always hash alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function sha256(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/** Absent and null parameters mean "the provider's default" and must hash alike. */
function canonicalParams(params: CacheParams) {
  return { temperature: params.temperature ?? null, maxTokens: params.maxTokens ?? null, json: params.json ?? false };
}

/** sha256 of the provider model id, the messages as sent and the parameters. */
export function exactKey(input: { model: string; messages: readonly CacheMessage[]; params: CacheParams }): string {
  return sha256({
    v: KEY_VERSION,
    kind: "exact",
    model: input.model,
    messages: input.messages,
    params: canonicalParams(input.params),
  });
}

/**
 * The scope a semantic match must share. `testInput` is the input the prompt runs on (null when
 * there is none); for judge calls pass the exact text being judged, so a verdict is never reused
 * for a different output.
 */
export function scopeKey(input: {
  model: string;
  purpose: CallPurpose;
  testInput: string | null;
  params: CacheParams;
}): string {
  return sha256({
    v: KEY_VERSION,
    kind: "scope",
    model: input.model,
    purpose: input.purpose,
    testInput: input.testInput,
    params: canonicalParams(input.params),
  });
}

export interface CacheHit {
  entryId: number;
  kind: "exact" | "semantic";
  /** 1 for an exact hit. */
  similarity: number;
  model: string;
  purpose: CallPurpose;
  responseText: string;
  /** The original call's usage, for the ledger row of the hit. */
  tokens: CallTokens;
  /** The original call's cost: record the hit at $0 with this as `savedMicros`. */
  savedMicros: number;
}

/**
 * A provider's embedding of a prompt, with the model that made it: vectors of two embeddings models
 * are not comparable (even when their lengths agree), so only vectors of the same model are compared.
 */
export interface PromptEmbedding {
  /** e.g. "openai-compatible:text-embedding-3-small". */
  model: string;
  vector: readonly number[];
}

export interface LookupQuery {
  exactKey: string;
  scopeKey: string;
  /** The prompt as it is compared for a semantic match (e.g. the rendered messages' text). */
  promptText: string;
  /** The provider's embedding of promptText, when it offers embeddings. */
  embedding?: PromptEmbedding | null;
  now: Date;
  /** Defaults to SEMANTIC_CACHE_THRESHOLD; above 1 turns semantic matching off. */
  threshold?: number;
}

type Row = typeof callCache.$inferSelect;

function toHit(row: Row, kind: CacheHit["kind"], similarity: number): CacheHit {
  return {
    entryId: row.id,
    kind,
    similarity,
    model: row.model,
    purpose: row.purpose,
    responseText: row.responseText,
    tokens: { input: row.inputTokens, cachedInput: row.cachedInputTokens, output: row.outputTokens },
    savedMicros: row.costMicros,
  };
}

/** The stored vector, when `model` made it (entries stored without an embedding, or by another model, have none). */
function vectorOf(stored: unknown, model: string | undefined): number[] | null {
  if (!model || !stored || typeof stored !== "object" || Array.isArray(stored)) return null;
  const { model: storedModel, vector } = stored as { model?: unknown; vector?: unknown };
  if (storedModel !== model || !Array.isArray(vector) || vector.length === 0) return null;
  return vector.every((x) => typeof x === "number") ? vector : null;
}

/** An unexpired cached response for this call: exact first, then the most similar prompt in scope. */
export function lookup(database: DbLike, query: LookupQuery): CacheHit | null {
  return lookupExact(database, query.exactKey, query.now) ?? lookupSimilar(database, query);
}

/** The newest unexpired entry with this exact key. */
export function lookupExact(database: DbLike, exactKey: string, now: Date): CacheHit | null {
  const exact = database
    .select()
    .from(callCache)
    .where(and(eq(callCache.exactKey, exactKey), gt(callCache.expiresAt, now)))
    .orderBy(desc(callCache.createdAt), desc(callCache.id))
    .limit(1)
    .get();
  return exact ? toHit(exact, "exact", 1) : null;
}

/**
 * The unexpired entry of the scope whose prompt is most similar, at or above the threshold. With an
 * embedding, candidates embedded by the same model are compared by their vectors, others by the local
 * similarity (see ~/domain/similarity).
 */
export function lookupSimilar(database: DbLike, query: Omit<LookupQuery, "exactKey">): CacheHit | null {
  const threshold = query.threshold ?? config().SEMANTIC_CACHE_THRESHOLD;
  if (threshold > 1) return null;
  const model = query.embedding?.model;
  // Only the texts (and, to compare with an embedding, the vectors) are read for the scan; the winning
  // row is fetched whole afterwards.
  const candidates = database
    .select({
      id: callCache.id,
      promptText: callCache.promptText,
      embedding: model ? callCache.embedding : sql<unknown>`null`,
    })
    .from(callCache)
    .where(and(eq(callCache.scopeKey, query.scopeKey), gt(callCache.expiresAt, query.now)))
    .orderBy(desc(callCache.createdAt), desc(callCache.id))
    .limit(SEMANTIC_SCAN_LIMIT)
    .all();
  const match = bestMatch(
    { text: query.promptText, embedding: query.embedding?.vector },
    candidates.map((c) => ({ text: c.promptText, embedding: vectorOf(c.embedding, model) })),
    threshold,
  );
  if (!match) return null;
  const row = database.select().from(callCache).where(eq(callCache.id, candidates[match.index].id)).get();
  return row ? toHit(row, "semantic", match.score) : null;
}

export interface CacheEntry {
  exactKey: string;
  scopeKey: string;
  model: string;
  purpose: CallPurpose;
  promptText: string;
  embedding?: PromptEmbedding | null;
  responseText: string;
  tokens: CallTokens;
  /** What the call cost; a later hit reports it as saved. */
  costMicros: number;
  now: Date;
  /** Defaults to CACHE_TTL_HOURS; 0 turns caching off. */
  ttlHours?: number;
}

/** Stores a successful call's response; returns the entry id, or null when caching is off (TTL 0). */
export function store(database: DbLike, entry: CacheEntry): number | null {
  const ttlHours = entry.ttlHours ?? config().CACHE_TTL_HOURS;
  if (ttlHours <= 0) return null;
  const row = database
    .insert(callCache)
    .values({
      exactKey: entry.exactKey,
      scopeKey: entry.scopeKey,
      model: entry.model,
      purpose: entry.purpose,
      promptText: entry.promptText,
      embedding: entry.embedding ? { model: entry.embedding.model, vector: entry.embedding.vector } : null,
      responseText: entry.responseText,
      inputTokens: entry.tokens.input,
      cachedInputTokens: entry.tokens.cachedInput ?? 0,
      outputTokens: entry.tokens.output,
      costMicros: entry.costMicros,
      createdAt: entry.now,
      expiresAt: new Date(entry.now.getTime() + Math.round(ttlHours * 3_600_000)),
    })
    .returning({ id: callCache.id })
    .get();
  return row.id;
}

export function recordHit(database: DbLike, entryId: number): void {
  database
    .update(callCache)
    .set({ hits: sql`${callCache.hits} + 1` })
    .where(eq(callCache.id, entryId))
    .run();
}

/** Deletes expired entries; returns how many. */
export function purgeExpired(database: DbLike, now: Date): number {
  return database.delete(callCache).where(lte(callCache.expiresAt, now)).run().changes;
}
