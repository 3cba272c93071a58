import { eq } from "drizzle-orm";
import { usageImports, usagePulls } from "#db/schema";
import type { Config } from "~/.server/config";
import type { Db } from "~/.server/db";
import { reallocate } from "./allocate";
import { reconcile, writeCostLines } from "./cost-reports";
import { describeError, type ImportError, MAX_ERRORS, startImport } from "./import-run";
import { PULL_SOURCES, type PullSource, type PullSourceName, type Window } from "./pull-sources";
import type { CostLine } from "./reader";
import type { UsageRow } from "./row";
import { catalogue } from "./sources";
import { UsageStore } from "./store";

/**
 * Scheduled pulls of production usage from the providers' admin APIs, run by the background upkeep. A pull works
 * through a window of days, report by report (stage), page by page; each page's rows and the pull's position
 * (stage and cursor of the next page) are written in one transaction, so a pull stopped anywhere (a crash, a
 * deadline, an API that keeps answering 429) resumes at the next page the following time, and a page fetched twice
 * writes nothing twice (its rows' keys are stable). The window starts REFRESH_DAYS before where the last pull
 * ended, so late-arriving usage and restated costs are picked up.
 */

const DAY_MS = 86_400_000;
export const REFRESH_DAYS = 2;
const MAX_ATTEMPTS = 6;
const MAX_WAIT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface PullDeps {
  fetchFn?: typeof fetch;
  /** Stop between pages after this moment (the rest continues at the next upkeep). */
  deadline?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface PullReport {
  source: PullSourceName;
  status: "done" | "paused" | "failed" | "skipped";
  pages: number;
  rows: number;
  message: string;
}

class PullError extends Error {}

/** The secret taken out of a message bound for the database, a log or a page. */
export function redactKey(message: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? message.split(secret).join("[redacted]") : message;
}

function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new PullError(`the API answered more than ${MAX_BODY_BYTES / 1024 / 1024} MB for one page`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** One page, retried on 429 (after Retry-After), 5xx and network errors with backoff; a 4xx is final. */
async function fetchPage(url: string, headers: Record<string, string>, deps: Required<PullDeps>): Promise<unknown> {
  let lastProblem = "";
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let res: Response;
    try {
      res = await deps.fetchFn(url, {
        headers: { Accept: "application/json", ...headers },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      lastProblem = `could not reach the API (${(error as Error).message})`;
      res = new Response(null, { status: 599 });
    }
    if (res.ok) {
      const text = await readCapped(res);
      try {
        return JSON.parse(text);
      } catch {
        throw new PullError("the API answered with something that is not JSON");
      }
    }
    if (res.status === 401 || res.status === 403)
      throw new PullError(
        `the API refused the admin key (HTTP ${res.status}): check the key in the server's configuration`,
      );
    if (res.status !== 429 && res.status < 500) {
      const text = (await readCapped(res).catch(() => "")).slice(0, 300);
      throw new PullError(`the API answered HTTP ${res.status}${text ? `: ${text}` : ""}`);
    }
    if (res.status !== 599) lastProblem = res.status === 429 ? "rate limited (HTTP 429)" : `HTTP ${res.status}`;
    await res.body?.cancel().catch(() => {});
    if (attempt === MAX_ATTEMPTS) break;
    const backoff = Math.min(MAX_WAIT_MS, 1000 * 2 ** (attempt - 1) * (0.5 + deps.random()));
    const wait = Math.min(
      MAX_WAIT_MS,
      Math.max(retryAfterMs(res.headers.get("retry-after"), Date.now()) ?? 0, backoff),
    );
    if (Date.now() + wait > deps.deadline) break;
    await deps.sleep(wait);
  }
  throw new PullError(`gave up after ${MAX_ATTEMPTS} tries: ${lastProblem}`);
}

type State = typeof usagePulls.$inferSelect;

function state(database: Db, source: PullSourceName): State {
  database.insert(usagePulls).values({ source }).onConflictDoNothing().run();
  return database.select().from(usagePulls).where(eq(usagePulls.source, source)).get() as State;
}

/** The window a new pull covers: from REFRESH_DAYS before the last one ended (or the backfill), to now. */
export function nextWindow(
  s: State,
  now: Date,
  cfg: Pick<Config, "USAGE_PULL_BACKFILL_DAYS">,
  dailyBuckets: boolean,
): Window {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const start =
    s.pulledUntil !== null
      ? Math.floor(s.pulledUntil / DAY_MS) * DAY_MS - REFRESH_DAYS * DAY_MS
      : today - cfg.USAGE_PULL_BACKFILL_DAYS * DAY_MS;
  return { start, end: dailyBuckets ? today + DAY_MS : now.getTime() };
}

export function isDue(database: Db, source: PullSourceName, now: Date, cfg: Pick<Config, "USAGE_PULL_HOURS">): boolean {
  const s = state(database, source);
  if (s.windowStart !== null) return true;
  return !s.lastRunAt || now.getTime() - s.lastRunAt.getTime() >= cfg.USAGE_PULL_HOURS * 3_600_000;
}

/** Runs (or resumes) one source's pull. Never throws for the API's sake: the report and the import say what happened. */
export async function runPull(
  database: Db,
  name: PullSourceName,
  cfg: Config,
  now: Date,
  deps: PullDeps = {},
): Promise<PullReport> {
  const source: PullSource = PULL_SOURCES[name];
  const report: PullReport = { source: name, status: "skipped", pages: 0, rows: 0, message: "" };
  if (!source.configured(cfg)) return { ...report, message: `${source.label} is not configured` };
  const d: Required<PullDeps> = {
    fetchFn: deps.fetchFn ?? fetch,
    deadline: deps.deadline ?? Number.POSITIVE_INFINITY,
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: deps.random ?? Math.random,
  };
  let s = state(database, name);
  if (s.windowStart === null || s.windowEnd === null) {
    const w = nextWindow(s, now, cfg, source.dailyBuckets);
    database
      .update(usagePulls)
      .set({ windowStart: w.start, windowEnd: w.end, stage: 0, cursor: null })
      .where(eq(usagePulls.source, name))
      .run();
    s = state(database, name);
  }
  const window: Window = { start: s.windowStart as number, end: s.windowEnd as number };
  const origin = `${source.label} API pull, ${new Date(window.start).toISOString().slice(0, 10)} to ${new Date(window.end).toISOString().slice(0, 16).replace("T", " ")}`;
  const importId = startImport(database, { source: name, origin, policy: "keep" }, null);
  database.update(usagePulls).set({ lastRunAt: now, lastImportId: importId }).where(eq(usagePulls.source, name)).run();
  const store = new UsageStore(database);
  const cat = catalogue(database);
  const counts = { read: 0, added: 0, updated: 0, unchanged: 0, skipped: 0, bad: 0, billed: 0 };
  const errors: ImportError[] = [];
  const touched = new Set<number>();
  const counter = { n: 0 };
  let stage = s.stage;
  let cursor = s.cursor;
  const finish = (status: "done" | "failed", message: string) => {
    database
      .update(usageImports)
      .set({
        status,
        message,
        finishedAt: new Date(),
        beatAt: new Date(),
        rowsRead: counts.read,
        rowsAdded: counts.added,
        rowsUpdated: counts.updated,
        rowsUnchanged: counts.unchanged,
        rowsSkipped: counts.skipped,
        rowsBad: counts.bad,
        errors,
      })
      .where(eq(usageImports.id, importId))
      .run();
  };
  const settle = () => {
    if (touched.size > 0) reconcile(database, name, touched, importId);
    reallocate(database);
  };
  try {
    while (stage < source.stages.length) {
      if (Date.now() > d.deadline) {
        settle();
        const message = `Paused after ${report.pages} pages (${counts.added} rows added); the pull continues at the next upkeep.`;
        finish("done", message);
        return { ...report, status: "paused", rows: counts.added + counts.updated, message };
      }
      const st = source.stages[stage];
      const body = await fetchPage(st.url(cfg, window, cursor), source.headers(cfg), d);
      const rows: UsageRow[] = [];
      const bills: CostLine[] = [];
      for (const item of source.items(body, `${st.label} page ${report.pages + 1}`, cat, counter)) {
        counts.read++;
        if (item.kind === "row") rows.push(item.row);
        else if (item.kind === "cost") bills.push(item.line);
        else if (item.kind === "skip") counts.skipped++;
        else {
          counts.bad++;
          if (errors.length < MAX_ERRORS) errors.push({ at: item.at, field: item.field, message: item.message });
        }
      }
      const next = st.next(body, cursor);
      const [nextStage, nextCursor] = next === null ? [stage + 1, null] : [stage, next];
      database.$client
        .transaction(() => {
          const w = store.write(rows, importId);
          counts.added += w.added;
          counts.updated += w.updated;
          counts.unchanged += w.unchanged;
          if (bills.length > 0) writeCostLines(database, name, bills, importId);
          counts.billed += bills.length;
          database
            .update(usagePulls)
            .set({ stage: nextStage, cursor: nextCursor })
            .where(eq(usagePulls.source, name))
            .run();
          database
            .update(usageImports)
            .set({ rowsRead: counts.read, rowsAdded: counts.added, rowsUpdated: counts.updated, beatAt: new Date() })
            .where(eq(usageImports.id, importId))
            .run();
        })
        .immediate();
      for (const r of rows) touched.add(Math.floor(r.periodStart / DAY_MS) * DAY_MS);
      for (const b of bills) touched.add(b.day);
      report.pages++;
      [stage, cursor] = [nextStage, nextCursor];
    }
    settle();
    database
      .update(usagePulls)
      .set({
        windowStart: null,
        windowEnd: null,
        stage: 0,
        cursor: null,
        pulledUntil: window.end,
        lastSuccessAt: new Date(),
        lastError: null,
      })
      .where(eq(usagePulls.source, name))
      .run();
    const message = `Pulled ${report.pages} pages: ${counts.added} added, ${counts.updated} updated, ${counts.unchanged} already imported${
      counts.billed ? `, ${counts.billed} billed amounts reconciled` : ""
    }${
      counts.bad
        ? `, ${counts.bad} bad results left out (${errors
            .map((e) => describeError("result", e))
            .slice(0, 3)
            .join("; ")})`
        : ""
    }.`;
    finish("done", message);
    return { ...report, status: "done", rows: counts.added + counts.updated, message };
  } catch (error) {
    if (!(error instanceof PullError)) throw error;
    settle();
    const message = redactKey(
      `${source.label}: ${error.message}. The pull resumes from this page at the next upkeep.`,
      source.secret(cfg),
    );
    database.update(usagePulls).set({ lastError: message }).where(eq(usagePulls.source, name)).run();
    finish("failed", message);
    return { ...report, status: "failed", rows: counts.added + counts.updated, message };
  }
}

/** Every configured source whose pull is due (or in progress), one after the other. */
export async function runDuePulls(database: Db, cfg: Config, now: Date, deps: PullDeps = {}): Promise<PullReport[]> {
  const reports: PullReport[] = [];
  for (const name of Object.keys(PULL_SOURCES) as PullSourceName[]) {
    if (!PULL_SOURCES[name].configured(cfg) || !isDue(database, name, now, cfg)) continue;
    reports.push(await runPull(database, name, cfg, now, deps));
  }
  return reports;
}

/** What the admin's page shows of each source's pulls. */
export function pullStatus(database: Db, cfg: Config) {
  return (Object.keys(PULL_SOURCES) as PullSourceName[]).map((name) => {
    const s = database.select().from(usagePulls).where(eq(usagePulls.source, name)).get();
    return {
      source: name,
      label: PULL_SOURCES[name].label,
      configured: PULL_SOURCES[name].configured(cfg),
      lastRunAt: s?.lastRunAt?.toISOString() ?? null,
      lastSuccessAt: s?.lastSuccessAt?.toISOString() ?? null,
      pulledUntil: s?.pulledUntil ? new Date(s.pulledUntil).toISOString() : null,
      inProgress: s?.windowStart !== null && s?.windowStart !== undefined,
      lastError: s?.lastError ?? null,
      lastImportId: s?.lastImportId ?? null,
    };
  });
}
