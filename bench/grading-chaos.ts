/**
 * Live grading under chaos: 200 submissions from 20 learners against a flaky fake provider, the app's grading worker
 * killed with SIGKILL at random moments 3 times and started again. Reports attempts finished, the time to recover
 * after each kill, the ledger held against the provider's billing log call for call, and the worker's CPU per call;
 * a clean run (no faults, no kills) of 40 submissions in the same run is the baseline.
 *
 *   npx tsx bench/grading-chaos.ts [--attempts 200] [--learners 20] [--kills 3] [--seed 42] [--baseline 40]
 *     [--cpu-prof DIR] [--worker-flags="--flag …"]
 *
 * --worker-flags: node/V8 flags for the worker processes (e.g. "--max-opt=2"), to measure one before the worker's
 * start adopts it; the baseline and the chaos run both get them.
 *
 * --cpu-prof DIR: each worker process (and its CPU-pool threads) writes a V8 CPU profile into DIR/<phase>/ when it
 * exits normally (only the last worker of a phase: the others are SIGKILLed); the JSON output gives each worker's
 * measured window, and `npx tsx bench/cpu-profile-summary.ts` cuts a profile to it. Profiling inflates the figures.
 *
 * Exits 1 when a target is missed: every attempt ends (scored, or failed with a reason a learner can read);
 * recovery after each kill < 10 s; ledger = billing (no billed call missing, none twice, no paid row the provider
 * never billed, usage exact); steady-state CPU < 5 ms per provider call. Figures go to bench/.out/.
 *
 * Real processes: the fake provider (test/fakes/provider-process.ts) bills and logs each call to a file; the worker
 * is scripts/grading-worker.ts, the same code `npm start` runs inside the server (its HTTP side is not needed:
 * submissions are written as the exercise page's action writes them). "Recovery" is from the kill to the first call
 * the restarted worker sends (a pending ledger row it wrote), start-up of the new process included.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Mode } from "../test/fakes/provider-process";
import {
  checkLedger,
  type FakeProviderProcess,
  mainThreadCpuMs,
  processCpuMs,
  startFakeProvider,
  startWorker,
  type WorkerProcess,
  workerEnv,
} from "../test/support/grading-processes";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EXERCISE = "route-to-nano";
const RECOVERY_TARGET_MS = 10_000;
const CPU_TARGET_MS = 5;
const FLAKY: Mode = {
  delayMs: 120,
  p429: 0.05,
  retryAfterS: 0.5,
  p5xx: 0.03,
  pHang: 0.005,
  pSlow: 0.01,
  slowMs: 10_000,
  pMissingUsage: 0.02,
  pOddJudge: 0.25,
};

const { values } = parseArgs({
  options: {
    attempts: { type: "string", default: "200" },
    learners: { type: "string", default: "20" },
    kills: { type: "string", default: "3" },
    seed: { type: "string", default: "42" },
    baseline: { type: "string", default: "40" },
    "cpu-prof": { type: "string" },
    "worker-flags": { type: "string", default: "" },
  },
});
const opts = {
  attempts: Number(values.attempts),
  learners: Number(values.learners),
  kills: Number(values.kills),
  seed: Number(values.seed),
  baseline: Number(values.baseline),
  cpuProf: values["cpu-prof"] ? resolve(values["cpu-prof"]) : null,
  workerFlags: (values["worker-flags"] ?? "").split(/\s+/).filter(Boolean),
};

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(opts.seed);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), "tokenwise-chaos-"));
const databasePath = join(dir, "chaos.db");
process.env.DATABASE_PATH = databasePath;
process.env.DEMO_SEED = "false";
process.env.LOG_LEVEL = "error";
process.env.SESSION_SECRET ??= "chaos-benchmark-secret-that-is-long-enough-000";
process.chdir(ROOT);

const prepared = spawnSync(process.execPath, ["--import", "tsx", "scripts/prepare-db.ts"], {
  env: process.env,
  stdio: "inherit",
});
if (prepared.status !== 0) throw new Error("preparing the database failed");

const [
  { attempts, departments, gradingJobs, modelCalls, teams, userRoles, users },
  { db, closeDb },
  { submitAttempt },
] = await Promise.all([import("#db/schema"), import("~/.server/db"), import("~/.server/attempts")]);
const [{ getPublishedExercise }, { listSessionUsers }, { hashPassword }, drizzle] = await Promise.all([
  import("~/.server/catalog"),
  import("~/.server/users"),
  import("~/.server/password"),
  import("drizzle-orm"),
]);
const { and, eq, inArray, gte } = drizzle;

const database = db();
const departmentId = database
  .insert(departments)
  .values({ name: "Chaos", costCentre: "CC-CHAOS" })
  .returning()
  .get().id;
const teamId = database.insert(teams).values({ name: "Chaos team", departmentId }).returning().get().id;
const passwordHash = await hashPassword("chaos-learner-never-logs-in");
for (let i = 1; i <= opts.learners; i++) {
  const { id } = database
    .insert(users)
    .values({ email: `chaos${i}@bench.example`, name: `Chaos ${i}`, passwordHash, teamId })
    .returning()
    .get();
  database.insert(userRoles).values({ userId: id, role: "learner" }).run();
}
const learners = listSessionUsers(database).filter((u) => u.teamId === teamId);
const exercise = getPublishedExercise(database, EXERCISE)!;
const basePrompt = exercise.content.reference_solution.trimEnd();
let n = 0;

function submit(count: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    n++;
    const user = learners[n % learners.length];
    ids.push(
      submitAttempt(database, user, exercise, `${basePrompt}\nQueue ${n * 7919}.`, exercise.content.model, {
        poke() {},
      }),
    );
  }
  return ids;
}

function finishedCount(ids: number[]): number {
  return database
    .select({ id: gradingJobs.id })
    .from(gradingJobs)
    .where(and(inArray(gradingJobs.attemptId, ids), inArray(gradingJobs.stage, ["scored", "failed"])))
    .all().length;
}

/** Attempts a (re)started worker finishes before its CPU counts: its threads' start-up and the JIT's warm-up. */
const WARM_UP_ATTEMPTS = 5;

