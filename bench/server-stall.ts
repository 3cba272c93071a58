/**
 * Can one user stall the server for everyone? While client A submits 19,990-character pathological prompts ("b"
 * and "é" repeated: one pre-tokenizer piece each) and client B views an exercise whose test input is a 20,000-
 * character unspaced base64 line (every 200 ms), client C measures GET /courses latency (every 50 ms). Run against this checkout's build
 * (worker pool, O(n log n) counts, counts stored at save, server/index.ts) and, in the same run, against the
 * baseline commit's build (BENCH_BASELINE_REF, default 5416dab: counting and grading on the request's thread),
 * on the same content and machine. Target: p95 of GET /courses under 100 ms with the current build.
 *
 *   npx tsx bench/server-stall.ts              # builds the baseline into a temp folder (about 2 minutes)
 *   BENCH_SECONDS=20 npx tsx bench/server-stall.ts
 */
import { type ChildProcess, execSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { freePort } from "../test/support/app-server";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const BASELINE_REF = process.env.BENCH_BASELINE_REF ?? "5416dab";
/** For iterating on the current build only; the figures then have no same-run baseline. */
const SKIP_BASELINE = process.env.BENCH_SKIP_BASELINE === "1";
const REQUEST_TIMEOUT_MS = 120_000;
const VIEW_PAUSE_MS = 200;
const TARGET_P95_MS = 100;
const ROOT = resolve(".");
const SLUG = "compress-ticket-summary";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A copy of a checkout's exercises/ whose first exercise has a 20,000-character unspaced test input. Each build
 * reads its own checkout's exercises (the baseline's loader does not know later format additions), with the
 * same hostile input added.
 */
function hostileContent(root: string, dir: string): string {
  const out = join(dir, "exercises");
  cpSync(join(root, "exercises"), out, { recursive: true });
  const file = join(out, "prompt-compression", "01-compress-ticket-summary.yaml");
  const doc = parse(readFileSync(file, "utf8"));
  const blob = Buffer.from("x".repeat(15_000)).toString("base64").slice(0, 20_000);
  doc.test_inputs.push({ name: "attachment", input: `{"attachment":"${blob}"}`, expected: "- Problem: none." });
  writeFileSync(file, stringify(doc, { lineWidth: 0 }));
  return out;
}

interface App {
  name: string;
  base: string;
  process: ChildProcess;
}

async function startApp(name: string, cwd: string, command: string[], env: Record<string, string>): Promise<App> {
  const port = await freePort();
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    LOG_LEVEL: "error",
    ...env,
  };
  const prepared = spawnSync("npx", ["tsx", "scripts/prepare-db.ts"], { cwd, env: fullEnv, stdio: "inherit" });
  if (prepared.status !== 0) throw new Error(`${name}: preparing the database failed`);
  const child = spawn(command[0], command.slice(1), {
    cwd,
    env: fullEnv,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/login`)).status < 500) return { name, base, process: child };
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${name} did not start`);
}

function stop(app: App): void {
  try {
    if (app.process.pid) process.kill(-app.process.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

async function signIn(base: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    body: new URLSearchParams({ email: "learner@tokenwise.example", password: "tokenwise-demo" }),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`sign-in failed at ${base}: ${res.status}`);
  return cookie;
}

async function timed(url: string, init: RequestInit): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await res.arrayBuffer();
    return { ms: performance.now() - started, status: res.status };
  } catch {
    return { ms: performance.now() - started, status: 0 };
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : Number.NaN;
};

async function scenario(app: App) {
  const cookie = await signIn(app.base);
  const headers = { Cookie: cookie };
  // Warm up: each page once, so first-use costs (encoders, worker threads) are not the figure.
  await timed(`${app.base}/courses`, { headers });
  await timed(`${app.base}/exercises/${SLUG}`, { headers });
  const deadline = Date.now() + SECONDS * 1000;
  const submits: number[] = [];
  const views: number[] = [];
  const courses: number[] = [];
  const failures = { submit: 0, view: 0, courses: 0 };
  const attacker = (async () => {
    for (let i = 0; Date.now() < deadline; i++) {
      const prompt = (i % 2 === 0 ? "b" : "é").repeat(19_990);
      const r = await timed(`${app.base}/exercises/${SLUG}`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "submit", prompt }),
      });
      submits.push(r.ms);
      if (r.status !== 302) failures.submit++;
    }
  })();
  const viewer = (async () => {
    while (Date.now() < deadline) {
      const r = await timed(`${app.base}/exercises/${SLUG}`, { headers });
      views.push(r.ms);
      if (r.status !== 200) failures.view++;
      // A person opening the page again and again, not a flood: a flood of any page is a capacity question.
      await sleep(VIEW_PAUSE_MS);
    }
  })();
  const bystander = (async () => {
    while (Date.now() < deadline) {
      const r = await timed(`${app.base}/courses`, { headers });
      courses.push(r.ms);
      if (r.status !== 200) failures.courses++;
      await sleep(50);
    }
  })();
  // The bystander's figures are what count; the attacker's last request may still be blocking the old server.
  await Promise.race([Promise.all([bystander, viewer]), sleep((SECONDS + 130) * 1000)]);
  await Promise.race([attacker, sleep(5_000)]);
  return { submits, views, courses, failures };
}

