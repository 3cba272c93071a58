/**
 * Where one machine ends: sustained submissions per second (offline judge; live against a fake provider at a
 * realistic latency), ledger inserts per second, and page p95 while they run, on the built app served by
 * remix-serve (as `npm start` serves it), each workload in its own process(es) on this machine's cores.
 *
 *   npx tsx bench/capacity.ts [--seconds 15] [--clients 4] [--ledger-rate 500] [--levels 0.15,0.3,0.45,0.6]
 *     [--live-rates 4,8,12,16] [--delay 1000] [--limit 256] [--usage-rows 60000]
 *
 * Offline app: pages alone (the baseline of every p95 ratio); submissions back to back from --clients clients (the
 * saturated rate S); ledger rows flat out from a second process (the ledger's ceiling), and that writer beside the
 * submissions and pages (what a writer that never pauses does to the app); then, for each level, submissions
 * arriving at level × S, the ledger writer at --ledger-rate rows/s and the pages together; then the lowest level
 * again with `npm run db:backup` taken in the middle of it, and again with `npm run usage:import` of --usage-rows
 * FOCUS rows (bench/usage-generate.ts) running beside it (after the same import alone). Live app (the fake OpenAI-compatible server in a child process answering after
 * --delay ms, LLM_CONCURRENCY=--limit): for each rate, attempts arriving at that rate, each followed until scored,
 * and the pages. A rate is sustained when at least 95% of what was offered finished, the pages' p95 stayed under
 * 500 ms, and the submissions' own p95 stayed under their bound. Prints the figures and a capacity table; exits 1 when a
 * check fails; writes the figures to bench/.out/capacity-<time>.json.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { logIn, submitPrompt } from "../test/support/app-client";
import { type RunningApp, startApp } from "../test/support/app-server";
import { runScript, scriptEnv, tempDir } from "../test/support/script-process";
import {
  AttemptWatcher,
  closedLoop,
  openLoop,
  type ProbePage,
  type ProbeResult,
  percentile,
  probePages,
} from "./capacity-load";
import { capacityReport, type Figures, type Level, type PageSummary, type UsageRun } from "./capacity-report";
import { FakeProviderProcess } from "./grading-throughput";
import { generateUsage } from "./usage-generate";

const SLUG = "route-to-nano";
const PROMPT =
  "Classify the support ticket as billing, bug, account, feature_request or other. Reply with the label only.";
const GRACE_MS = 10_000;

function options() {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "15" },
      clients: { type: "string", default: "4" },
      "ledger-rate": { type: "string", default: "500" },
      levels: { type: "string", default: "0.15,0.3,0.45,0.6" },
      "live-rates": { type: "string", default: "4,8,12,16" },
      delay: { type: "string", default: "1000" },
      limit: { type: "string", default: "256" },
      "usage-rows": { type: "string", default: "60000" },
    },
  });
  return {
    seconds: Number(values.seconds),
    clients: Number(values.clients),
    ledgerRate: Number(values["ledger-rate"]),
    levels: values.levels.split(",").map(Number),
    liveRates: values["live-rates"].split(",").map(Number),
    delayMs: Number(values.delay),
    limit: Number(values.limit),
    usageRows: Number(values["usage-rows"]),
  };
}
export type Options = ReturnType<typeof options>;

function withDb<T>(path: string, read: (conn: Database.Database) => T): T {
  const conn = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(conn);
  } finally {
    conn.close();
  }
}

/** The database's used bytes (pages in use, read through SQLite so the WAL's pages count) and its attempts. */
function sizeAndAttempts(path: string): { bytes: number; attempts: number } {
  return withDb(path, (conn) => {
    const pages =
      (conn.pragma("page_count", { simple: true }) as number) -
      (conn.pragma("freelist_count", { simple: true }) as number);
    return {
      bytes: pages * (conn.pragma("page_size", { simple: true }) as number),
      attempts: conn.prepare("select count(*) from attempts").pluck().get() as number,
    };
  });
}

/** Signs in every demo learner and the manager; the pages the prober asks for, as those people. */
async function signIn(app: RunningApp, databasePath: string) {
  const learners = withDb(
    databasePath,
    (conn) =>
      conn
        .prepare(
          "select email from users join user_roles r on r.user_id = users.id and r.role = 'learner' order by users.id",
        )
        .pluck()
        .all() as string[],
  );
  const learnerCookies = await Promise.all(learners.map((email) => logIn(app.baseURL, email)));
  const manager = await logIn(app.baseURL, "manager@tokenwise.example");
  const pages: ProbePage[] = [
    { label: "course list", path: "/courses", cookie: learnerCookies[0] },
    { label: "exercise", path: `/exercises/${SLUG}`, cookie: learnerCookies[0] },
    { label: "leaderboard", path: "/leaderboard?view=teams&window=month", cookie: learnerCookies[0] },
    { label: "manager dashboard", path: "/manager", cookie: manager },
    { label: "showback", path: "/finops", cookie: manager },
  ];
  return { learnerCookies, pages };
}