/**
 * One worker process's CPU in steady state: from when it has finished WARM_UP_ATTEMPTS attempts and said its CPU
 * pool's threads are warm (its start, module loading and the threads' encoders excluded: a resumed job whose offline
 * grade was stored before the kill finishes without the pool, so attempts alone could open the window while the
 * threads still build their encoders, ~2 s of CPU) to when it is killed or the run ends, with the provider requests
 * answered in that window. The start-up's CPU, up to the window, is reported apart.
 */
/** CPU (ms) of each of a live process's threads, by thread id (Node 20 leaves them all named "node"). */
function threadCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const ms = processCpuMs(pid, `/proc/${pid}/task/${tid}/stat`);
      if (ms !== null) out.set(Number(tid), ms);
    }
  } catch {
    // gone
  }
  return out;
}

class Meter {
  private from: { cpu: number; main: number; at: number; threads: Map<number, number> } | null = null;
  private readonly finishedAtStart: number;
  private poolReady = false;
  constructor(
    readonly worker: WorkerProcess,
    private readonly finished: () => number,
  ) {
    this.finishedAtStart = finished();
    worker.poolReady.then(() => {
      this.poolReady = true;
    });
  }
  /** Call often: starts counting once the warm-up attempts are done and the pool is warm. */
  tick(): void {
    if (this.from || !this.poolReady || this.finished() < this.finishedAtStart + WARM_UP_ATTEMPTS) return;
    this.from = {
      cpu: processCpuMs(this.worker.pid) ?? 0,
      main: mainThreadCpuMs(this.worker.pid) ?? 0,
      at: Date.now(),
      threads: threadCpuMs(this.worker.pid),
    };
  }
  /** The window's CPU and time span, and the CPU spent before it (start-up); nothing when it never warmed up. */
  read(): Window | null {
    if (!this.from) return null;
    const main = mainThreadCpuMs(this.worker.pid);
    const cpu = processCpuMs(this.worker.pid);
    if (cpu === null || main === null) return null;
    const threads = [...threadCpuMs(this.worker.pid)]
      .map(([tid, ms]) => ({ tid, ms: ms - (this.from?.threads.get(tid) ?? 0) }))
      .filter((t) => t.ms > 0)
      .sort((a, b) => a.tid - b.tid);
    return {
      threads,
      cpuMs: cpu - this.from.cpu,
      mainMs: main - this.from.main,
      startupCpuMs: this.from.cpu,
      from: this.from.at,
      to: Date.now(),
      pid: this.worker.pid,
    };
  }
}

