import { createHash } from "node:crypto";
import { and, asc, eq, gt, gte, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { attempts, courses, exercises, exerciseVersions, modelCalls, users, xapiStatements } from "#db/schema";
import type { SessionUser } from "./auth";
import { config } from "./config";
import type { DbLike } from "./db";
import { viewerScope } from "./scope";

/**
 * xAPI 1.0.3 statements, one per graded attempt: "<learner> passed|failed <exercise>", with the
 * scaled score, success, completion, duration, and tokens and cost in result extensions. Statement
 * ids are UUID v5 of the attempt's URL, so a statement downloaded twice or re-sent to an LRS is the
 * same statement (an LRS ignores an identical re-send instead of storing a duplicate).
 */

export const XAPI_VERSION = "1.0.3";
const VERB = {
  passed: "http://adlnet.gov/expapi/verbs/passed",
  failed: "http://adlnet.gov/expapi/verbs/failed",
} as const;
const ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment";
const COURSE = "http://adlnet.gov/expapi/activities/course";
const EXT = "https://tokenwise.dev/xapi";
const MAX_SCORE = 1000;

export interface XapiStatement {
  id: string;
  actor: { objectType: "Agent"; name: string; mbox: string };
  verb: { id: string; display: Record<string, string> };
  object: {
    objectType: "Activity";
    id: string;
    definition: { type: string; name: Record<string, string>; description: Record<string, string> };
  };
  result: {
    score: { scaled: number; raw: number; min: number; max: number };
    success: boolean;
    completion: boolean;
    duration: string;
    extensions: Record<string, string | number | null>;
  };
  context: {
    platform: string;
    language: string;
    contextActivities: {
      parent: { objectType: "Activity"; id: string; definition: { type: string; name: Record<string, string> } }[];
    };
    extensions: Record<string, string | number>;
  };
  timestamp: string;
}

/** What a statement is made of: one graded attempt with its learner, exercise and course. */
export interface GradedAttempt {
  attemptId: number;
  createdAt: Date;
  gradedAt: Date | null;
  passed: boolean;
  score: number;
  quality: number | null;
  efficiency: number | null;
  promptTokens: number | null;
  baselineTokens: number | null;
  costPerCallMicros: number | null;
  monthlyCostMicros: number | null;
  baselineMonthlyCostMicros: number | null;
  gradingCostMicros: number;
  modelId: string;
  judge: string | null;
  learner: { name: string; email: string };
  exercise: { slug: string; title: string; brief: string; skill: string; difficulty: number; version: number };
  course: { slug: string; title: string };
}

const URL_NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

/** RFC 4122 version-5 (SHA-1, name-based) UUID. */
export function uuidV5(name: string, namespace = URL_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const bytes = createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const base = (publicUrl: string) => publicUrl.replace(/\/+$/, "");

export function statementId(publicUrl: string, attemptId: number): string {
  return uuidV5(`${base(publicUrl)}/attempts/${attemptId}`);
}

/** ISO 8601 duration with at most two decimals of seconds (xAPI keeps 0.01 s precision), e.g. PT1M5.25S. */
export function isoDuration(ms: number): string {
  const centis = Math.max(0, Math.round(ms / 10));
  const hours = Math.floor(centis / 360_000);
  const minutes = Math.floor((centis % 360_000) / 6000);
  const seconds = (centis % 6000) / 100;
  return `PT${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds || (!hours && !minutes) ? `${seconds}S` : ""}`;
}

/** The brief's first paragraph as plain text, for the activity description. */
export function plainSummary(markdown: string, max = 280): string {
  const paragraph = markdown.trim().split(/\n\s*\n/)[0] ?? "";
  const text = paragraph
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_#>]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export function buildStatement(a: GradedAttempt, publicUrl: string): XapiStatement {
  const root = base(publicUrl);
  const verb = a.passed ? "passed" : "failed";
  const graded = a.gradedAt ?? a.createdAt;
  return {
    id: statementId(root, a.attemptId),
    actor: { objectType: "Agent", name: a.learner.name, mbox: `mailto:${a.learner.email}` },
    verb: { id: VERB[verb], display: { "en-US": verb } },
    object: {
      objectType: "Activity",
      id: `${root}/exercises/${a.exercise.slug}`,
      definition: {
        type: ASSESSMENT,
        name: { "en-US": a.exercise.title },
        description: { "en-US": plainSummary(a.exercise.brief) },
      },
    },
    result: {
      score: { scaled: a.score / MAX_SCORE, raw: a.score, min: 0, max: MAX_SCORE },
      success: a.passed,
      // A graded attempt is a completed assessment whether or not it passed.
      completion: true,
      duration: isoDuration(graded.getTime() - a.createdAt.getTime()),
      extensions: {
        [`${EXT}/tokens`]: a.promptTokens,
        [`${EXT}/baseline-tokens`]: a.baselineTokens,
        [`${EXT}/cost-micros`]: a.costPerCallMicros,
        [`${EXT}/monthly-cost-micros`]: a.monthlyCostMicros,
        [`${EXT}/baseline-monthly-cost-micros`]: a.baselineMonthlyCostMicros,
        [`${EXT}/grading-cost-micros`]: a.gradingCostMicros,
        [`${EXT}/quality`]: a.quality,
        [`${EXT}/efficiency`]: a.efficiency,
        [`${EXT}/model`]: a.modelId,
        [`${EXT}/judge`]: a.judge,
      },
    },
    context: {
      platform: "Tokenwise",
      language: "en-US",
      contextActivities: {
        parent: [
          {
            objectType: "Activity",
            id: `${root}/courses/${a.course.slug}`,
            definition: { type: COURSE, name: { "en-US": a.course.title } },
          },
        ],
      },
      extensions: {
        [`${EXT}/skill`]: a.exercise.skill,
        [`${EXT}/difficulty`]: a.exercise.difficulty,
        [`${EXT}/exercise-version`]: a.exercise.version,
      },
    },
    timestamp: graded.toISOString(),
  };
}

/** Graded attempts matching `where` (a condition on attempts/users), in attempt id order. */
export function gradedAttempts(database: DbLike, where: SQL | undefined, limit?: number): GradedAttempt[] {
  const content = exerciseVersions.content;
  const query = database
    .select({
      attemptId: attempts.id,
      createdAt: attempts.createdAt,
      gradedAt: attempts.gradedAt,
      passed: attempts.passed,
      score: attempts.score,
      quality: attempts.quality,
      efficiency: attempts.efficiency,
      promptTokens: attempts.promptTokens,
      baselineTokens: attempts.baselineTokens,
      costPerCallMicros: attempts.costPerCallMicros,
      monthlyCostMicros: attempts.monthlyCostMicros,
      baselineMonthlyCostMicros: attempts.baselineMonthlyCostMicros,
      gradingCostMicros: sql<number>`(select coalesce(sum(${modelCalls.costMicros}), 0) from ${modelCalls} where ${modelCalls.attemptId} = ${attempts.id})`,
      modelId: attempts.modelId,
      judge: attempts.judge,
      name: users.name,
      email: users.email,
      slug: exercises.slug,
      title: sql<string>`json_extract(${content}, '$.title')`,
      brief: sql<string>`json_extract(${content}, '$.brief')`,
      skill: sql<string>`json_extract(${content}, '$.skill')`,
      difficulty: sql<number>`json_extract(${content}, '$.difficulty')`,
      version: exerciseVersions.version,
      courseSlug: courses.slug,
      courseTitle: courses.title,
    })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .innerJoin(exercises, eq(exercises.id, attempts.exerciseId))
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, attempts.exerciseVersionId))
    .innerJoin(courses, eq(courses.id, exercises.courseId))
    .where(and(eq(attempts.status, "scored"), where))
    .orderBy(asc(attempts.id));
  const rows = limit === undefined ? query.all() : query.limit(limit).all();
  return rows.map((r) => ({
    attemptId: r.attemptId,
    createdAt: r.createdAt,
    gradedAt: r.gradedAt,
    passed: r.passed === true,
    score: r.score ?? 0,
    quality: r.quality,
    efficiency: r.efficiency,
    promptTokens: r.promptTokens,
    baselineTokens: r.baselineTokens,
    costPerCallMicros: r.costPerCallMicros,
    monthlyCostMicros: r.monthlyCostMicros,
    baselineMonthlyCostMicros: r.baselineMonthlyCostMicros,
    gradingCostMicros: r.gradingCostMicros,
    modelId: r.modelId,
    judge: r.judge,
    learner: { name: r.name, email: r.email },
    exercise: {
      slug: r.slug,
      title: r.title,
      brief: r.brief ?? "",
      skill: r.skill,
      difficulty: r.difficulty,
      version: r.version,
    },
    course: { slug: r.courseSlug, title: r.courseTitle },
  }));
}

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

/* ---------- sending to a learning record store ---------- */

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
