/**
 * Live grading throughput: attempts graded per second at 1, 10 and 100 concurrent submissions, and the platform's
 * own CPU time per attempt and per model call, against a fake OpenAI-compatible provider that answers every request
 * after a fixed delay (300 ms).
 *
 *   npx tsx bench/grading-throughput.ts [--limit 32] [--levels 1,10,100] [--delay 300] [--min-attempts 20]
 *     [--fill 200] [--prompt reference|short] [--ledger-rows 0] [--profile] [--heap-profile]
 *
 * --heap-profile: V8's sampling heap profile of the top level, counting objects the GC has already collected too
 * (what a run allocates, not what it keeps), printed as bytes per provider call by allocating function.
 *
 * Exits 1 when a target is missed. Writes the figures to bench/.out/grading-throughput-<time>.json.
 *
 * The real path runs: submitAttempt → durable job → GradingWorker → pipeline (offline gates, budget reservation,
 * cache lookups, the OpenAI SDK over loopback HTTP, ledger rows, verdict parsing, scoring) on a temp SQLite file.
 * The fake provider runs in a child process, so process.cpuUsage() here is the platform's CPU alone. Every prompt
 * is distinct, so the cache never answers (a hit would be free and fake the throughput); the run checks that.
 *
 * Baseline, in the same run: with a provider limit L (LLM_CONCURRENCY), latency d, and k calls per attempt in two
 * dependent stages (targets, then judges), a burst of c attempts cannot finish faster than
 * d × max(2, ceil(c·k / L)), and no load can beat L / (k·d) attempts per second (the ceiling).
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Db } from "~/.server/db";
import type { GradingWorker } from "~/.server/grading/worker";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EXERCISE = "route-to-nano";
/**
 * `--prompt short`: the one-line prompt of the integration tests. The default is the exercise's reference
 * solution, what a learner who passes sends (252 characters, with a label list): the semantic cache's cost grows
 * with prompt length and with the lists in it, so the short prompt flatters the platform.
 */
const SHORT_PROMPT =
  "Classify the support ticket as billing, bug, account, feature_request or other. Reply with the label only.\n\nTicket: {{input}}";
const FALLBACK_TICK_MS = 250;
const LEVEL_TIMEOUT_MS = 60_000;
const TARGET_CPU_MS_PER_CALL = 5;
const CLIENT_ONLY_CALLS = 320;
const WARM_UP_ATTEMPTS = 20;
const FILL_BURST = 50;
/** "Grows": the next level is at least this much faster when the baseline says it can be. */
const GROWTH = 1.1;
/** The top level must reach this share of the ceiling, i.e. actually run into the provider limit. */
const CEILING_SHARE = 0.7;

interface Options {
  limit: number;
  levels: number[];
  delayMs: number;
  /** Each level runs ceil(minAttempts / c) bursts one after another, so c=1 is not a single noisy sample. */
  minAttempts: number;
  /**
   * Attempts graded before measuring (at zero provider delay), so each test input's cache scope holds this many
   * entries: the semantic cache compares every prompt with up to SEMANTIC_SCAN_LIMIT of them, as it does on a
   * popular exercise. Defaults to that limit; 0 measures an empty cache.
   */
  fill: number | undefined;
  prompt: "reference" | "short";
  /**
   * Ledger rows already spent by the team this month. Every attempt's budget reservation sums the month's rows of
   * its team and department, so this shows how grading slows as the ledger grows (e.g. --ledger-rows 100000).
   */
  ledgerRows: number;
  profile: boolean;
  heapProfile: boolean;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      limit: { type: "string", default: "32" },
      levels: { type: "string", default: "1,10,100" },
      delay: { type: "string", default: "300" },
      "min-attempts": { type: "string", default: "20" },
      fill: { type: "string" },
      prompt: { type: "string", default: "reference" },
      "ledger-rows": { type: "string", default: "0" },
      profile: { type: "boolean", default: false },
      "heap-profile": { type: "boolean", default: false },
    },
  });
  return {
    limit: Number(values.limit),
    levels: values.levels.split(",").map(Number),
    delayMs: Number(values.delay),
    minAttempts: Number(values["min-attempts"]),
    fill: values.fill === undefined ? undefined : Number(values.fill),
    prompt: values.prompt === "short" ? "short" : "reference",
    ledgerRows: Number(values["ledger-rows"]),
    profile: values.profile,
    heapProfile: values["heap-profile"],
  };
}

