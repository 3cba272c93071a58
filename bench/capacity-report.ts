/**
 * The capacity benchmark's figures, its checks, and the capacity table derived from them: how many employees one
 * machine serves at how many attempts a day each.
 */
import { type LoopResult, percentile } from "./capacity-load";

export interface PageSummary {
  requests: number;
  p50: number;
  p95: number;
  byPage: Record<string, number>;
  errors: string[];
}

export interface Level {
  label: string;
  arrivals: LoopResult & { offered: number; offeredPerSec: number };
  ledger: { written: number; ms: number } | null;
  pages: PageSummary;
  /** A repeat of the lowest level with something beside it; no step of the ladder of levels. */
  extra: "backup" | "usage import" | null;
}

/** One run of `npm run usage:import`: how many rows and how long, or why it failed. */
export interface UsageRun {
  rows: number;
  ms: number;
  error: string | null;
}

export interface Figures {
  options: {
    seconds: number;
    clients: number;
    ledgerRate: number;
    levels: number[];
    liveRates: number[];
    delayMs: number;
    limit: number;
    usageRows: number;
  };
  machine: { cores: number; loadBefore: number; loadAfter: number };
  idle: PageSummary;
  saturated: LoopResult;
  bytesPerAttempt: number;
  ledgerAlone: { written: number; ms: number };
  flatOut: { submit: LoopResult; ledger: { written: number; ms: number }; pages: PageSummary };
  levels: Level[];
  backup: { ms: number; code: number | null; bytes: number } | null;
  live: {
    levels: Level[];
    judged: { llm: number; all: number; calls: number };
    fake: { requests: number; maxInFlight: number };
  };
  /** `npm run usage:import` of the same number of FOCUS rows: alone, and beside the lowest level's load. */
  usageImport: { alone: UsageRun; mixed: UsageRun | null };
}

/** A working day of 8 hours whose busiest hour carries 3× the day's average hourly load (a team's training hour). */
export const WORKDAY_HOURS = 8;
export const PEAK_FACTOR = 3;
export const ATTEMPTS_PER_DAY = [2, 5, 20];
export const PAGE_P95_TARGET_MS = 500;
const OFFLINE_SUBMIT_P95_MS = 1000;
const KEPT_UP = 0.95;

/** Employees a rate serves when each makes `perDay` attempts on a working day. */
export function employeesServed(attemptsPerSec: number, perDay: number): number {
  return Math.floor((attemptsPerSec * WORKDAY_HOURS * 3600) / (PEAK_FACTOR * perDay));
}

/** Sustained: nearly all that was offered finished, pages stayed quick, and the work's own p95 under its bound. */
export function sustained(level: Level, workP95BoundMs: number): boolean {
  const a = level.arrivals;
  return (
    a.errors.length === 0 &&
    a.done >= KEPT_UP * a.offered &&
    level.pages.p95 <= PAGE_P95_TARGET_MS &&
    percentile(a.latencies, 95) <= workP95BoundMs
  );
}

/**
 * The achieved rate of the highest level that was sustained with every lower level sustained too (the levels run
 * from low to high), so that one lucky level above a failed one does not count; 0 when the lowest was not.
 */
export function sustainedRate(levels: Level[], workP95BoundMs: number): number {
  let rate = 0;
  for (const l of levels.filter((level) => !level.extra)) {
    if (!sustained(l, workP95BoundMs)) break;
    rate = Math.min(l.arrivals.perSec, l.arrivals.offeredPerSec);
  }
  return rate;
}

const f = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : "n/a");
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "n/a");
const perSec = (r: { written: number; ms: number }) => r.written / (r.ms / 1000);

export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...rows.map(line)].join("\n");
}

function levelRows(levels: Level[], boundMs: number): string[][] {
  return levels.map((l) => [
    l.label + (l.extra ? ` + ${l.extra}` : ""),
    f(l.arrivals.offeredPerSec, 2),
    f(Math.min(l.arrivals.perSec, l.arrivals.offeredPerSec), 2),
    `${f(percentile(l.arrivals.latencies, 50), 0)} / ${f(percentile(l.arrivals.latencies, 95), 0)}`,
    l.ledger ? int(perSec(l.ledger)) : "-",
    `${f(l.pages.p95, 0)}`,
    sustained(l, boundMs) ? "yes" : "no",
  ]);
}

