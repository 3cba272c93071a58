import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Tokenwise's scripts run as real processes (`node --import tsx`, as `npm run` would through tsx), each with its own
 * environment: the tests of backups and restores need separate processes holding and fighting over real files.
 */

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Started {
  child: ChildProcessWithoutNullStreams;
  /** Resolves once the process has printed a line matching `pattern`. */
  printed(pattern: RegExp, timeoutMs?: number): Promise<void>;
  finished: Promise<Finished>;
}

/** A temp folder and the environment of a Tokenwise process whose database lives there. */
export function scriptEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // The test worker's own settings (its database, NODE_ENV=test) must not leak into the process under test.
  delete env.TOKENWISE_TEST_DB_DIR;
  return {
    ...env,
    NODE_ENV: "production",
    DATABASE_PATH: join(dir, "app.db"),
    BACKUP_DIR: join(dir, "backups"),
    SESSION_SECRET: "test-secret-that-is-long-enough-0123456789",
    DEMO_SEED: "true",
    LOG_LEVEL: "error",
    ...extra,
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tokenwise-${prefix}-`));
}

export function startScript(script: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: env as NodeJS.ProcessEnv,
    stdio: "pipe",
  });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const w of [...waiters]) {
      if (w.pattern.test(stdout)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const finished = new Promise<Finished>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    finished,
    printed(pattern, timeoutMs = 20_000) {
      if (pattern.test(stdout)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${script} did not print ${pattern} in ${timeoutMs} ms; stderr: ${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void finished.then((f) =>
          reject(new Error(`${script} exited (${f.code ?? f.signal}) before printing ${pattern}: ${f.stderr}`)),
        );
      });
    },
  };
}

export function runScript(script: string, args: string[], env: Record<string, string>): Promise<Finished> {
  const started = startScript(script, args, env);
  started.child.stdin.end();
  return started.finished;
}

async function prepareDemoDatabase(dir: string): Promise<string> {
  const prepared = await runScript("scripts/prepare-db.ts", [], scriptEnv(dir));
  if (prepared.code !== 0) throw new Error(`preparing the demo database failed: ${prepared.stderr}`);
  // Closed in WAL mode, the database has folded its WAL back in: the file alone is the database.
  return join(dir, "app.db");
}

/**
 * The demo database prepared once for the whole run (test/setup/run-dir.ts names its folder): the first file that
 * asks prepares it (about 14 s of CPU), the others wait for it. Null outside such a run.
 */
async function demoDatabaseOfTheRun(): Promise<string | null> {
  const runDir = process.env.TOKENWISE_TEST_RUN_DIR;
  if (!runDir) return null;
  const shared = join(runDir, "demo.db");
  const failed = join(runDir, "demo.failed");
  try {
    mkdirSync(join(runDir, "demo.preparing"));
  } catch {
    while (!existsSync(shared)) {
      if (existsSync(failed)) throw new Error(`preparing the demo database failed: ${readFileSync(failed, "utf8")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return shared;
  }
  try {
    // Prepared beside, then renamed: a waiting file never copies half a database.
    renameSync(await prepareDemoDatabase(tempDir("template")), shared);
  } catch (err) {
    writeFileSync(failed, (err as Error).message);
    throw err;
  }
  return shared;
}

/**
 * A demo database prepared the way `npm start` prepares one (migrations, exercises, demo seed), closed; its path, in
 * a folder of the caller's own: a copy of the run's (demoDatabaseOfTheRun) when there is one.
 */
export async function preparedDemoDatabase(): Promise<string> {
  const dir = tempDir("template");
  const shared = await demoDatabaseOfTheRun();
  if (!shared) return prepareDemoDatabase(dir);
  copyFileSync(shared, join(dir, "app.db"));
  return join(dir, "app.db");
}
