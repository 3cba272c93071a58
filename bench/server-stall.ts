/**
 * Can one user stall the server for everyone? While client A submits 19,990-character pathological prompts ("b"
 * and "é" repeated: one pre-tokenizer piece each; then, in turn, the shapes of test/support/hostile-prompts.ts) and
 * client B views an exercise whose test input is a 20,000-character unspaced base64 line (every 200 ms), client C
 * measures GET /courses latency (every 50 ms). Run against this checkout's build
 * (worker pool, O(n log n) counts, counts stored at save, server/index.ts) and, in the same run, against the
 * baseline commit's build (BENCH_BASELINE_REF, default 5416dab: counting and grading on the request's thread),
 * on the same content and machine. Each build first serves C alone for a "quiet" phase, so the figures separate the
 * attack's own effect from the machine's load (printed with every phase). The server's event-loop delay and
 * utilisation per phase come from bench/loop-probe.mjs, preloaded into it. Target: p95 of GET /courses under 100 ms
 * with the current build under attack.
 *
 *   npx tsx bench/server-stall.ts              # builds the baseline into a temp folder (about 2 minutes)
 *   BENCH_SECONDS=20 BENCH_SKIP_BASELINE=1 npx tsx bench/server-stall.ts
 *   BENCH_PROFILE=1 …                          # also V8 profiles of the server's main thread per phase, in bench/.out/
 */
import { type ChildProcess, execSync, spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parse, stringify } from "yaml";
import { freePort } from "../test/support/app-server";
import { HOSTILE_SHAPES } from "../test/support/hostile-prompts";
import { type Profile, summariseProfile } from "./cpu-profile";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const QUIET_SECONDS = Number(process.env.BENCH_QUIET_SECONDS ?? 10);
const PROFILE = process.env.BENCH_PROFILE === "1";
const PROBE = resolve("bench/loop-probe.mjs");
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
  probeFile: string;
}

async function startApp(
  name: string,
  cwd: string,
  command: string[],
  env: Record<string, string>,
  probeFile: string,
): Promise<App> {
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
    env: {
      ...fullEnv,
      // remix-serve is a script: the probe reaches it through NODE_OPTIONS (the current build's node gets --import).
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${pathToFileURL(PROBE).href}`.trim(),
      LOOP_PROBE_FILE: probeFile,
      LOOP_PROBE_PROFILE: PROFILE ? "1" : "0",
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/login`)).status < 500) return { name, base, process: child, probeFile };
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

interface LoopFigures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  utilization: number;
}