// --- the fake provider, in a child process -------------------------------------------------------------------

interface FakeStats {
  requests: number;
  maxInFlight: number;
  inFlight: number;
  cpuMs: number;
}

/** One command at a time; each answer is the next JSON line on the child's stdout. */
export class FakeProviderProcess {
  private readonly answers: ((line: string) => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly lines: Interface,
    readonly url: string,
  ) {
    lines.on("line", (line) => this.answers.shift()?.(line));
  }

  static async start(delayMs: number): Promise<FakeProviderProcess> {
    // node --import tsx rather than npx: one process, whose pid is the server's, and no npx start-up.
    const child = spawn(process.execPath, ["--import", "tsx", "bench/fake-provider-process.ts", String(delayMs)], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((ok, fail) => {
      lines.once("line", ok);
      child.once("exit", (code) => fail(new Error(`the fake provider exited with ${code} before listening`)));
    });
    return new FakeProviderProcess(child, lines, (JSON.parse(first) as { url: string }).url);
  }

  private command<T>(cmd: string): Promise<T> {
    return new Promise<T>((ok) => {
      this.answers.push((line) => ok(JSON.parse(line) as T));
      this.child.stdin!.write(`${cmd}\n`);
    });
  }

  stats = () => this.command<FakeStats>("stats");
  setDelay = (ms: number) => this.command<{ delayMs: number }>(`delay ${ms}`);
  reset = () => this.command<{ reset: true }>("reset");

  /** Closing stdin makes the child close its server and exit; the kill by pid is a fallback. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((ok) => this.child.once("exit", () => ok()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill("SIGTERM"), 2000);
    await exited;
    clearTimeout(timer);
    this.lines.close();
  }
}

// --- the platform, on a temp database ------------------------------------------------------------------------

/**
 * The app reads its configuration once, on first use, so the environment is set before any app module is
 * imported (hence the dynamic imports).
 */
async function openPlatform(dir: string, fakeUrl: string, opts: Options) {
  process.env.DATABASE_PATH = join(dir, "bench.db");
  process.env.DEMO_SEED = "false";
  process.env.LOG_LEVEL = "error";
  process.chdir(ROOT);
  const [
    { departments, teams, userRoles, users },
    { prepareDatabase },
    { db },
    { submitAttempt },
    { getPublishedExercise },
    { GradingWorker },
    { workerOptions },
    { getModel },
    { createLimiter },
    { createOpenAICompatible },
    { setBudget },
    { listSessionUsers },
    { hashPassword },
    { buildJudgeMessages },
    { SEMANTIC_SCAN_LIMIT },
  ] = await Promise.all([
    import("#db/schema"),
    import("~/.server/bootstrap"),
    import("~/.server/db"),
    import("~/.server/attempts"),
    import("~/.server/catalog"),
    import("~/.server/grading/worker"),
    import("~/.server/grading/service"),
    import("~/.server/models"),
    import("~/.server/providers/limiter"),
    import("~/.server/providers/openai-compatible"),
    import("~/.server/budgets"),
    import("~/.server/users"),
    import("~/.server/password"),
    import("~/domain/llm-judge"),
    import("~/.server/cache"),
  ]);
  await prepareDatabase();
  const database = db();
  // Counts SQL statements: drizzle prepares one per query it runs, so this is the number of queries.
  const client = database.$client;
  const prepare = client.prepare.bind(client);
  let statements = 0;
  client.prepare = ((source: string) => {
    statements++;
    return prepare(source);
  }) as typeof client.prepare;

  const departmentId = database
    .insert(departments)
    .values({ name: "Bench department", costCentre: "CC-BENCH" })
    .returning()
    .get().id;
  const teamId = database.insert(teams).values({ name: "Bench team", departmentId }).returning().get().id;
  // Budgets that never block, so every attempt still pays for its reservation (the sums over the ledger).
  setBudget(database, { scope: "team", scopeId: teamId, monthlyLimitMicros: 1e12 });
  setBudget(database, { scope: "department", scopeId: departmentId, monthlyLimitMicros: 1e12 });
  if (opts.ledgerRows > 0) seedLedger(database, { teamId, departmentId, rows: opts.ledgerRows });
  // One scrypt hash for all: nobody logs in, and 100 hashes would take seconds.
  const passwordHash = await hashPassword("bench-user-never-logs-in");
  for (let i = 1; i <= 100; i++) {
    const { id } = database
      .insert(users)
      .values({ email: `learner${i}@bench.example`, name: `Learner ${i}`, passwordHash, teamId })
      .returning()
      .get();
    database.insert(userRoles).values({ userId: id, role: "learner" }).run();
  }
  const learners = listSessionUsers(database).filter((u) => u.teamId === teamId);
  const exercise = getPublishedExercise(database, EXERCISE);
  if (!exercise) throw new Error(`exercise ${EXERCISE} is not published`);
  const prompt = opts.prompt === "short" ? SHORT_PROMPT : exercise.content.reference_solution.trimEnd();

  // Wired as in grading/service.ts (maxJobs = 4 × the provider limit, the default lease, heartbeat and idle tick).
  const cfg = {
    LLM_RETRY_BUDGET_MINUTES: 10,
    LLM_TIMEOUT_MS: 30_000,
    CACHE_TTL_HOURS: 168,
    SEMANTIC_CACHE_THRESHOLD: 0.97,
  };
  const ctx = {
    database,
    provider: createOpenAICompatible({ baseURL: fakeUrl, timeoutMs: cfg.LLM_TIMEOUT_MS }),
    limiter: createLimiter(opts.limit),
    judge: { model: getModel("gpt-4.1-mini", database), providerModel: "gpt-4.1-mini" },
    cfg,
  };
  const worker = new GradingWorker(database, ctx, { ...workerOptions(), maxJobs: opts.limit * 4 });
  // The worker pokes itself when a job ends; listening there tells the benchmark when to look, with no polling loop.
  const jobEnded = new Set<() => void>();
  const poke = worker.poke.bind(worker);
  worker.poke = () => {
    poke();
    for (const listener of jobEnded) listener();
  };
  worker.start();

  let n = 0;
  return {
    database,
    worker,
    exercise,
    ctx,
    jobEnded,
    targetModel: getModel(exercise.content.model, database),
    scanLimit: SEMANTIC_SCAN_LIMIT,
    prompt,
    statements: () => statements,
    buildJudgeMessages,
    /** Submits `count` attempts at once, each from the next learner, each with a prompt nobody sent before. */
    submit(count: number): number[] {
      const ids: number[] = [];
      for (let i = 0; i < count; i++) {
        n++;
        const user = learners[n % learners.length];
        ids.push(
          submitAttempt(database, user, exercise, `${prompt}\nQueue ${n * 7919}.`, exercise.content.model, worker),
        );
      }
      return ids;
    },
  };
}

type Platform = Awaited<ReturnType<typeof openPlatform>>;

/** Past calls of this month, attributed to the team: what a busy team's reservations have to sum. */
function seedLedger(database: Db, at: { teamId: number; departmentId: number; rows: number }): void {
  const insert = database.$client.prepare(
    `insert into model_calls (provider, model, tier, purpose, input_tokens, output_tokens, input_micros_per_m,
       cached_input_micros_per_m, output_micros_per_m, price_as_of, cost_micros, latency_ms, status, team_id,
       department_id, created_at)
     values ('openai-compatible', 'gpt-4.1-nano', 'nano', 'target', 120, 3, 100000, 25000, 400000, 'seed', 13, 300,
       'ok', ?, ?, ?)`,
  );
  const now = Date.now();
  database.$client.transaction(() => {
    for (let i = 0; i < at.rows; i++) insert.run(at.teamId, at.departmentId, now - (i % 60_000));
  })();
}

// --- measuring -----------------------------------------------------------------------------------------------

/**
 * Resolves when every attempt's job is scored or failed. It looks (one prepared statement) whenever the worker
 * pokes itself, i.e. when a job ends, and on a slow fallback tick; the time spent looking (synchronous, so wall ≈
 * CPU) is returned so it can be taken off the platform's CPU.
 */
function waitForAll(platform: Platform, ids: number[], submittedAt: number) {
  const finished = platform.database.$client.prepare(
    "select attempt_id as id from grading_jobs where stage in ('scored', 'failed') and attempt_id between ? and ?",
  );
  const pending = new Set(ids);
  const latencies: number[] = [];
  const lo = Math.min(...ids);
  const hi = Math.max(...ids);
  let pollMs = 0;
  return new Promise<{ endedAt: number; latencies: number[]; pollMs: number }>((ok, fail) => {
    const look = () => {
      const t = performance.now();
      for (const { id } of finished.all(lo, hi) as { id: number }[])
        if (pending.delete(id)) latencies.push(t - submittedAt);
      pollMs += performance.now() - t;
      if (pending.size === 0) done(() => ok({ endedAt: t, latencies, pollMs }));
    };
    const tick = setInterval(look, FALLBACK_TICK_MS);
    const timeout = setTimeout(
      () =>
        done(() => fail(new Error(`${pending.size} of ${ids.length} attempts not graded in ${LEVEL_TIMEOUT_MS} ms`))),
      LEVEL_TIMEOUT_MS,
    );
    const done = (settle: () => void) => {
      clearInterval(tick);
      clearTimeout(timeout);
      platform.jobEnded.delete(look);
      settle();
    };
    platform.jobEnded.add(look);
    look();
  });
}

/** Target entries in the cache per test input: how many prompts each target call's semantic lookup may compare. */
function cacheEntriesPerScope(platform: Platform, testInputs: number): number {
  const row = platform.database.$client
    .prepare("select count(*) as n from call_cache where purpose = 'target'")
    .get() as { n: number };
  return row.n / testInputs;
}

interface Outcome {
  attempts: number;
  liveScored: number;
  providerCalls: number;
  cacheHits: number;
  errors: number;
}

/** What the attempts did, read back from the attempts and the ledger. */
function outcome(database: Db, ids: number[]): Outcome {
  const lo = Math.min(...ids);
  const hi = Math.max(...ids);
  const a = database.$client
    .prepare(
      `select count(*) as attempts,
              coalesce(sum(status = 'scored' and judge like '%(LLM judge)%'), 0) as liveScored
       from attempts where id between ? and ?`,
    )
    .get(lo, hi) as { attempts: number; liveScored: number };
  const c = database.$client
    .prepare(
      `select coalesce(sum(cache_hit = 0), 0) as providerCalls, coalesce(sum(cache_hit), 0) as cacheHits,
              coalesce(sum(status != 'ok'), 0) as errors
       from model_calls where provider != 'builtin' and attempt_id between ? and ?`,
    )
    .get(lo, hi) as { providerCalls: number; cacheHits: number; errors: number };
  return { ...a, ...c };
}

interface LevelResult extends Outcome {
  concurrency: number;
  bursts: number;
  wallMs: number;
  attemptsPerSec: number;
  callsPerSec: number;
  /** The burst bound d × max(2, ceil(c·k/L)), as attempts per second. */
  theoreticalPerSec: number;
  ratio: number;
  cpuMs: number;
  pollMs: number;
  cpuMsPerAttempt: number;
  cpuMsPerCall: number;
  /** SQL statements the platform ran per attempt (drizzle builds and prepares each one afresh). */
  sqlPerAttempt: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  fakeRequests: number;
  fakeMaxInFlight: number;
  fakeCpuMsPerCall: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function burstBoundMs(c: number, callsPerAttempt: number, opts: Options): number {
  return opts.delayMs * Math.max(2, Math.ceil((c * callsPerAttempt) / opts.limit));
}

async function runLevel(
  platform: Platform,
  fake: FakeProviderProcess,
  c: number,
  callsPerAttempt: number,
  opts: Options,
): Promise<LevelResult> {
  const bursts = Math.max(1, Math.ceil(opts.minAttempts / c));
  await fake.reset();
  const all: number[] = [];
  const latencies: number[] = [];
  let wallMs = 0;
  let pollMs = 0;
  const statements0 = platform.statements();
  const cpu0 = process.cpuUsage();
  for (let b = 0; b < bursts; b++) {
    const t0 = performance.now();
    const ids = platform.submit(c);
    const done = await waitForAll(platform, ids, t0);
    wallMs += done.endedAt - t0;
    pollMs += done.pollMs;
    latencies.push(...done.latencies);
    all.push(...ids);
  }
  const cpu = process.cpuUsage(cpu0);
  const statements = platform.statements() - statements0 - bursts;
  const fakeStats = await fake.stats();
  const out = outcome(platform.database, all);
  const cpuMs = (cpu.user + cpu.system) / 1000 - pollMs;
  const theoreticalPerSec = (c * 1000) / burstBoundMs(c, callsPerAttempt, opts);
  const attemptsPerSec = (all.length * 1000) / wallMs;
  return {
    concurrency: c,
    bursts,
    ...out,
    wallMs,
    attemptsPerSec,
    callsPerSec: (out.providerCalls * 1000) / wallMs,
    theoreticalPerSec,
    ratio: attemptsPerSec / theoreticalPerSec,
    cpuMs,
    pollMs,
    cpuMsPerAttempt: cpuMs / all.length,
    cpuMsPerCall: cpuMs / Math.max(1, out.providerCalls),
    sqlPerAttempt: statements / all.length,
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    fakeRequests: fakeStats.requests,
    fakeMaxInFlight: fakeStats.maxInFlight,
    fakeCpuMsPerCall: fakeStats.cpuMs / Math.max(1, fakeStats.requests),
  };
}

interface ClientResult {
  calls: number;
  wallMs: number;
  callsPerSec: number;
  cpuMsPerCall: number;
}

/**
 * The provider client alone (OpenAI SDK, fetch, reply parsing, the limiter) making calls of the pipeline's shape
 * (half target, half judge) at the same limit, with no database, cache, ledger or scoring: the share of the
 * per-call CPU that any caller of this SDK pays.
 */
async function clientOnly(platform: Platform, fake: FakeProviderProcess, calls: number): Promise<ClientResult> {
  const { provider, limiter, judge } = platform.ctx;
  const ex = platform.exercise.content;
  const requests = Array.from({ length: calls }, (_, i) => {
    const t = ex.test_inputs[i % ex.test_inputs.length];
    const prompt = `${platform.prompt.replaceAll("{{input}}", t.input)}\nClient ${i}.`;
    if (i % 2 === 0) {
      const maxOutputTokens = Math.min(4096, Math.max(256, ex.output_tokens.baseline * 2));
      const messages = [{ role: "user" as const, content: prompt }];
      return { model: platform.targetModel, providerModel: ex.model, messages, maxOutputTokens, json: false };
    }
    const messages = platform.buildJudgeMessages({ exercise: ex, testInput: t, output: `Echo: ${prompt}` });
    return { model: judge.model, providerModel: judge.providerModel, messages, maxOutputTokens: 700, json: true };
  });
  await fake.reset();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const results = await Promise.all(
    requests.map((r) => limiter.run(() => provider.complete({ ...r, temperature: 0 }))),
  );
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) throw new Error(`${failed} of ${calls} client-only calls failed`);
  return {
    calls,
    wallMs,
    callsPerSec: (calls * 1000) / wallMs,
    cpuMsPerCall: (cpu.user + cpu.system) / 1000 / calls,
  };
}

// --- verdicts and report -------------------------------------------------------------------------------------

interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

function verdicts(results: LevelResult[], callsPerAttempt: number, opts: Options): Check[] {
  const checks: Check[] = [];
  for (const r of results) {
    const clean =
      r.liveScored === r.attempts &&
      r.cacheHits === 0 &&
      r.errors === 0 &&
      r.providerCalls === r.attempts * callsPerAttempt &&
      r.fakeRequests === r.providerCalls &&
      r.fakeMaxInFlight <= opts.limit;
    checks.push({
      name: `c=${r.concurrency}: a valid run`,
      pass: clean,
      detail:
        `${r.liveScored}/${r.attempts} scored live, ${r.providerCalls} provider calls (expected ` +
        `${r.attempts * callsPerAttempt}, fake saw ${r.fakeRequests}), ${r.cacheHits} cache hits, ${r.errors} errors, ` +
        `at most ${r.fakeMaxInFlight} in flight (limit ${opts.limit})`,
    });
  }
  for (let i = 1; i < results.length; i++) {
    const [prev, next] = [results[i - 1], results[i]];
    const canGrow = next.theoreticalPerSec >= GROWTH * prev.theoreticalPerSec;
    const gain = next.attemptsPerSec / prev.attemptsPerSec;
    checks.push({
      name: `c=${prev.concurrency}→${next.concurrency}: throughput ${canGrow ? "grows" : "holds at the limit"}`,
      pass: canGrow ? gain >= GROWTH : gain >= 1 / GROWTH,
      detail: `${fmt(prev.attemptsPerSec, 2)} → ${fmt(next.attemptsPerSec, 2)} attempts/s (×${fmt(gain, 2)}; the bound allows ×${fmt(next.theoreticalPerSec / prev.theoreticalPerSec, 2)})`,
    });
  }
  const ceiling = ceilingPerSec(callsPerAttempt, opts);
  const top = results[results.length - 1];
  checks.push({
    name: `c=${top.concurrency}: reaches the provider limit`,
    pass: top.attemptsPerSec >= CEILING_SHARE * ceiling,
    detail: `${fmt(top.attemptsPerSec, 2)} attempts/s = ${fmt((100 * top.attemptsPerSec) / ceiling, 0)}% of the ceiling ${fmt(ceiling, 2)} (needs ≥ ${CEILING_SHARE * 100}%)`,
  });
  for (const r of results) {
    checks.push({
      name: `c=${r.concurrency}: own CPU < ${TARGET_CPU_MS_PER_CALL} ms per call`,
      pass: r.cpuMsPerCall < TARGET_CPU_MS_PER_CALL,
      detail: `${fmt(r.cpuMsPerCall, 2)} ms per call, ${fmt(r.cpuMsPerAttempt, 1)} ms per attempt`,
    });
  }
  return checks;
}

function ceilingPerSec(callsPerAttempt: number, opts: Options): number {
  return (opts.limit * 1000) / (callsPerAttempt * opts.delayMs);
}

function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "n/a";
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** What the run started from, printed with the figures. */
interface Setting {
  cachedPerScope: number;
  scanLimit: number;
  loadBefore: string;
}

function report(
  results: LevelResult[],
  client: ClientResult,
  checks: Check[],
  callsPerAttempt: number,
  opts: Options,
  setting: Setting,
): string {
  const rows = results.map((r) => [
    String(r.concurrency),
    String(r.attempts),
    fmt(r.wallMs / 1000, 2),
    fmt(r.attemptsPerSec, 2),
    fmt(r.callsPerSec, 1),
    fmt(r.theoreticalPerSec, 2),
    `${fmt(100 * r.ratio, 0)}%`,
    fmt(r.latencyP50Ms, 0),
    fmt(r.latencyP95Ms, 0),
    fmt(r.cpuMsPerAttempt, 1),
    fmt(r.cpuMsPerCall, 2),
    fmt(r.sqlPerAttempt, 0),
    fmt(r.fakeCpuMsPerCall, 2),
  ]);
  const header = [
    "c",
    "attempts",
    "wall s",
    "att/s",
    "calls/s",
    "bound att/s",
    "vs bound",
    "p50 ms",
    "p95 ms",
    "CPU ms/att",
    "CPU ms/call",
    "SQL/att",
    "fake ms/call",
  ];
  const ceiling = ceilingPerSec(callsPerAttempt, opts);
  return [
    `Grading throughput: fake provider answers after ${opts.delayMs} ms; provider limit L=${opts.limit}; ` +
      `${callsPerAttempt} calls per attempt (${callsPerAttempt / 2} targets, then ${callsPerAttempt / 2} judges).`,
    `Ceiling L/(k·d) = ${fmt((opts.limit * 1000) / opts.delayMs, 1)} calls/s = ${fmt(ceiling, 2)} attempts/s. ` +
      "Bound per burst of c: d × max(2, ceil(c·k/L)).",
    `Machine: ${cpus().length} cores, load average ${setting.loadBefore} before and ${loadavg()[0].toFixed(2)} after ` +
      "(other processes on the cores lengthen the waits, so throughput suffers before CPU time does).",
    `Ledger rows of the team this month before the run: ${opts.ledgerRows} (--ledger-rows).`,
    `Prompt: ${opts.prompt === "short" ? "the one-line test prompt" : `${EXERCISE}'s reference solution`} plus ` +
      "a unique sentence. " +
      `Semantic cache at the start: ${fmt(setting.cachedPerScope, 0)} target entries per test input ` +
      `(each target lookup compares up to ${setting.scanLimit} of them); every prompt is distinct, so no call is a hit.`,
    "",
    table(header, rows),
    "",
    "CPU = this process's user+system time over the level (SQLite, JSON, tokenizer, SDK, HTTP client, scheduling),",
    "minus the benchmark's own completion checks; the fake provider's CPU (last column) is in another process.",
    "",
    `Provider client alone (SDK + fetch + parsing, no DB/cache/ledger), ${client.calls} calls at L=${opts.limit}: ` +
      `${fmt(client.cpuMsPerCall, 2)} ms CPU per call, ${fmt(client.callsPerSec, 1)} calls/s.`,
    ...results.map(
      (r) =>
        `  c=${r.concurrency}: of ${fmt(r.cpuMsPerCall, 2)} ms per call, the pipeline around the client ` +
        `(SQLite, cache, ledger, budget, tokenizer, scoring) ≈ ${fmt(r.cpuMsPerCall - client.cpuMsPerCall, 2)} ms.`,
    ),
    "",
    ...checks.map((c) => `${c.pass ? "PASS" : "FAIL"}  ${c.name}: ${c.detail}`),
    "",
    checks.every((c) => c.pass) ? "RESULT: PASS" : "RESULT: FAIL",
  ].join("\n");
}

// --- a CPU profile of the top level, on request --------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Bytes allocated per allocating function (self), largest first, and the total. */
function topAllocations(head: HeapNode, top = 25): { total: number; sites: [string, number][] } {
  const bytes = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode) => {
    const f = node.callFrame;
    const where = `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*node_modules\//, "")}:${f.lineNumber + 1}`;
    bytes.set(where, (bytes.get(where) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) walk(child);
  };
  walk(head);
  return { total, sites: [...bytes].sort((a, b) => b[1] - a[1]).slice(0, top) };
}

function topSelfTimes(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, top = 20) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const f = byId.get(id)?.callFrame;
    const where = f
      ? `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*node_modules\//, "")}:${f.lineNumber + 1}`
      : "?";
    ms.set(where, (ms.get(where) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
  return [...ms].sort((a, b) => b[1] - a[1]).slice(0, top);
}

// --- main ----------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const loadBefore = loadavg()[0].toFixed(2);
  const dir = mkdtempSync(join(tmpdir(), "tokenwise-bench-grading-"));
  const fake = await FakeProviderProcess.start(opts.delayMs);
  let worker: GradingWorker | undefined;
  let pass = false;
  try {
    const startedAt = performance.now();
    const platform = await openPlatform(dir, fake.url, opts);
    worker = platform.worker;
    const callsPerAttempt = 2 * platform.exercise.content.test_inputs.length;

    // Warm-up: tokenizer ranks, SDK, sockets and JIT, none of which a running server pays per attempt; then the
    // cache fill, at zero delay, which also warms the JIT thoroughly.
    await waitForAll(platform, platform.submit(1), performance.now());
    const fill = opts.fill ?? platform.scanLimit;
    await fake.setDelay(0);
    for (let done = 0; done < Math.max(fill, WARM_UP_ATTEMPTS); done += FILL_BURST) {
      const burst = Math.min(FILL_BURST, Math.max(fill, WARM_UP_ATTEMPTS) - done);
      await waitForAll(platform, platform.submit(burst), performance.now());
    }
    await fake.reset();
    const setting: Setting = {
      cachedPerScope: cacheEntriesPerScope(platform, callsPerAttempt / 2),
      scanLimit: platform.scanLimit,
      loadBefore,
    };

    const results: LevelResult[] = [];
    let session: Session | undefined;
    let cpuProfile: Parameters<typeof topSelfTimes>[0] | undefined;
    let heapProfile: HeapNode | undefined;
    for (const [i, c] of opts.levels.entries()) {
      if ((opts.profile || opts.heapProfile) && i === opts.levels.length - 1) {
        session = new Session();
        session.connect();
        if (opts.profile) {
          await session.post("Profiler.enable");
          await session.post("Profiler.start");
        }
        if (opts.heapProfile) {
          await session.post("HeapProfiler.enable");
          await session.post("HeapProfiler.startSampling", {
            samplingInterval: 4096,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: true,
          });
        }
      }
      results.push(await runLevel(platform, fake, c, callsPerAttempt, opts));
    }
    if (session) {
      if (opts.profile) cpuProfile = (await session.post("Profiler.stop")).profile;
      if (opts.heapProfile) heapProfile = (await session.post("HeapProfiler.stopSampling")).profile.head as HeapNode;
      session.disconnect();
    }
    const client = await clientOnly(platform, fake, CLIENT_ONLY_CALLS);
    const checks = verdicts(results, callsPerAttempt, opts);
    pass = checks.every((c) => c.pass);
    console.log(report(results, client, checks, callsPerAttempt, opts, setting));
    console.log(`\n(total run ${fmt((performance.now() - startedAt) / 1000, 1)} s)`);

    mkdirSync(join(ROOT, "bench/.out"), { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    writeFileSync(
      join(ROOT, `bench/.out/grading-throughput-${stamp}.json`),
      JSON.stringify(
        {
          options: opts,
          setting: { ...setting, loadAfter: loadavg()[0], cores: cpus().length },
          callsPerAttempt,
          results,
          client,
          checks,
          pass,
        },
        null,
        2,
      ),
    );
    if (cpuProfile) {
      const path = join(ROOT, `bench/.out/grading-throughput-${stamp}.cpuprofile`);
      writeFileSync(path, JSON.stringify(cpuProfile));
      console.log(`\nCPU profile of c=${results[results.length - 1].concurrency} (profiling inflates CPU): ${path}`);
      for (const [where, ms] of topSelfTimes(cpuProfile)) {
        console.log(`${fmt(ms, 1).padStart(9)} ms  ${where}`);
      }
    }
    if (heapProfile) {
      const calls = Math.max(1, results[results.length - 1].providerCalls);
      const { total, sites } = topAllocations(heapProfile);
      const path = join(ROOT, `bench/.out/grading-throughput-${stamp}.heapprofile`);
      writeFileSync(path, JSON.stringify({ head: heapProfile, samples: [] }));
      console.log(
        `\nAllocated at c=${results[results.length - 1].concurrency} (sampled, collected objects included; ${path}): ` +
          `${fmt(total / calls / 1024, 1)} KiB per provider call; by function, KiB per call:`,
      );
      for (const [where, bytes] of sites) console.log(`${fmt(bytes / calls / 1024, 2).padStart(9)}  ${where}`);
    }
  } finally {
    await worker?.stop();
    await fake.stop();
    const { closeDb } = await import("~/.server/db");
    closeDb();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exitCode = pass ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
