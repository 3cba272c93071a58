/**
 * What the browser benchmarks share: the built app on a free port with a temporary demo database, Debian
 * Chromium (the browser tests' helpers), a learner logged in, and the figures' arithmetic.
 */
import { existsSync } from "node:fs";
import { type Browser, logIn, openBrowser } from "../test/browser/chromium";
import { startApp } from "../test/support/app-server";

export const LEARNER = "learner@tokenwise.example";

export interface Session {
  baseURL: string;
  browser: Browser;
}

/** Runs `fn` with the app started and the demo learner logged in; always stops both, also on Ctrl+C. */
export async function withLearnerSession<T>(fn: (session: Session) => Promise<T>): Promise<T> {
  if (!existsSync("/usr/bin/chromium")) throw new Error("Chromium is missing: apt-get install -y chromium");
  const app = await startApp();
  const interrupted = () => {
    void app.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  let browser: Browser | undefined;
  try {
    browser = await openBrowser();
    await logIn(browser.page, app.baseURL, LEARNER);
    return await fn({ baseURL: app.baseURL, browser });
  } finally {
    await browser?.close();
    await app.stop();
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Summary {
  n: number;
  median: number;
  p95: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, median: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? 0 };
}

/** A plain-text table: columns of figures aligned right, others left. */
export function table(header: string[], rows: (string | number)[][]): string {
  const body = rows.map((r) => r.map(String));
  const cells = [header, ...body];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const figures = header.map((_, i) => body.every((r) => /^[\d.,()–× -]+$/.test(r[i])));
  return cells
    .map((r) => r.map((c, i) => (figures[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  "))
    .join("\n")
    .replace(/ +$/gm, "");
}