/** The server's event-loop figures since the last call (bench/loop-probe.mjs); null if its loop never answered. */
async function readProbe(app: App, waitMs: number): Promise<LoopFigures | null> {
  rmSync(app.probeFile, { force: true });
  process.kill(app.process.pid!, "SIGUSR2");
  for (const until = Date.now() + waitMs; Date.now() < until; ) {
    if (existsSync(app.probeFile)) {
      try {
        return JSON.parse(readFileSync(app.probeFile, "utf8")) as LoopFigures;
      } catch {
        // half written
      }
    }
    await sleep(100);
  }
  return null;
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

interface Phase {
  build: string;
  phase: "quiet" | "attack";
  load: [number, number];
  submits: number[];
  /** Submissions answered 429 (the per-learner limit). */
  refused: number;
  views: number[];
  courses: number[];
  failures: { submit: number; view: number; courses: number };
  loop: LoopFigures | null;
}

/**
 * The attacker's i-th prompt, 19,990 characters: "b" and "é" repeated (one pre-tokenizer piece each), then in turn
 * every shape the judge's readings once handled in more than linear time (test/support/hostile-prompts.ts), from
 * fresh words each time.
 */
const HOSTILE = [
  () => "b".repeat(19_990),
  () => "é".repeat(19_990),
  ...Object.values(HOSTILE_SHAPES).map((shape) => () => shape(19_990)),
];
function hostilePrompt(i: number): string {
  return HOSTILE[i % HOSTILE.length]();
}

/** `seconds` of the bystander's GET /courses, with the attacker and the viewer when `attack`. */
async function phase(app: App, cookie: string, kind: Phase["phase"], seconds: number): Promise<Phase> {
  const headers = { Cookie: cookie };
  const loadBefore = loadavg()[0];
  await readProbe(app, 10_000); // starts the probe's window here
  const deadline = Date.now() + seconds * 1000;
  const submits: number[] = [];
  const views: number[] = [];
  const courses: number[] = [];
  const failures = { submit: 0, view: 0, courses: 0 };
  let refused = 0;
  const attacker = (async () => {
    for (let i = 0; kind === "attack" && Date.now() < deadline; i++) {
      const prompt = hostilePrompt(i);
      const r = await timed(`${app.base}/exercises/${SLUG}`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "submit", prompt }),
      });
      submits.push(r.ms);
      // 429: the per-learner limit refusing the flood (with Retry-After), which this attacker ignores.
      if (r.status === 429) refused++;
      else if (r.status !== 302) failures.submit++;
    }
  })();
  const viewer = (async () => {
    while (kind === "attack" && Date.now() < deadline) {
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
  await Promise.race([Promise.all([bystander, viewer]), sleep((seconds + 130) * 1000)]);
  await Promise.race([attacker, sleep(5_000)]);
  const loop = await readProbe(app, 150_000);
  if (PROFILE) saveProfiles(app, `${app.name}-${kind}`);
  return {
    build: app.name,
    phase: kind,
    load: [loadBefore, loadavg()[0]],
    submits,
    refused,
    views,
    courses,
    failures,
    loop,
  };
}

function saveProfiles(app: App, label: string): void {
  const dir = resolve("bench/.out");
  mkdirSync(dir, { recursive: true });
  const dirOfProbe = dirname(app.probeFile);
  const latest = readdirSync(dirOfProbe)
    .filter((f) => f.startsWith(`${basename(app.probeFile)}.`) && f.endsWith(".cpuprofile"))
    .sort((a, b) => Number(a.split(".").at(-2)) - Number(b.split(".").at(-2)))
    .at(-1);
  if (!latest) return;
  const path = join(dir, `stall-${label}.cpuprofile`);
  cpSync(join(dirOfProbe, latest), path);
  const summary = summariseProfile(JSON.parse(readFileSync(path, "utf8")) as Profile, 14);
  console.log(`[stall] ${label}: main thread busy ${summary.totalMs.toFixed(0)} ms (profile ${path}); top self times:`);
  for (const { what, ms } of summary.byFunction) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${what}`);
}

const f = (n: number) => (Number.isNaN(n) ? "-" : n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${n.toFixed(0)} ms`);

function row(r: Phase) {
  const loop = r.loop
    ? `loop delay p95 ${f(r.loop.p95)} max ${f(r.loop.max)} busy ${(r.loop.utilization * 100).toFixed(0)}%`
    : "loop: no answer";
  const attack =
    r.phase === "attack"
      ? ` | exercise view n=${r.views.length} p95 ${f(pct(r.views, 95))} | submits n=${r.submits.length} (${r.refused} × 429) p50 ${f(pct(r.submits, 50))}`
      : "";
  console.log(
    `${r.build.padEnd(8)} ${r.phase.padEnd(6)} load ${r.load[0].toFixed(1)}→${r.load[1].toFixed(1)} | GET /courses n=${String(r.courses.length).padStart(4)} p50 ${f(pct(r.courses, 50)).padStart(6)} p95 ${f(pct(r.courses, 95)).padStart(6)} max ${f(Math.max(...r.courses)).padStart(6)} | ${loop}${attack} | failures ${JSON.stringify(r.failures)}`,
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

  const results: Phase[] = [];
  try {
    for (const [name, cwd, command] of [
      ["current", ROOT, [process.execPath, "--import", "tsx", "server/index.ts", "build/server/index.js"]],
      ["baseline", baselineDir, [join(ROOT, "node_modules/.bin/remix-serve"), "build/server/index.js"]],
    ] as const) {
      if (name === "baseline" && SKIP_BASELINE) continue;
      const contentDir = join(dir, `content-${name}`);
      mkdirSync(contentDir);
      const app = await startApp(
        name,
        cwd,
        [...command],
        {
          DATABASE_PATH: join(dir, `${name}.db`),
          EXERCISES_DIR: hostileContent(cwd, contentDir),
          DEMO_SEED: "true",
        },
        join(dir, `${name}-loop.json`),
      );
      try {
        const cookie = await signIn(app.base);
        // Warm up: each page once, so first-use costs (encoders, worker threads) are not the figure.
        await timed(`${app.base}/courses`, { headers: { Cookie: cookie } });
        await timed(`${app.base}/exercises/${SLUG}`, { headers: { Cookie: cookie } });
        console.log(`[stall] ${name}: ${QUIET_SECONDS} s quiet, then ${SECONDS} s of attack…`);
        results.push(await phase(app, cookie, "quiet", QUIET_SECONDS));
        results.push(await phase(app, cookie, "attack", SECONDS));
      } finally {
        stop(app);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(
    "\nGET /courses latency alone (quiet) and while another user submits 19,990-char pathological prompts and a third",
  );
  console.log(
    "views an exercise with a 20,000-char unspaced test input (attack); 2 shared cores, load average (1 min) per phase:",
  );
  for (const r of results) row(r);
  const get = (build: string, kind: Phase["phase"]) => results.find((r) => r.build === build && r.phase === kind);
  const attack = get("current", "attack")!;
  const quiet = get("current", "quiet")!;
  const p95 = pct(attack.courses, 95);
  console.log(
    `\ncurrent: attack/quiet p95 ratio ${(p95 / pct(quiet.courses, 95)).toFixed(2)} (p50 ${(pct(attack.courses, 50) / pct(quiet.courses, 50)).toFixed(2)}): the attack's own effect on this machine's load`,
  );
  const baseline = get("baseline", "attack");
  if (baseline)
    console.log(
      `baseline/current attack p95 ratio: ${(pct(baseline.courses, 95) / p95).toFixed(0)}x; max ratio: ${(Math.max(...baseline.courses) / Math.max(...attack.courses)).toFixed(0)}x`,
    );
  const pass = p95 < TARGET_P95_MS && attack.failures.courses === 0 && attack.failures.submit === 0;
  console.log(
    `${pass ? "PASS" : "FAIL"}: current p95 under attack ${p95.toFixed(0)} ms (target < ${TARGET_P95_MS} ms), no failed request`,
  );
  process.exit(pass ? 0 : 1);
}

await main();