/** Starts the ledger writer process; `go()` runs it and resolves with what it wrote. */
async function ledgerWriter(env: Record<string, string>, seconds: number, rate = 0) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bench/ledger-writer-process.ts", String(seconds), String(rate)],
    { env: env as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise<string>((resolve) => lines.once("line", resolve));
  await next();
  return {
    go: async (): Promise<{ written: number; ms: number }> => {
      const answer = next();
      child.stdin.write("go\n");
      return JSON.parse(await answer) as { written: number; ms: number };
    },
  };
}

function summary(probe: ProbeResult): PageSummary {
  return {
    requests: probe.all.length,
    p50: percentile(probe.all, 50),
    p95: percentile(probe.all, 95),
    byPage: Object.fromEntries(Object.entries(probe.byPage).map(([k, v]) => [k, percentile(v, 95)])),
    errors: probe.errors,
  };
}

/**
 * Two FOCUS files of `rows` usage rows each, with different keys (the first and second halves of one generated
 * file, in time order): an import of the second is new work even after the first (a re-import writes nothing).
 */
async function usageFiles(rows: number, dir: string): Promise<[string, string]> {
  const whole = join(dir, "usage-whole.csv");
  await generateUsage(rows * 2, whole);
  const [header, ...lines] = readFileSync(whole, "utf8").trimEnd().split("\n");
  const halves: [string, string] = [join(dir, "usage-1.csv"), join(dir, "usage-2.csv")];
  writeFileSync(halves[0], `${[header, ...lines.slice(0, rows)].join("\n")}\n`);
  writeFileSync(halves[1], `${[header, ...lines.slice(rows)].join("\n")}\n`);
  return halves;
}

/**
 * `npm run usage:import -- focus <file>` as its own process against the app's database: rows of the file per second,
 * or why it failed (the importer's own error line, e.g. SQLITE_BUSY_SNAPSHOT when another process wrote between
 * a transaction's first read and its first write).
 */
async function importUsage(env: Record<string, string>, file: string, rows: number): Promise<UsageRun> {
  const t = performance.now();
  const run = await runScript("scripts/usage-import.ts", ["focus", file], env);
  const ms = performance.now() - t;
  if (run.code === 0) return { rows, ms, error: null };
  const reason = run.stderr.match(/SqliteError: .*|code: '[A-Z_]+'/g)?.join(", ") ?? run.stdout.trim().split("\n")[0];
  const reached = [...run.stderr.matchAll(/([\d,]+) rows, /g)].pop()?.[1] ?? "0";
  return { rows, ms, error: `exit ${run.code} after ${reached} rows: ${reason}` };
}

async function offlinePhases(opts: Options, dir: string) {
  const env = scriptEnv(dir, { BACKUP_INTERVAL_HOURS: "0" });
  const app = await startApp({
    DATABASE_PATH: env.DATABASE_PATH,
    BACKUP_DIR: env.BACKUP_DIR,
    BACKUP_INTERVAL_HOURS: "0",
  });
  try {
    const { learnerCookies, pages } = await signIn(app, env.DATABASE_PATH);
    const ms = opts.seconds * 1000;
    let n = 0;
    const submit = (client: number) =>
      submitPrompt(
        app.baseURL,
        learnerCookies[client % learnerCookies.length],
        SLUG,
        `${PROMPT} Ticket batch ${++n}.\n\nTicket: {{input}}`,
      ).then(() => {});
    // Warm-up: the server's first requests load the tokenizer, the judge's NLP and the JIT.
    await closedLoop({ clients: opts.clients, durationMs: 3000, work: submit });

    const idle = summary(await probePages(pages, app.baseURL, ms / 2));
    const before = sizeAndAttempts(env.DATABASE_PATH);
    const saturated = await closedLoop({ clients: opts.clients, durationMs: ms, work: submit });
    const after = sizeAndAttempts(env.DATABASE_PATH);
    const ledgerAlone = await (await ledgerWriter(env, opts.seconds / 2)).go();
    const [usageFirst, usageSecond] = await usageFiles(opts.usageRows, dir);
    const usageAlone = await importUsage(env, usageFirst, opts.usageRows);

    const flatOutWriter = await ledgerWriter(env, opts.seconds / 2);
    const [flatSubmit, flatLedger, flatPages] = await Promise.all([
      closedLoop({ clients: opts.clients, durationMs: ms / 2, work: submit }),
      flatOutWriter.go(),
      probePages(pages, app.baseURL, ms / 2),
    ]);

    const levels: Level[] = [];
    let backup: Figures["backup"] = null;
    let usageMixed: UsageRun | null = null;
    // Each level, then the lowest again with a backup taken in the middle of it, and again with a usage import
    // started with it (the import's own rate under load, and its cost to the pages), like for like.
    const extras: Level["extra"][] = [...opts.levels.map(() => null), "backup", "usage import"];
    for (const [i, extra] of extras.entries()) {
      const level = extra ? opts.levels[0] : opts.levels[i];
      const writer = await ledgerWriter(env, opts.seconds, opts.ledgerRate);
      const takeBackup = extra === "backup";
      const importing = extra === "usage import" ? importUsage(env, usageSecond, opts.usageRows) : null;
      const backupRun = takeBackup
        ? new Promise<NonNullable<Figures["backup"]>>((resolve) =>
            setTimeout(async () => {
              const t = performance.now();
              const run = await runScript("scripts/db-backup.ts", ["--json"], env);
              resolve({ ms: performance.now() - t, code: run.code, bytes: statSync(env.DATABASE_PATH).size });
            }, ms / 3),
          )
        : Promise.resolve(null);
      const [arrivals, ledger, probe, backupResult] = await Promise.all([
        openLoop({ ratePerSec: level * saturated.perSec, durationMs: ms, graceMs: GRACE_MS, work: submit }),
        writer.go(),
        probePages(pages, app.baseURL, ms),
        backupRun,
      ]);
      if (backupResult) backup = backupResult;
      if (importing) usageMixed = await importing;
      levels.push({ label: `${level}×S`, arrivals, ledger, pages: summary(probe), extra });
    }
    return {
      idle,
      saturated,
      bytesPerAttempt: (after.bytes - before.bytes) / (after.attempts - before.attempts),
      ledgerAlone,
      flatOut: { submit: flatSubmit, ledger: flatLedger, pages: summary(flatPages) },
      levels,
      backup,
      usageImport: { alone: usageAlone, mixed: usageMixed },
    };
  } finally {
    await app.stop();
  }
}