function row(name: string, r: Awaited<ReturnType<typeof scenario>>) {
  const f = (n: number) => (Number.isNaN(n) ? "-" : n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${n.toFixed(0)} ms`);
  console.log(
    `${name.padEnd(9)} GET /courses n=${String(r.courses.length).padStart(4)} p50 ${f(pct(r.courses, 50)).padStart(8)} p95 ${f(pct(r.courses, 95)).padStart(8)} max ${f(Math.max(...r.courses)).padStart(8)} | exercise view n=${r.views.length} p95 ${f(pct(r.views, 95))} | submits n=${r.submits.length} p50 ${f(pct(r.submits, 50))} | failures ${JSON.stringify(r.failures)}`,
  );
}

async function main() {
  if (!existsSync("build/server/index.js")) throw new Error("Build the app first: npm run build");
  const dir = mkdtempSync(join(tmpdir(), "tokenwise-stall-"));
  const baselineDir = join(dir, "baseline");
  mkdirSync(baselineDir);
  if (!SKIP_BASELINE) {
    console.log(`[stall] extracting ${BASELINE_REF} and building it (about 2 minutes)…`);
    execSync(`git archive ${BASELINE_REF} | tar -x -C ${baselineDir}`, { stdio: "inherit" });
    symlinkSync(join(ROOT, "node_modules"), join(baselineDir, "node_modules"));
    execSync("npx remix vite:build", { cwd: baselineDir, stdio: "ignore" });
  }

  const results: [string, Awaited<ReturnType<typeof scenario>>][] = [];
  try {
    for (const [name, cwd, command] of [
      ["current", ROOT, [process.execPath, "--import", "tsx", "server/index.ts", "build/server/index.js"]],
      ["baseline", baselineDir, [join(ROOT, "node_modules/.bin/remix-serve"), "build/server/index.js"]],
    ] as const) {
      if (name === "baseline" && SKIP_BASELINE) continue;
      const contentDir = join(dir, `content-${name}`);
      mkdirSync(contentDir);
      const app = await startApp(name, cwd, [...command], {
        DATABASE_PATH: join(dir, `${name}.db`),
        EXERCISES_DIR: hostileContent(cwd, contentDir),
        DEMO_SEED: "true",
      });
      console.log(`[stall] ${name}: ${SECONDS} s of load…`);
      try {
        results.push([name, await scenario(app)]);
      } finally {
        stop(app);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(
    "\nGET /courses latency while another user submits 19,990-char pathological prompts and a third views an",
  );
  console.log(
    "exercise with a 20,000-char unspaced test input (2 shared cores; other work on the machine adds noise):",
  );
  for (const [name, r] of results) row(name, r);
  const current = results.find(([n]) => n === "current")![1];
  const baseline = results.find(([n]) => n === "baseline")?.[1];
  const p95 = pct(current.courses, 95);
  if (baseline)
    console.log(
      `\np95 ratio baseline/current: ${(pct(baseline.courses, 95) / p95).toFixed(0)}x; max ratio: ${(Math.max(...baseline.courses) / Math.max(...current.courses)).toFixed(0)}x`,
    );
  const pass = p95 < TARGET_P95_MS && current.failures.courses === 0 && current.failures.submit === 0;
  console.log(
    `${pass ? "PASS" : "FAIL"}: current p95 ${p95.toFixed(0)} ms (target < ${TARGET_P95_MS} ms), no failed request`,
  );
  process.exit(pass ? 0 : 1);
}

await main();