export function capacityReport(x: Figures): { text: string; pass: boolean } {
  const o = x.options;
  const liveBoundMs = 6 * o.delayMs;
  const offlineRate = sustainedRate(x.levels, OFFLINE_SUBMIT_P95_MS);
  const liveRate = sustainedRate(x.live.levels, liveBoundMs);
  const callsPerLive = x.live.judged.all ? x.live.judged.calls / x.live.judged.all : Number.NaN;
  const providerBound = (limit: number) => limit / (callsPerLive * (o.delayMs / 1000));
  const header = ["load", "offered/s", "done/s", "p50 / p95 ms", "ledger rows/s", "pages p95 ms", "sustained"];
  const rowsPerSec = (r: UsageRun | null) =>
    !r ? "n/a" : r.error ? `failed (${r.error})` : `${int(r.rows / (r.ms / 1000))} rows/s`;
  const checks = [
    [
      "every submission acknowledged",
      [x.saturated, ...[...x.levels, ...x.live.levels].map((l) => l.arrivals)].every((r) => r.errors.length === 0),
    ],
    [
      "every page answered 200",
      [x.idle, ...[...x.levels, ...x.live.levels].map((l) => l.pages)].every((p) => p.errors.length === 0),
    ],
    ["the backup taken under load succeeded and was checked", x.backup?.code === 0],
    [
      "npm run usage:import finished, alone and beside the load",
      !x.usageImport.alone.error && x.usageImport.mixed !== null && !x.usageImport.mixed.error,
    ],
    ["every live attempt scored by the LLM judge", x.live.judged.all > 0 && x.live.judged.llm === x.live.judged.all],
    [`the provider never had more than L=${o.limit} calls in flight`, x.live.fake.maxInFlight <= o.limit],
    ["the lowest offline level is sustained", x.levels.length > 0 && sustained(x.levels[0], OFFLINE_SUBMIT_P95_MS)],
    ["the lowest live rate is sustained", x.live.levels.length > 0 && sustained(x.live.levels[0], liveBoundMs)],
  ] as const;
  const text = [
    `Capacity of one machine: ${x.machine.cores} cores, load average ${f(x.machine.loadBefore, 2)} before and ${f(x.machine.loadAfter, 2)} after`,
    "(other processes on the same cores lower every figure; compare with the same run's idle pages).",
    "",
    `Pages alone (5 pages, one request at a time): p50 ${f(x.idle.p50, 0)} ms, p95 ${f(x.idle.p95, 0)} ms.`,
    `Offline submissions back to back from ${o.clients} clients (saturated, S): ${f(x.saturated.perSec)}/s, ` +
      `p50 ${f(percentile(x.saturated.latencies, 50), 0)} ms, p95 ${f(percentile(x.saturated.latencies, 95), 0)} ms; ` +
      `${int(x.bytesPerAttempt)} bytes of database per attempt.`,
    `Ledger rows flat out from a second process (recordCall, one transaction each): ${int(perSec(x.ledgerAlone))}/s.`,
    `That writer flat out beside the submissions and pages: submissions ${f(x.flatOut.submit.perSec)}/s ` +
      `(${x.flatOut.submit.errors.length} failed), ledger ${int(perSec(x.flatOut.ledger))}/s, pages p95 ${f(x.flatOut.pages.p95, 0)} ms ` +
      `(${x.flatOut.pages.requests} answered, ${x.flatOut.pages.errors.length} failed).`,
    `npm run usage:import of ${int(o.usageRows)} FOCUS rows (its own process, with its start): ` +
      `${rowsPerSec(x.usageImport.alone)} alone; beside the lowest level: ${rowsPerSec(x.usageImport.mixed)}.`,
    "",
    `Offline submissions arriving at a share of S, with the ledger writer at ${o.ledgerRate} rows/s and the pages:`,
    "",
    markdownTable(header, levelRows(x.levels, OFFLINE_SUBMIT_P95_MS)),
    "",
    `Live grading (provider answers after ${o.delayMs} ms, L=${o.limit}; p50/p95 is submit → scored), with the pages:`,
    "",
    markdownTable(header, levelRows(x.live.levels, liveBoundMs)),
    "",
    `Sustained = ≥ ${KEPT_UP * 100}% of the offered work done, pages p95 ≤ ${PAGE_P95_TARGET_MS} ms, and the work's own p95 ≤ ` +
      `${OFFLINE_SUBMIT_P95_MS} ms offline or ≤ ${liveBoundMs} ms live.`,
    x.backup
      ? `npm run db:backup under load: ${f(x.backup.bytes / 1e6)} MB database, ${f(x.backup.ms / 1000)} s with the process start.`
      : "No backup was taken under load.",
    `Live: ${f(callsPerLive)} provider calls per attempt; the provider's limit alone allows L / (calls × latency) = ` +
      `${f(providerBound(4), 2)}/s at L=4 (the default), ${f(providerBound(32), 2)}/s at L=32.`,
    "",
    `Employees served at ${WORKDAY_HOURS} working hours a day, the busiest hour at ${PEAK_FACTOR}× the average:`,
    "",
    markdownTable(
      [
        "attempts a day each",
        `offline judge (${f(offlineRate)}/s)`,
        `live, L=4 default (${f(Math.min(liveRate, providerBound(4)), 2)}/s)`,
        `live, L=32 (${f(Math.min(liveRate, providerBound(32)), 2)}/s)`,
        `live, machine's limit (${f(liveRate, 2)}/s)`,
      ],
      ATTEMPTS_PER_DAY.map((a) => [
        String(a),
        int(employeesServed(offlineRate, a)),
        int(employeesServed(Math.min(liveRate, providerBound(4)), a)),
        int(employeesServed(Math.min(liveRate, providerBound(32)), a)),
        int(employeesServed(liveRate, a)),
      ]),
    ),
    "(live: the lower of the machine's sustained rate and what the provider limit L allows at this latency)",
    "",
    ...checks.map(([name, ok]) => `${ok ? "PASS" : "FAIL"}  ${name}`),
  ].join("\n");
  return { text, pass: checks.every(([, ok]) => ok) };
}
