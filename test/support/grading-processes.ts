import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { and, inArray, like } from "drizzle-orm";
import { type ModelCall, modelCalls } from "#db/schema";
import type { DbLike } from "~/.server/db";
import type { Mode } from "../fakes/provider-process";

/**
 * Real processes for the crash tests and the chaos benchmark: the fake provider (test/fakes/provider-process.ts),
 * which bills and logs every call to a file, and the app's grading worker (scripts/grading-worker.ts), which they
 * kill with real signals.
 */

export interface BilledLine {
  at: number;
  key: string | null;
  role: "target" | "judge" | "embedding";
  model: string;
  status: number | "hang";
  billed: boolean;
  usage?: { input: number; cachedInput: number; output: number };
  usageReported?: boolean;
  clientGone?: boolean;
}

export interface FakeProviderProcess {
  url: string;
  setMode(mode: Mode): Promise<unknown>;
  stats(): Promise<{ requests: number; inFlight: number; maxInFlight: number }>;
  /** Every request the provider has answered (or hung), in order. */
  log(): BilledLine[];
  stop(): Promise<void>;
}

const NODE_TSX = [process.execPath, "--import", "tsx"] as const;

/** User + system CPU time of a live process so far, in ms (Linux /proc); null once it is gone. */
export function processCpuMs(pid: number, file = `/proc/${pid}/stat`): number | null {
  try {
    const stat = readFileSync(file, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name; in clock ticks (100 a second).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** The CPU (ms) of a live process's main thread alone (its task whose id is the pid); null once it is gone. */
export function mainThreadCpuMs(pid: number): number | null {
  return processCpuMs(pid, `/proc/${pid}/task/${pid}/stat`);
}

export async function startFakeProvider(logFile: string, mode: Mode = {}): Promise<FakeProviderProcess> {
  const child = spawn(
    NODE_TSX[0],
    [...NODE_TSX.slice(1), "test/fakes/provider-process.ts", "--log", logFile, "--mode", JSON.stringify(mode)],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const answers: ((line: string) => void)[] = [];
  const first = await new Promise<string>((ok, fail) => {
    lines.once("line", ok);
    child.once("exit", (code) => fail(new Error(`the fake provider exited with ${code} before listening`)));
  });
  lines.on("line", (line) => answers.shift()?.(line));
  const command = <T>(cmd: string) =>
    new Promise<T>((ok) => {
      answers.push((line) => ok(JSON.parse(line) as T));
      child.stdin!.write(`${cmd}\n`);
    });
  return {
    url: (JSON.parse(first) as { url: string }).url,
    setMode: (m) => command(`mode ${JSON.stringify(m)}`),
    stats: () => command("stats"),
    log: () =>
      existsSync(logFile)
        ? readFileSync(logFile, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as BilledLine)
        : [],
    stop: () => endChild(child, lines),
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Its owner id (as written into leases and pending ledger rows). */
  id: string;
  /** Resolves when the worker says its CPU pool's threads have loaded their encoders (never, if it dies first). */
  poolReady: Promise<void>;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The app's grading worker in its own process, configured by `env` like the app (see the README's table). */
let bundled: Promise<string[]> | undefined;

/**
 * How to start the worker: its bundle (scripts/build-worker.ts), built first when missing or older than the sources,
 * as a deployment starts it after `npm run build`; plain `node` starts it in about a second where tsx compiling the
 * TypeScript took 3–10 s on a loaded machine. Falls back to tsx if the bundle cannot be built.
 */
function workerCommand(): Promise<string[]> {
  bundled ??= (async () => {
    try {
      const { buildWorker, WORKER_BUNDLE, workerBundleFresh } = await import("../../scripts/build-worker");
      if (!workerBundleFresh()) await buildWorker();
      return [process.execPath, WORKER_BUNDLE];
    } catch (err) {
      console.error(`[test] grading worker bundle unavailable (${(err as Error).message}); starting it through tsx`);
      return [...NODE_TSX, "scripts/grading-worker.ts"];
    }
  })();
  return bundled;
}

/**
 * Starts the worker. With `cpuProfileDir`, node writes a V8 CPU profile of the process (and of each CPU-pool thread,
 * which inherit the flags: cpu/pool.ts) into it when the worker exits normally (SIGTERM drains, then exits); a worker
 * killed with SIGKILL writes none.
 */
export async function startWorker(
  env: Record<string, string>,
  opts: { cpuProfileDir?: string; nodeFlags?: string[] } = {},
): Promise<WorkerProcess> {
  const [command, ...rest] = await workerCommand();
  const profile = opts.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  const args = [...profile, ...(opts.nodeFlags ?? []), ...rest];
  const child = spawn(command, args, {
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "error", MAINTENANCE_INTERVAL_SECONDS: "0", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.once("exit", (code, signal) => ok({ code, signal })),
  );
  const lines = createInterface({ input: child.stdout! });
  try {
    const first = await new Promise<string>((ok, fail) => {
      lines.once("line", ok);
      exited.then(({ code }) => fail(new Error(`the grading worker exited with ${code} before it started`)));
    });
    // Its next line says the CPU pool's threads are warm (the end of its start-up).
    const poolReady = new Promise<void>((ok) =>
      lines.on("line", (line) => {
        if (line.includes('"cpuPoolReady"')) ok();
      }),
    );
    return { child, pid: child.pid!, id: (JSON.parse(first) as { worker: string }).worker, exited, poolReady };
  } catch (err) {
    // Not handed to the caller, so no one else would stop it: a worker left running outlives the test run.
    child.kill("SIGKILL");
    throw err;
  }
}

async function endChild(child: ChildProcess, lines: Interface): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((ok) => child.once("exit", () => ok()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
  lines.close();
}

/** The ledger rows of live grading calls (idempotency keys "grading:…"), cache hits and the offline judge aside. */
export function gradingRows(database: DbLike, attemptIds?: readonly number[]): ModelCall[] {
  return database
    .select()
    .from(modelCalls)
    .where(
      and(
        like(modelCalls.idempotencyKey, "grading:%"),
        attemptIds ? inArray(modelCalls.attemptId, [...attemptIds]) : undefined,
      ),
    )
    .all()
    .filter((r) => !r.cacheHit && r.provider !== "builtin");
}

export interface LedgerCheck {
  billed: number;
  rows: number;
  settled: number;
  unknown: number;
  /** Billed calls with no ledger row: must be none. */
  missing: string[];
  /** Keys billed more than once, or with more than one row: must be none. */
  twice: string[];
  /** Settled rows whose tokens differ from what the provider billed. */
  wrongUsage: string[];
  /** Settled, paid rows the provider never billed. */
  phantom: string[];
  /** Unknown rows the provider never billed (sent as the process died, or hung): priced at their estimate. */
  unknownUnbilled: number;
}

/** Holds the ledger against the provider's billing log, call for call, by idempotency key. */
export function checkLedger(rows: readonly ModelCall[], log: readonly BilledLine[]): LedgerCheck {
  const billed = log.filter((l) => l.billed);
  const billedKeys = new Map<string, BilledLine>();
  const twice = new Set<string>();
  for (const b of billed) {
    if (!b.key || billedKeys.has(b.key)) twice.add(b.key ?? "(no key)");
    else billedKeys.set(b.key, b);
  }
  const byKey = new Map<string, ModelCall>();
  for (const r of rows) {
    if (byKey.has(r.idempotencyKey!)) twice.add(r.idempotencyKey!);
    byKey.set(r.idempotencyKey!, r);
  }
  const missing = [...billedKeys.keys()].filter((k) => !byKey.has(k));
  const wrongUsage: string[] = [];
  const phantom: string[] = [];
  let unknownUnbilled = 0;
  for (const r of rows) {
    const b = billedKeys.get(r.idempotencyKey!);
    if (r.state === "settled" && r.status === "ok") {
      if (!b) phantom.push(r.idempotencyKey!);
      else if (b.usage && (b.usage.input !== r.inputTokens || b.usage.output !== r.outputTokens))
        wrongUsage.push(r.idempotencyKey!);
    }
    if (r.state === "unknown" && !b) unknownUnbilled++;
  }
  return {
    billed: billed.length,
    rows: rows.length,
    settled: rows.filter((r) => r.state === "settled" && r.status === "ok").length,
    unknown: rows.filter((r) => r.state === "unknown").length,
    missing,
    twice: [...twice],
    wrongUsage,
    phantom,
    unknownUnbilled,
  };
}

export function workerEnv(opts: { url: string; databasePath: string; extra?: Record<string, string> }) {
  return {
    DATABASE_PATH: opts.databasePath,
    LLM_PROVIDER: "openai-compatible",
    LLM_BASE_URL: opts.url,
    LLM_API_KEY: "sk-test-not-a-real-key-000",
    LLM_JUDGE_MODEL: "gpt-4.1-mini",
    LLM_CONCURRENCY: "4",
    LLM_TIMEOUT_MS: "2000",
    LLM_RETRY_BUDGET_MINUTES: "0.5",
    GRADING_LEASE_SECONDS: "3",
    GRADING_HEARTBEAT_SECONDS: "0.5",
    GRADING_SHUTDOWN_SECONDS: "5",
    CACHE_TTL_HOURS: "24",
    EXERCISES_DIR: join(process.cwd(), "exercises"),
    ...opts.extra,
  };
}
