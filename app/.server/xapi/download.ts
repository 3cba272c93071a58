import { and, eq, gt, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import { attempts, users } from "#db/schema";
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
 * The statements a user may download, a page at a time (keyset on the attempt id), so an export
 * of a million attempts never sits in memory at once.
 */
export function* statementPages(
  database: DbLike,
  user: Pick<SessionUser, "id" | "roles">,
  period: Period,
  publicUrl = config().PUBLIC_URL,
  pageSize = 1000,
): Generator<XapiStatement[]> {
  const where = and(
    downloadCondition(database, user),
    period.from ? gte(attempts.gradedAt, period.from) : undefined,
    period.to ? lt(attempts.gradedAt, period.to) : undefined,
  );
  let after = 0;
  for (;;) {
    const page = gradedAttempts(database, and(where, gt(attempts.id, after)), pageSize);
    if (page.length > 0) yield page.map((a) => buildStatement(a, publicUrl));
    if (page.length < pageSize) return;
    after = page[page.length - 1].attemptId;
  }
}

/** A JSON array of statements, streamed page by page. */
export function statementsStream(pages: Iterator<XapiStatement[]>): ReadableStream<Uint8Array> {
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
