/**
 * The capacity benchmark's load: closed-loop clients (each sends its next request when its last one is answered,
 * to find the saturated rate), open-loop arrivals at a set rate (to see whether a rate is sustained), a page prober
 * at a steady pace, and a watcher that learns when live attempts are graded by reading the app's
 * database file (one query for all waiting clients, so watching costs the machine little).
 */
import Database from "better-sqlite3";
import { getPage } from "../test/support/app-client";

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface LoopResult {
  /** Work items finished inside the window. */
  done: number;
  perSec: number;
  latencies: number[];
  errors: string[];
  windowMs: number;
}

/**
 * `clients` loops, each running `work` back to back until `durationMs` has passed; counts the items that finished
 * inside the window (an item still in flight at the end is not counted, nor waited for beyond a grace period).
 */
export async function closedLoop(opts: {
  clients: number;
  durationMs: number;
  work: (client: number, n: number) => Promise<void>;
}): Promise<LoopResult> {
  const started = performance.now();
  const deadline = started + opts.durationMs;
  const latencies: number[] = [];
  const errors: string[] = [];
  let n = 0;
  const loop = async (client: number) => {
    while (performance.now() < deadline) {
      const t = performance.now();
      try {
        await opts.work(client, n++);
        if (performance.now() <= deadline) latencies.push(performance.now() - t);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
        if (errors.length > 50) return;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, i) => loop(i)));
  const windowMs = opts.durationMs;
  return { done: latencies.length, perSec: latencies.length / (windowMs / 1000), latencies, errors, windowMs };
}

/**
 * Offers `ratePerSec` work items at even intervals for `durationMs`, whether or not earlier ones have finished (as
 * independent users do), then waits up to `graceMs` for the last ones. Kept up when every item finished.
 */
export async function openLoop(opts: {
  ratePerSec: number;
  durationMs: number;
  graceMs: number;
  work: (n: number) => Promise<void>;
}): Promise<LoopResult & { offered: number; offeredPerSec: number }> {
  const latencies: number[] = [];
  const errors: string[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const intervalMs = 1000 / opts.ratePerSec;
  let offered = 0;
  while (performance.now() - started < opts.durationMs) {
    const due = started + offered * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t = performance.now();
    const n = offered++;
    inFlight.push(
      opts.work(n).then(
        () => {
          latencies.push(performance.now() - t);
        },
        (err: unknown) => {
          errors.push(err instanceof Error ? err.message : String(err));
        },
      ),
    );
  }
  await Promise.race([Promise.all(inFlight), new Promise((resolve) => setTimeout(resolve, opts.graceMs))]);
  const windowMs = opts.durationMs;
  return {
    done: latencies.length,
    perSec: latencies.length / (windowMs / 1000),
    latencies: [...latencies],
    errors: [...errors],
    windowMs,
    offered,
    offeredPerSec: offered / (windowMs / 1000),
  };
}

export interface ProbePage {
  label: string;
  path: string;
  cookie: string;
}

export interface ProbeResult {
  byPage: Record<string, number[]>;
  all: number[];
  errors: string[];
}

/** Requests the pages one after another, one every `intervalMs` (never two at once), until `durationMs` has passed. */
export async function probePages(pages: ProbePage[], baseURL: string, durationMs: number, intervalMs = 100) {
  const result: ProbeResult = { byPage: {}, all: [], errors: [] };
  const deadline = performance.now() + durationMs;
  for (let i = 0; performance.now() < deadline; i++) {
    const page = pages[i % pages.length];
    const t = performance.now();
    const res = await getPage(baseURL, page.path, page.cookie).catch((err: Error) => ({
      status: 0,
      body: err.message,
    }));
    const ms = performance.now() - t;
    if (res.status !== 200) result.errors.push(`${page.path}: ${res.status}`);
    else {
      result.byPage[page.label] = [...(result.byPage[page.label] ?? []), ms];
      result.all.push(ms);
    }
    const rest = intervalMs - (performance.now() - t);
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  }
  return result;
}

/** Resolves each waiting attempt once the app has scored (or failed) it, reading the database every `tickMs`. */
export class AttemptWatcher {
  private readonly conn: Database.Database;
  private readonly waiting = new Map<number, { resolve: (status: string) => void }>();
  private readonly timer: NodeJS.Timeout;

  constructor(databasePath: string, tickMs = 100) {
    this.conn = new Database(databasePath, { readonly: true, fileMustExist: true });
    this.conn.pragma("busy_timeout = 5000");
    this.timer = setInterval(() => this.look(), tickMs);
  }

  graded(attemptId: number): Promise<string> {
    return new Promise((resolve) => this.waiting.set(attemptId, { resolve }));
  }

  private look(): void {
    if (this.waiting.size === 0) return;
    const ids = [...this.waiting.keys()];
    const rows = this.conn
      .prepare(
        `select id, status from attempts where status in ('scored', 'failed') and id in (${ids.map(() => "?").join(",")})`,
      )
      .all(...ids) as { id: number; status: string }[];
    for (const { id, status } of rows) {
      this.waiting.get(id)?.resolve(status);
      this.waiting.delete(id);
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.conn.close();
  }
}
