import { and, asc, eq, gt, gte, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { attempts, users, xapiStatements } from "#db/schema";
import type { SessionUser } from "../auth";
import { config } from "../config";
import type { DbLike } from "../db";
import { viewerScope } from "../scope";
import { gradedAttempts } from "./graded-attempts";
import { buildStatement, type XapiStatement } from "./statement";

export interface Period {
  /** Graded at or after. */
  from?: Date;
  /** Graded before. */
  to?: Date;
}

/**
 * Which attempts' statements a user may download: admins all; managers and department heads
 * their teams' learners (by current team) and themselves; everyone else only their own.
 */
export function downloadCondition(database: DbLike, user: Pick<SessionUser, "id" | "roles">): SQL | undefined {
  const scope = viewerScope(database, user);
  if (scope.all) return undefined;
  if (scope.teamIds.length === 0) return eq(attempts.userId, user.id);
  return or(eq(attempts.userId, user.id), inArray(users.teamId, scope.teamIds));
}

/**
 * Which learning-journey statements ("assigned", "completed") a user may download: the same rule, by the learner
 * each statement is about (xapi_statements.user_id) and that learner's current team.
 */
export function journeyCondition(database: DbLike, user: Pick<SessionUser, "id" | "roles">): SQL | undefined {
  const scope = viewerScope(database, user);
  if (scope.all) return undefined;
  if (scope.teamIds.length === 0) return eq(xapiStatements.userId, user.id);
  return or(eq(xapiStatements.userId, user.id), inArray(users.teamId, scope.teamIds));
}

/** A stored statement: a graded attempt's (built on the way out) or a journey statement (stored as sent). */
export type DownloadedStatement = XapiStatement | Record<string, unknown>;

/**
 * The statements a user may download, a page at a time, so an export of a million attempts never sits in memory at
 * once: the graded attempts' (keyset on the attempt id), then the journey statements (keyset on the statement id),
 * both in the period (graded at, or the statement's timestamp).
 */
export function* statementPages(
  database: DbLike,
  user: Pick<SessionUser, "id" | "roles">,
  period: Period,
  publicUrl = config().PUBLIC_URL,
  pageSize = 1000,
): Generator<DownloadedStatement[]> {
  const where = and(
    downloadCondition(database, user),
    period.from ? gte(attempts.gradedAt, period.from) : undefined,
    period.to ? lt(attempts.gradedAt, period.to) : undefined,
  );
  let after = 0;
  for (;;) {
    const page = gradedAttempts(database, and(where, gt(attempts.id, after)), pageSize);
    if (page.length > 0) yield page.map((a) => buildStatement(a, publicUrl));
    if (page.length < pageSize) break;
    after = page[page.length - 1].attemptId;
  }
  yield* journeyPages(database, user, period, pageSize);
}

function* journeyPages(
  database: DbLike,
  user: Pick<SessionUser, "id" | "roles">,
  period: Period,
  pageSize: number,
): Generator<DownloadedStatement[]> {
  // ISO 8601 UTC timestamps (toISOString) compare as text in time order.
  const at = sql<string>`json_extract(${xapiStatements.statement}, '$.timestamp')`;
  const where = and(
    isNull(xapiStatements.attemptId),
    journeyCondition(database, user),
    period.from ? gte(at, period.from.toISOString()) : undefined,
    period.to ? lt(at, period.to.toISOString()) : undefined,
  );
  let after = "";
  for (;;) {
    const page = database
      .select({ id: xapiStatements.id, statement: xapiStatements.statement })
      .from(xapiStatements)
      .leftJoin(users, eq(users.id, xapiStatements.userId))
      .where(and(where, gt(xapiStatements.id, after)))
      .orderBy(asc(xapiStatements.id))
      .limit(pageSize)
      .all();
    if (page.length > 0) yield page.map((r) => r.statement as Record<string, unknown>);
    if (page.length < pageSize) return;
    after = page[page.length - 1].id;
  }
}

/** A JSON array of statements, streamed page by page. */
export function statementsStream(pages: Iterator<DownloadedStatement[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let first = true;
  return new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode("["));
    },
    pull(controller) {
      const next = pages.next();
      if (next.done) {
        controller.enqueue(encoder.encode(first ? "]\n" : "\n]\n"));
        controller.close();
        return;
      }
      const body = next.value.map((s) => JSON.stringify(s)).join(",\n");
      controller.enqueue(encoder.encode(`${first ? "\n" : ",\n"}${body}`));
      first = false;
    },
  });
}
