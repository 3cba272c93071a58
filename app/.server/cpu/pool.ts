import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import type { ExerciseFile } from "~/domain/exercise";
import type { GradeResult } from "~/domain/grade";
import type { Encoding } from "~/domain/models";
import { config } from "../config";
import { log } from "../log";
import { TaskClock, watchTaskClock } from "./task-clock";
import type { CpuTask, GradeArgs, TimedTask } from "./tasks";

type OutputTokens = ExerciseFile["output_tokens"];

/**
 * A pool of worker threads (piscina) for CPU-bound work, so one learner's 20,000-character prompt or an instructor's
 * regex never blocks the event loop that serves everyone else. Each task has a time limit on the CPU its thread spends
 * on it (task-clock.ts; waiting for a free thread, or for a CPU on a busy machine, does not count): a task over it is
 * stopped (its thread is terminated and replaced) and its caller gets a CpuTimeLimitError with a message a person can
 * act on.
 *
 * The event loop keeps a core: CPU_WORKERS defaults to cores − 1, and on Linux each thread lowers its own scheduling
 * priority (CPU_WORKERS_NICE, a per-thread nice value there), so when the machine is short of CPU the threads that
 * serve pages win over the ones that grade. Tasks waiting for a thread are served round-robin by owner (the learner),
 * so one learner's queue of pathological submissions cannot hold everyone else's behind it.
 */

