import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const STOP_GRACE_MS = 2_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Signals npx and the server it started: they share the process group that `detached` gave npx. Signal 0 only asks
 * whether any of them is still alive. False when the group is gone.
 */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  if (!child.pid) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Ends the group: SIGTERM, then SIGKILL for whatever outlives the grace period. */
async function endGroup(child: ChildProcess): Promise<void> {
  if (!signalGroup(child, "SIGTERM")) return;
  // remix-serve answers SIGTERM by closing its HTTP server, but the process lives on while the app holds timers.
  const deadline = Date.now() + STOP_GRACE_MS;
  while (Date.now() < deadline) {
    await sleep(100);
    if (!signalGroup(child, 0)) return;
  }
  signalGroup(child, "SIGKILL");
}

/** The built app served by server/index.ts, as the browser tests and the browser benchmarks use it. */
export interface RunningApp {
  baseURL: string;
  /** Stops the server (its whole process group) and removes the temporary database. Safe to call twice. */
  stop: () => Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitFor(url: string, server: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the app exited with code ${server.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`the app did not answer at ${url} within ${ms} ms`);
}

/** Where the browser tests' global setup leaves a demo database prepared once, for startApp to copy. */
const TEMPLATE_ENV = "TOKENWISE_TEST_TEMPLATE_DB";

function prepareDatabaseFile(env: NodeJS.ProcessEnv): boolean {
  return spawnSync("npx", ["tsx", "scripts/prepare-db.ts"], { env, stdio: "inherit" }).status === 0;
}

/**
 * Prepares one demo database (migrations, exercises, demo seed) that every later startApp in this run copies instead
 * of seeding its own: the seed (graded attempts, 90 days of usage) costs about 14 s of CPU, preparing a copy (as
 * `npm run serve` does on every start) about 3.5 s. Returns a function that removes it.
 */
export function prepareTemplateDatabase(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "tokenwise-template-"));
  const path = join(dir, "app.db");
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    DATABASE_PATH: path,
    DEMO_SEED: "true",
    LOG_LEVEL: "error",
  };
  if (!prepareDatabaseFile(env)) throw new Error("preparing the template database failed");
  process.env[TEMPLATE_ENV] = path;
  return () => {
    delete process.env[TEMPLATE_ENV];
    rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * The template, copied to `path`, when the app would seed exactly that: a new demo database with the repository's
 * exercises and models. False otherwise (no template in this run, an existing file, other content).
 */
export function copyTemplate(env: Record<string, string | undefined>, path: string): boolean {
  const template = process.env[TEMPLATE_ENV];
  if (!template || !existsSync(template) || existsSync(path)) return false;
  if (env.DEMO_SEED !== "true" || env.MODELS_FILE || env.EXERCISES_DIR) return false;
  // The template's preparing process has exited, so its write-ahead log is checkpointed into the file.
  copyFileSync(template, path);
  return true;
}

/**
 * Starts `build/` in production mode on a free loopback port, with its own temporary database prepared the way
 * `npm run serve` prepares one (migrations, exercises, demo seed; a copy of prepareTemplateDatabase's when the run has
 * one), and resolves once /login answers.
 */
export async function startApp(extraEnv: Record<string, string> = {}): Promise<RunningApp> {
  if (!existsSync("build/server/index.js")) throw new Error("Build the app first: npm run build");
  const dir = mkdtempSync(join(tmpdir(), "tokenwise-app-"));
  // A caller that must know the address first (an identity provider registers the callback URL) passes PORT.
  const port = extraEnv.PORT ? Number(extraEnv.PORT) : await freePort();
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    PORT: String(port),
    DATABASE_PATH: join(dir, "app.db"),
    DEMO_SEED: "true",
    LOG_LEVEL: "error",
    ...extraEnv,
  };
  // From a copy of the template when there is one; prepared again either way, as every `npm run serve` does.
  copyTemplate(env, env.DATABASE_PATH);
  if (!prepareDatabaseFile(env)) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error("preparing the database failed");
  }
  // Detached, so that stop() can end npx and the server it starts as one process group.
  const server = spawn(process.execPath, ["--import", "tsx", "server/index.ts", "build/server/index.js"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= endGroup(server).then(() => rmSync(dir, { recursive: true, force: true }));
    return stopping;
  };
  const baseURL = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${baseURL}/login`, server, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseURL, stop };
}