interface Window {
  /** Each thread's CPU in the window (ms), by thread id in creation order: main, V8's platform threads, libuv's, the
   * CPU pool's. */
  threads: { tid: number; ms: number }[];
  cpuMs: number;
  mainMs: number;
  /** The process's CPU before its window opened (start, modules, the pool's encoders, the warm-up attempts). */
  startupCpuMs: number;
  from: number;
  to: number;
  pid: number;
}

interface PhaseResult {
  name: string;
  attempts: number;
  scored: number;
  failedReadable: number;
  failedOther: number;
  wallMs: number;
  providerRequests: number;
  cpuMs: number;
  /** Provider requests answered while the CPU was being measured (steady state). */
  measuredCalls: number;
  cpuMsPerCall: number;
  recoveriesMs: number[];
  startsMs: number[];
  /** The internal reasons of the attempts that failed (the learner read a sentence instead). */
  jobErrors: string[];
  /** Each worker process: when it started and exited (wall clock, ms), how, and its measured window if any. */
  workers: {
    pid: number;
    startedAt: number;
    exitedAt: number;
    signal: string | null;
    window?: [number, number];
    cpuMs?: number;
    /** Of cpuMs, the main thread's (the rest: the CPU pool's thread, V8's GC and compiler threads, libuv's). */
    mainMs?: number;
    /** CPU before the window opened: the process's start-up, reported apart from the per-call figure. */
    startupCpuMs?: number;
    calls?: number;
    threads?: { tid: number; ms: number }[];
  }[];
  ledger: ReturnType<typeof checkLedger>;
}

