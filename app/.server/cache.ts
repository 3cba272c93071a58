import { createHash } from "node:crypto";
import { lte } from "drizzle-orm";
import { type CALL_PURPOSES, callCache } from "#db/schema";
import type { CallTokens } from "~/domain/cost";
import { bestProfileMatch, builtProfile, profileText, type TextProfile } from "~/domain/similarity";
import { config } from "./config";
import { clientOf, type DbLike, statement } from "./db";

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
  // Built by concatenation (no entry, filtered, mapped and joined arrays per object): every model call hashes its
  // messages with this. Object.keys().sort() orders by UTF-16 code units, as the `<` comparison it replaces did.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    let out = "{";
    for (const key of Object.keys(record).sort()) {
      const v = record[key];
      if (v === undefined) continue;
      out += `${out.length === 1 ? "" : ","}${JSON.stringify(key)}:${canonicalJson(v)}`;
    }
    return `${out}}`;
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

/** An entry's columns as a hit reports them (raw: read by prepared statements, not mapped by drizzle). */
interface HitRow {
  id: number;
  exactKey: string;
  model: string;
  purpose: CallPurpose;
  responseText: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costMicros: number;
}

const HIT_COLUMNS = `id, exact_key as exactKey, model, purpose, response_text as responseText, input_tokens as inputTokens,
  cached_input_tokens as cachedInputTokens, output_tokens as outputTokens, cost_micros as costMicros`;

function toHit(row: HitRow, kind: CacheHit["kind"], similarity: number): CacheHit {
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

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Each stored prompt's profile for semantic matching (normalised text, instruction tokens, 3-grams once built), by
 * entry id, per connection. An entry's prompt never changes, so it is profiled once (at store, or the first time a
 * scan meets an entry another process stored) instead of on every lookup, and a scan reads ids, not texts.
 * Bounded; the oldest profiles go first.
 */
const PROFILE_LIMIT = 20_000;

/**
 * A stored prompt as a scan hands it to the comparison; kept whole, so a scan without embeddings allocates none.
 * `exactKey` is the entry's: a profile remembered at store by a transaction that then rolled back names an id SQLite
 * hands out again, and another process's entry under that id is another prompt (checked on the winner of a scan).
 */
interface Profiled {
  text: TextProfile;
  embedding: null;
  exactKey: string;
}

const profiles = new WeakMap<object, Map<number, Profiled>>();

function profilesOf(database: DbLike): Map<number, Profiled> {
  const client = clientOf(database);
  let map = profiles.get(client);
  if (!map) {
    map = new Map();
    profiles.set(client, map);
  }
  return map;
}

function remember(map: Map<number, Profiled>, id: number, profile: TextProfile, exactKey: string): Profiled {
  if (map.size >= PROFILE_LIMIT) map.delete(map.keys().next().value as number);
  const profiled: Profiled = { text: profile, embedding: null, exactKey };
  map.set(id, profiled);
  return profiled;
}

function entryProfile(database: DbLike, map: Map<number, Profiled>, id: number): Profiled | null {
  const known = map.get(id);
  if (known) return known;
  const row = statement(database, "select prompt_text as text, exact_key as exactKey from call_cache where id = ?").get(
    id,
  ) as { text: string; exactKey: string } | undefined;
  return row ? remember(map, id, profileText(row.text), row.exactKey) : null;
}

/** An unexpired cached response for this call: exact first, then the most similar prompt in scope. */
export function lookup(database: DbLike, query: LookupQuery): CacheHit | null {
  return lookupExact(database, query.exactKey, query.now) ?? lookupSimilar(database, query);
}

/** The newest unexpired entry with this exact key. */
export function lookupExact(database: DbLike, exactKey: string, now: Date): CacheHit | null {
  const row = statement(
    database,
    `select ${HIT_COLUMNS} from call_cache where exact_key = ? and expires_at > ?
     order by created_at desc, id desc limit 1`,
  ).get(exactKey, now.getTime()) as HitRow | undefined;
  return row ? toHit(row, "exact", 1) : null;
}

/** The semantic scan's candidates, newest first; read in order from call_cache_scope_recent (no sort of the scope). */
export const SEMANTIC_SCAN =
  "from call_cache where scope_key = ? and expires_at > ? order by created_at desc, id desc limit ?";