async function livePhase(opts: Options, dir: string) {
  const fake = await FakeProviderProcess.start(opts.delayMs);
  const env = scriptEnv(dir);
  const app = await startApp({
    DATABASE_PATH: env.DATABASE_PATH,
    BACKUP_INTERVAL_HOURS: "0",
    LLM_PROVIDER: "openai-compatible",
    LLM_BASE_URL: fake.url,
    LLM_CONCURRENCY: String(opts.limit),
  });
  const watcher = new AttemptWatcher(env.DATABASE_PATH);
  try {
    const { learnerCookies, pages } = await signIn(app, env.DATABASE_PATH);
    let n = 0;
    const ids: number[] = [];
    const gradeOne = async (i: number) => {
      const prompt = `${PROMPT} Live batch ${++n}.\n\nTicket: {{input}}`;
      const { attemptId } = await submitPrompt(app.baseURL, learnerCookies[i % learnerCookies.length], SLUG, prompt);
      ids.push(attemptId);
      const status = await watcher.graded(attemptId);
      if (status !== "scored") throw new Error(`attempt ${attemptId} ${status}`);
    };
    await closedLoop({ clients: 8, durationMs: 4000, work: gradeOne });
    const first = ids.length;
    await fake.reset();
    const levels: Level[] = [];
    for (const rate of opts.liveRates) {
      const [arrivals, probe] = await Promise.all([
        openLoop({
          ratePerSec: rate,
          durationMs: opts.seconds * 1000,
          graceMs: GRACE_MS + 4 * opts.delayMs,
          work: gradeOne,
        }),
        probePages(pages, app.baseURL, opts.seconds * 1000),
      ]);
      levels.push({ label: `${rate}/s`, arrivals, ledger: null, pages: summary(probe), extra: null });
    }
    const lo = ids[first];
    const judged = withDb(
      env.DATABASE_PATH,
      (conn) =>
        conn
          .prepare(
            `select coalesce(sum(judge like '%(LLM judge)%'), 0) as llm, count(*) as "all",
                    (select count(*) from model_calls where attempt_id >= ? and provider != 'builtin') as calls
             from attempts where id >= ? and status = 'scored'`,
          )
          .get(lo, lo) as { llm: number; all: number; calls: number },
    );
    return { levels, judged, fake: await fake.stats() };
  } finally {
    watcher.close();
    await app.stop();
    await fake.stop();
  }
}

async function main(): Promise<void> {
  if (!existsSync("build/server/index.js")) throw new Error("Build the app first: npm run build");
  const opts = options();
  const loadBefore = loadavg()[0];
  const started = performance.now();
  const offline = await offlinePhases(opts, tempDir("capacity-offline"));
  const live = await livePhase(opts, tempDir("capacity-live"));
  const figures: Figures = {
    options: opts,
    machine: { cores: cpus().length, loadBefore, loadAfter: loadavg()[0] },
    ...offline,
    live,
  };
  const { text, pass } = capacityReport(figures);
  console.log(text);
  console.log(`\n(total run ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  mkdirSync("bench/.out", { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  writeFileSync(join("bench/.out", `capacity-${stamp}.json`), JSON.stringify({ ...figures, pass }, null, 2));
  process.exitCode = pass ? 0 : 1;
}

await main();