async function phase(name: string, count: number, mode: Mode, kills: number): Promise<PhaseResult> {
  const logFile = join(dir, `${name}.jsonl`);
  const fake: FakeProviderProcess = await startFakeProvider(logFile, { ...mode, seed: opts.seed });
  const env = workerEnv({
    url: fake.url,
    databasePath,
    extra: {
      LLM_CONCURRENCY: "16",
      LLM_TIMEOUT_MS: "8000",
      LLM_RETRY_BUDGET_MINUTES: "2",
      GRADING_LEASE_SECONDS: "10",
      GRADING_HEARTBEAT_SECONDS: "2",
    },
  });
  const windows: Window[] = [];
  const profileDir = opts.cpuProf ? join(opts.cpuProf, name) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const workers: PhaseResult["workers"] = [];
  const start = async () => {
    const startedAt = Date.now();
    const w = await startWorker(env, { cpuProfileDir: profileDir, nodeFlags: opts.workerFlags });
    w.exited.then(({ signal }) => workers.push({ pid: w.pid, startedAt, exitedAt: Date.now(), signal }));
    return w;
  };
  const recoveriesMs: number[] = [];
  /** From the kill to the restarted process's "ready" (process start, module loading, tokenizer warm-up). */
  const startsMs: number[] = [];
  const started = Date.now();
  let worker = await start();
  const ids = submit(count);
  const finished = () => finishedCount(ids);
  let meter = new Meter(worker, finished);
  const measure = () => {
    const w = meter.read();
    if (w) windows.push(w);
  };
  // Kill points: spread over the run by progress, each at a random share of its slice.
  const killAt = Array.from({ length: kills }, (_, i) =>
    Math.floor(((i + 0.2 + 0.6 * random()) / (kills + 0.5)) * count),
  );
  try {
    for (const at of killAt) {
      while (finishedCount(ids) < at) {
        meter.tick();
        await sleep(50);
      }
      measure();
      worker.child.kill("SIGKILL");
      const killedAt = Date.now();
      await worker.exited;
      worker = await start();
      startsMs.push(Date.now() - killedAt);
      meter = new Meter(worker, finished);
      const since = new Date(killedAt);
      for (;;) {
        const row = database
          .select({ at: modelCalls.createdAt })
          .from(modelCalls)
          .where(and(eq(modelCalls.owner, worker.id), gte(modelCalls.createdAt, since)))
          .limit(1)
          .get();
        if (row) {
          recoveriesMs.push(row.at.getTime() - killedAt);
          break;
        }
        if (finishedCount(ids) === ids.length) {
          recoveriesMs.push(Date.now() - killedAt);
          break;
        }
        await sleep(20);
      }
    }
    const deadline = Date.now() + 10 * 60_000;
    while (finishedCount(ids) < ids.length) {
      if (Date.now() > deadline) throw new Error(`${name}: attempts still unfinished after 10 minutes`);
      meter.tick();
      await sleep(50);
    }
    measure();
  } finally {
    worker.child.kill("SIGTERM");
    await worker.exited;
  }
  const wallMs = Date.now() - started;
  const log = fake.log();
  await fake.stop();
  const cpuMs = windows.reduce((sum, w) => sum + w.cpuMs, 0);
  const measuredCalls = log.filter((l) => windows.some((w) => l.at >= w.from && l.at <= w.to)).length;
  const rows = database
    .select()
    .from(modelCalls)
    .where(inArray(modelCalls.attemptId, ids))
    .all()
    .filter((r) => r.idempotencyKey?.startsWith("grading:") && !r.cacheHit && r.provider !== "builtin");
  const done = database.select().from(attempts).where(inArray(attempts.id, ids)).all();
  const jobErrors = database
    .select({ error: gradingJobs.lastError })
    .from(gradingJobs)
    .where(and(inArray(gradingJobs.attemptId, ids), eq(gradingJobs.stage, "failed")))
    .all()
    .map((j) => j.error ?? "");
  const readable = (e: string | null) => !!e && /Your prompt is saved/.test(e) && !/https?:|\b\d{3}\b/.test(e);
  return {
    name,
    attempts: count,
    scored: done.filter((a) => a.status === "scored").length,
    failedReadable: done.filter((a) => a.status === "failed" && readable(a.error)).length,
    failedOther: done.filter((a) => a.status !== "scored" && !(a.status === "failed" && readable(a.error))).length,
    wallMs,
    providerRequests: log.length,
    cpuMs,
    measuredCalls,
    cpuMsPerCall: cpuMs / Math.max(1, measuredCalls),
    recoveriesMs,
    startsMs,
    jobErrors,
    workers: workers.map((w) => {
      const win = windows.find((x) => x.pid === w.pid);
      if (!win) return w;
      const calls = log.filter((l) => l.at >= win.from && l.at <= win.to).length;
      return {
        ...w,
        window: [win.from, win.to] as [number, number],
        cpuMs: win.cpuMs,
        mainMs: win.mainMs,
        startupCpuMs: win.startupCpuMs,
        calls,
        threads: win.threads,
      };
    }),
    ledger: checkLedger(rows, log),
  };
}

