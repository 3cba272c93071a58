import { and, asc, inArray, isNull, sql } from "drizzle-orm";
import { attempts, xapiStatements } from "#db/schema";
import { config } from "../config";
import type { DbLike } from "../db";
import { gradedAttempts } from "./graded-attempts";
import { buildStatement, XAPI_VERSION } from "./statement";

/**
 * Sending statements to a learning record store: each graded attempt's statement is recorded once
 * in xapi_statements (the queue), then POSTed in batches; the row keeps when it was sent or why the
 * LRS refused it.
 */

export interface LrsConfig {
  /** The LRS statements endpoint, e.g. https://lrs.example.com/xapi/statements */
  url: string;
  username?: string;
  password?: string;
  publicUrl: string;
  batchSize?: number;
  timeoutMs?: number;
}

export function lrsConfig(): LrsConfig | null {
  const cfg = config();
  if (!cfg.XAPI_LRS_URL) return null;
  return {
    url: cfg.XAPI_LRS_URL,
    username: cfg.XAPI_LRS_USERNAME,
    password: cfg.XAPI_LRS_PASSWORD,
    publicUrl: cfg.PUBLIC_URL,
  };
}

/** Records a statement for every graded attempt that has none yet; returns how many were added. */
export function queueStatements(database: DbLike, publicUrl: string, batch = 500): number {
  let added = 0;
  for (;;) {
    const missing = gradedAttempts(
      database,
      sql`not exists (select 1 from ${xapiStatements} where ${xapiStatements.attemptId} = ${attempts.id})`,
      batch,
    );
    if (missing.length === 0) break;
    for (const a of missing) {
      const statement = buildStatement(a, publicUrl);
      database
        .insert(xapiStatements)
        .values({ id: statement.id, attemptId: a.attemptId, statement })
        .onConflictDoNothing()
        .run();
      added++;
    }
    if (missing.length < batch) break;
  }
  return added;
}

export interface SendReport {
  configured: boolean;
  queued: number;
  sent: number;
  failed: number;
  error: string | null;
}

function basicAuth(lrs: LrsConfig): Record<string, string> {
  if (!lrs.username) return {};
  const token = Buffer.from(`${lrs.username}:${lrs.password ?? ""}`).toString("base64");
  return { Authorization: `Basic ${token}` };
}

/**
 * Sends every unsent statement to the LRS in batches (POST, an array of statements). A batch the
 * LRS refuses keeps its rows unsent with the reason in last_error, and sending stops there, so an
 * LRS that is down is not hammered; the next call retries from the same place.
 */
export async function sendPendingStatements(
  database: DbLike,
  fetchFn: typeof globalThis.fetch = globalThis.fetch,
  lrs: LrsConfig | null = lrsConfig(),
): Promise<SendReport> {
  if (!lrs) return { configured: false, queued: 0, sent: 0, failed: 0, error: null };
  const queued = queueStatements(database, lrs.publicUrl);
  const batchSize = lrs.batchSize ?? 100;
  let sent = 0;
  for (;;) {
    const batch = database
      .select({ id: xapiStatements.id, statement: xapiStatements.statement })
      .from(xapiStatements)
      .where(isNull(xapiStatements.sentAt))
      .orderBy(asc(xapiStatements.createdAt), asc(xapiStatements.attemptId))
      .limit(batchSize)
      .all();
    if (batch.length === 0) return { configured: true, queued, sent, failed: 0, error: null };
    const ids = batch.map((b) => b.id);
    const error = await post(
      fetchFn,
      lrs,
      batch.map((b) => b.statement),
    );
    if (error) {
      database.update(xapiStatements).set({ lastError: error }).where(inArray(xapiStatements.id, ids)).run();
      return { configured: true, queued, sent, failed: batch.length, error };
    }
    database
      .update(xapiStatements)
      .set({ sentAt: new Date(), lastError: null })
      .where(inArray(xapiStatements.id, ids))
      .run();
    sent += batch.length;
  }
}

/** POSTs one batch; returns null on success or the reason it failed. */
async function post(fetchFn: typeof globalThis.fetch, lrs: LrsConfig, statements: unknown[]): Promise<string | null> {
  try {
    const res = await fetchFn(lrs.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Experience-API-Version": XAPI_VERSION,
        ...basicAuth(lrs),
      },
      body: JSON.stringify(statements),
      signal: AbortSignal.timeout(lrs.timeoutMs ?? 30_000),
    });
    if (res.ok) return null;
    const body = (await res.text().catch(() => "")).slice(0, 300);
    return `LRS answered HTTP ${res.status}${body ? `: ${body}` : ""}`;
  } catch (err) {
    return `LRS unreachable: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export interface XapiStatus {
  statements: number;
  sent: number;
  pending: number;
  withError: number;
  lastError: string | null;
}

export function xapiStatus(database: DbLike): XapiStatus {
  const row = database
    .select({
      statements: sql<number>`count(*)`,
      sent: sql<number>`count(${xapiStatements.sentAt})`,
      withError: sql<number>`sum(case when ${xapiStatements.sentAt} is null and ${xapiStatements.lastError} is not null then 1 else 0 end)`,
    })
    .from(xapiStatements)
    .get();
  const last = database
    .select({ error: xapiStatements.lastError })
    .from(xapiStatements)
    .where(and(isNull(xapiStatements.sentAt), sql`${xapiStatements.lastError} is not null`))
    .limit(1)
    .get();
  const statements = row?.statements ?? 0;
  const sent = row?.sent ?? 0;
  return {
    statements,
    sent,
    pending: statements - sent,
    withError: row?.withError ?? 0,
    lastError: last?.error ?? null,
  };
}