export class CpuTimeLimitError extends Error {
  constructor(
    readonly what: string,
    readonly limitMs: number,
  ) {
    super(`${what} took longer than ${formatSeconds(limitMs)} and was stopped; shorten the text and try again.`);
    this.name = "CpuTimeLimitError";
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export interface CpuPoolOptions {
  threads: number;
  taskTimeoutMs: number;
  /** The threads' nice value (0 = the server's own priority; 19 the lowest); applied on Linux only. */
  nice?: number;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Whose task it is (a user id): waiting tasks are served round-robin by owner. */
  owner?: string | number;
}

/** The repository root (where package.json is): the threads' entry is found from there. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "tokenwise") return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find the tokenwise package root for the CPU worker pool");
    dir = up;
  }
}

/**
 * Where the threads start. Code running from a build (the server's build/server/index.js, the grading worker's
 * build/grading-worker.mjs) starts them from build/cpu-tasks.mjs, bundled by the same `npm run build`
 * (scripts/build-worker.ts), with plain node; code running from source (tests, the dev server) starts them from
 * tasks.ts through tsx, which compiles its modules again in every thread: a second or more of CPU per thread, paid
 * again by every restarted worker while it is already grading.
 */
export function threadEntry(
  running: string = fileURLToPath(import.meta.url),
  bundle: string = join(projectRoot(), "build/cpu-tasks.mjs"),
): { filename: string; execArgv: string[] } {
  const root = projectRoot();
  if (!running.endsWith(".ts") && existsSync(bundle)) {
    if (!bundleOlderThan(bundle, running)) return { filename: pathToFileURL(bundle).href, execArgv: [] };
    warnStaleBundle(bundle, running);
  }
  const tsx = createRequire(join(root, "package.json")).resolve("tsx");
  return {
    filename: pathToFileURL(join(root, "app/.server/cpu/tasks.ts")).href,
    execArgv: ["--import", pathToFileURL(tsx).href],
  };
}

/**
 * The threads' bundle is older than the code that starts them: the app was rebuilt without the worker bundles (a bare
 * `remix vite:build`), so the threads would grade with yesterday's judge. `npm run build` writes the bundles after the
 * app, so a fresh bundle is never older.
 */
function bundleOlderThan(bundle: string, running: string): boolean {
  try {
    return statSync(bundle).mtimeMs < statSync(running).mtimeMs;
  } catch {
    return false;
  }
}

let staleWarned = false;
function warnStaleBundle(bundle: string, running: string): void {
  if (staleWarned) return;
  staleWarned = true;
  log.error(
    `${bundle} is older than ${running}: the CPU pool's threads start from the sources instead ` +
      "(slower start); run `npm run build` to rebuild both.",
  );
}

export class CpuPool {
  private readonly pool: Piscina;
  private running = 0;
  /** Tasks waiting for a thread, per owner; the Map's order is the round-robin order. */
  private readonly waiting = new Map<string, (() => void)[]>();
  /**
   * Every thread started and warmed (modules, encoders and the judge's English model loaded): a cold start never counts
   * against a limit.
   */
  private ready: Promise<void>;

  constructor(readonly options: CpuPoolOptions) {
    const entry = threadEntry();
    this.pool = new Piscina({
      filename: entry.filename,
      // A process started with --cpu-prof (the chaos benchmark's --cpu-prof) profiles its threads too.
      execArgv: [...entry.execArgv, ...process.execArgv.filter((a) => a.startsWith("--cpu-prof"))],
      // A fixed set of threads, all warmed at the start: loading the encoders (a second or more on a busy machine)
      // must never fall inside a task's time limit.
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Number.POSITIVE_INFINITY,
    });
    this.ready = this.warm();
    // Awaited by every run(), which reports a failed start; never an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
  }

  private async warm(): Promise<void> {
    await this.warmEveryThread();
  }

  /** One warm task per thread (all idle, so each takes one), with the prepared grades; each says how many it ran. */
  private warmEveryThread(): Promise<number[]> {
    const task = { kind: "warm" as const, nice: this.options.nice ?? 0, grades: this.warmGrades };
    return Promise.all(Array.from({ length: this.options.threads }, () => this.pool.run(task) as Promise<number>));
  }

  /** Grades every thread runs once while it warms (see prepare). */
  private warmGrades: GradeArgs[] = [];

  /**
   * Warms every thread further with these grades before the pool counts as ready again: the offline judge's code is
   * compiled on a thread's first grade and each exercise's patterns on its first grade of that exercise (together
   * about 250 ms of CPU per thread on a quiet machine), which would otherwise fall on the first attempts after a
   * start. A grade that fails here is skipped; a thread replaced later is warmed with the same grades. Resolves with
   * how many grades each thread ran.
   */
  prepare(grades: GradeArgs[]): Promise<number[]> {
    this.warmGrades = grades;
    const prepared = this.ready.then(() => this.warmEveryThread().catch(() => [] as number[]));
    this.ready = prepared.then(() => undefined);
    this.ready.catch(() => undefined);
    return prepared;
  }

  /** Resolves when every thread has started and loaded its modules and encoders (rejects if they could not). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Runs `task` on a worker thread within the time limit; `what` names it in the error ("Grading"). */
  async run<T>(task: CpuTask, what: string, options: RunOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.options.taskTimeoutMs;
    await this.ready;
    await this.acquire(String(options.owner ?? ""));
    const clock = new TaskClock();
    const stopper = new AbortController();
    const { signal } = stopper;
    const unwatch = watchTaskClock(clock, timeoutMs, () => stopper.abort());
    try {
      return (await this.pool.run({ ...task, clock: clock.buffer } satisfies TimedTask, { signal })) as T;
    } catch (err) {
      if (!signal.aborted) throw err;
      // The stopped task's thread was terminated; its replacement is warmed before this slot is given back.
      this.ready = this.warm().catch(() => undefined);
      await this.ready;
      throw new CpuTimeLimitError(what, timeoutMs);
    } finally {
      unwatch();
      this.release();
    }
  }

  countTokens(texts: string[], encoding: Encoding, options?: RunOptions): Promise<number[]> {
    return this.run<number[]>({ kind: "count", texts, encoding }, "Counting tokens", options);
  }

  grade(grades: GradeArgs[], options?: RunOptions): Promise<GradeResult[]> {
    return this.run<GradeResult[]>({ kind: "grade", grades }, "Grading", options);
  }

  /** The reply size a prompt is priced at (estimate.ts: its `target_when` phrases run over the whole prompt). */
  outputTokens(prompt: string, outputTokens: OutputTokens, options?: RunOptions): Promise<number> {
    return this.run<number>({ kind: "output-tokens", prompt, outputTokens }, "Pricing the reply", options);
  }

  get stats() {
    let waiting = 0;
    for (const queue of this.waiting.values()) waiting += queue.length;
    return { threads: this.pool.threads.length, running: this.running, waiting };
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  // At most one task per thread is handed to piscina, so a task's clock starts when a thread takes it.
  private acquire(owner: string): Promise<void> {
    if (this.running < this.options.threads) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const queue = this.waiting.get(owner);
      if (queue) queue.push(resolve);
      else this.waiting.set(owner, [resolve]);
    });
  }

  /** Hands the freed thread to the first owner in line, who then goes to the back of the line. */
  private release(): void {
    const first = this.waiting.entries().next();
    if (first.done) {
      this.running -= 1;
      return;
    }
    const [owner, queue] = first.value;
    const next = queue.shift()!;
    this.waiting.delete(owner);
    if (queue.length > 0) this.waiting.set(owner, queue);
    next();
  }
}

const shared = globalThis as { __tokenwiseCpuPool?: CpuPool };

/** The process's pool, started on first use (the dev server re-imports modules: one pool survives that). */
export function cpuPool(options?: Partial<CpuPoolOptions>): CpuPool {
  shared.__tokenwiseCpuPool ??= new CpuPool({
    threads: options?.threads ?? config().CPU_WORKERS,
    taskTimeoutMs: options?.taskTimeoutMs ?? config().CPU_TASK_TIMEOUT_MS,
    nice: options?.nice ?? config().CPU_WORKERS_NICE,
  });
  return shared.__tokenwiseCpuPool;
}

export async function closeCpuPool(): Promise<void> {
  const pool = shared.__tokenwiseCpuPool;
  shared.__tokenwiseCpuPool = undefined;
  await pool?.close();
}