const fmt = (x: number, d = 1) => x.toFixed(d);
const loadBefore = loadavg()[0];
let pass = false;
try {
  const baseline = await phase("baseline", opts.baseline, { delayMs: FLAKY.delayMs }, 0);
  const chaos = await phase("chaos", opts.attempts, FLAKY, opts.kills);
  const checks = [
    {
      name: "every attempt ended (scored, or failed with a reason a learner can read)",
      pass: chaos.failedOther === 0 && chaos.scored + chaos.failedReadable === chaos.attempts,
      detail:
        `${chaos.scored} scored, ${chaos.failedReadable} failed with a readable reason, ${chaos.failedOther} otherwise` +
        (chaos.jobErrors.length ? ` (why: ${[...new Set(chaos.jobErrors)].slice(0, 3).join(" | ")})` : ""),
    },
    {
      name: `recovery after each kill < ${RECOVERY_TARGET_MS / 1000} s`,
      pass: chaos.recoveriesMs.length === opts.kills && chaos.recoveriesMs.every((ms) => ms < RECOVERY_TARGET_MS),
      detail: chaos.recoveriesMs
        .map((ms, i) => `${fmt(ms / 1000, 2)} s (process ready after ${fmt(chaos.startsMs[i] / 1000, 2)} s)`)
        .join(", "),
    },
    {
      name: "ledger = provider billing, call for call",
      pass:
        chaos.ledger.missing.length === 0 &&
        chaos.ledger.twice.length === 0 &&
        chaos.ledger.phantom.length === 0 &&
        chaos.ledger.wrongUsage.length === 0,
      detail:
        `${chaos.ledger.billed} billed, ${chaos.ledger.settled} settled + ${chaos.ledger.unknown - chaos.ledger.unknownUnbilled} unknown rows for them; ` +
        `missing ${chaos.ledger.missing.length}, twice ${chaos.ledger.twice.length}, phantom ${chaos.ledger.phantom.length}, ` +
        `wrong usage ${chaos.ledger.wrongUsage.length}; ${chaos.ledger.unknownUnbilled} unknown rows the provider never billed (cut before it answered, or hung)`,
    },
    {
      name: `worker CPU < ${CPU_TARGET_MS} ms per provider call (start-up excluded)`,
      pass: chaos.cpuMsPerCall < CPU_TARGET_MS,
      detail:
        `${fmt(chaos.cpuMsPerCall, 2)} ms over ${chaos.measuredCalls} calls (baseline ${fmt(baseline.cpuMsPerCall, 2)} ms ` +
        `over ${baseline.measuredCalls}, ×${fmt(chaos.cpuMsPerCall / baseline.cpuMsPerCall, 2)})`,
    },
  ];
  pass = checks.every((c) => c.pass);
  const row = (p: PhaseResult) =>
    `| ${p.name} | ${p.attempts} | ${p.scored} | ${p.failedReadable} | ${fmt(p.wallMs / 1000)} | ${p.providerRequests} | ${p.ledger.billed} | ${p.ledger.unknown} | ${fmt(p.cpuMsPerCall, 2)} |`;
  console.log(
    [
      `Grading chaos: ${opts.attempts} submissions from ${opts.learners} learners on ${EXERCISE}; fake provider flaky ` +
        `(${JSON.stringify(FLAKY)}); the grading worker SIGKILLed ${opts.kills} times and restarted. Baseline: ${opts.baseline} ` +
        "submissions, no faults, no kills, same run.",
      `Machine: ${cpus().length} cores, load average ${fmt(loadBefore, 2)} before and ${fmt(loadavg()[0], 2)} after (shared).`,
      "",
      "| run | attempts | scored | failed (readable) | wall s | provider requests | billed | unknown rows | CPU ms/call |",
      "| --- | -------: | -----: | ----------------: | -----: | ----------------: | -----: | -----------: | ----------: |",
      row(baseline),
      row(chaos),
      "",
      ...checks.map((c) => `${c.pass ? "PASS" : "FAIL"}  ${c.name}: ${c.detail}`),
      "",
      "Measured windows per worker process (CPU ms, of which the main thread's; the rest: CPU-pool thread, GC, JIT;",
      "and the CPU of its start-up before the window: node, modules, the pool's encoders, the warm-up attempts):",
      ...[baseline, chaos].flatMap((p) =>
        p.workers
          .filter((w) => w.window)
          .map(
            (w) =>
              `  ${p.name} pid ${w.pid}: ${fmt((w.window![1] - w.window![0]) / 1000)} s, ${w.calls} calls, ` +
              `${w.cpuMs} ms CPU (main ${w.mainMs}), ${fmt((w.cpuMs ?? 0) / Math.max(1, w.calls ?? 0), 2)} ms/call; ` +
              `start-up ${w.startupCpuMs} ms CPU; by thread id: ${(w.threads ?? []).map((t) => `${t.tid}:${t.ms}`).join(" ")}`,
          ),
      ),
      "",
      pass ? "RESULT: PASS" : "RESULT: FAIL",
    ].join("\n"),
  );
  mkdirSync(join(ROOT, "bench/.out"), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  writeFileSync(
    join(ROOT, `bench/.out/grading-chaos-${stamp}.json`),
    JSON.stringify({ opts, mode: FLAKY, baseline, chaos, checks, pass }, null, 2),
  );
} finally {
  closeDb();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = pass ? 0 : 1;