/**
 * The unexpired entry of the scope whose prompt is most similar, at or above the threshold. With an
 * embedding, candidates embedded by the same model are compared by their vectors, others by the local
 * similarity (see ~/domain/similarity).
 */
export function lookupSimilar(database: DbLike, query: Omit<LookupQuery, "exactKey">): CacheHit | null {
  const threshold = query.threshold ?? config().SEMANTIC_CACHE_THRESHOLD;
  if (threshold > 1) return null;
  const found = scanSimilar(database, query, threshold);
  if (found !== STALE) return found;
  // The winner's profile was another prompt's (see Profiled): forgotten, its entry is read again from its row.
  const again = scanSimilar(database, query, threshold);
  return again === STALE ? null : again;
}

const STALE = Symbol("stale profile");

function scanSimilar(
  database: DbLike,
  query: Omit<LookupQuery, "exactKey">,
  threshold: number,
): CacheHit | null | typeof STALE {
  const model = query.embedding?.model;
  // Only ids (and, to compare with an embedding, the vectors) are read for the scan: the prompts' profiles are kept
  // in memory by id; the winning row is fetched whole afterwards.
  const scopeKey = query.scopeKey;
  const now = query.now.getTime();
  const map = profilesOf(database);
  const ids: number[] = [];
  const profiled: { text: TextProfile; embedding: readonly number[] | null; exactKey: string }[] = [];
  if (model) {
    const rows = statement(database, `select id, embedding ${SEMANTIC_SCAN}`).all(
      scopeKey,
      now,
      SEMANTIC_SCAN_LIMIT,
    ) as {
      id: number;
      embedding: string | null;
    }[];
    for (const row of rows) {
      const entry = entryProfile(database, map, row.id);
      if (!entry) continue;
      ids.push(row.id);
      profiled.push({
        text: entry.text,
        embedding: vectorOf(parseJson(row.embedding), model),
        exactKey: entry.exactKey,
      });
    }
  } else {
    const rows = statement(database, `select id ${SEMANTIC_SCAN}`)
      .pluck()
      .all(scopeKey, now, SEMANTIC_SCAN_LIMIT) as number[];
    for (const id of rows) {
      const entry = entryProfile(database, map, id);
      if (!entry) continue;
      ids.push(id);
      profiled.push(entry);
    }
  }
  const match = bestProfileMatch({ text: query.promptText, embedding: query.embedding?.vector }, profiled, threshold);
  if (!match) return null;
  const id = ids[match.index];
  const row = statement(database, `select ${HIT_COLUMNS} from call_cache where id = ?`).get(id) as HitRow | undefined;
  if (!row) return null;
  if (row.exactKey !== profiled[match.index].exactKey) {
    map.delete(id);
    return STALE;
  }
  return toHit(row, "semantic", match.score);
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
  const row = statement(
    database,
    `insert into call_cache (exact_key, scope_key, model, purpose, prompt_text, embedding, response_text, input_tokens,
       cached_input_tokens, output_tokens, cost_micros, created_at, expires_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
  ).get(
    entry.exactKey,
    entry.scopeKey,
    entry.model,
    entry.purpose,
    entry.promptText,
    entry.embedding ? JSON.stringify({ model: entry.embedding.model, vector: entry.embedding.vector }) : null,
    entry.responseText,
    entry.tokens.input,
    entry.tokens.cachedInput ?? 0,
    entry.tokens.output,
    entry.costMicros,
    entry.now.getTime(),
    entry.now.getTime() + Math.round(ttlHours * 3_600_000),
  ) as { id: number };
  // The profile the lookup that missed just built is kept with the entry, so later scans rebuild nothing; an entry
  // never looked up semantically (a judge's reply) is profiled only if a scan ever meets it.
  const built = builtProfile(entry.promptText);
  if (built) remember(profilesOf(database), row.id, built, entry.exactKey);
  return row.id;
}

export function recordHit(database: DbLike, entryId: number): void {
  statement(database, "update call_cache set hits = hits + 1 where id = ?").run(entryId);
}

/** Deletes expired entries; returns how many. */
export function purgeExpired(database: DbLike, now: Date): number {
  return database.delete(callCache).where(lte(callCache.expiresAt, now)).run().changes;
}
