import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

function freePort(): Promise<number> {
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
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer at ${url} within ${ms} ms`);
}

export default async function setup(project: TestProject) {
  if (!existsSync("build/server/index.js")) throw new Error("Build the app first: npm run build");
  if (!existsSync("/usr/bin/chromium")) throw new Error("Chromium is missing: apt-get install -y chromium");
  const dir = mkdtempSync(join(tmpdir(), "tokenwise-browser-"));
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    PORT: String(port),
    DATABASE_PATH: join(dir, "app.db"),
    DEMO_SEED: "true",
    LOG_LEVEL: "error",
  };
  const prepared = spawnSync("npx", ["tsx", "scripts/prepare-db.ts"], { env, stdio: "inherit" });
  if (prepared.status !== 0) throw new Error("preparing the database failed");
  const server = spawn("npx", ["remix-serve", "build/server/index.js"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const baseURL = `http://127.0.0.1:${port}`;
  await waitFor(`${baseURL}/login`, server, 60_000);
  project.provide("baseURL", baseURL);
  return () => {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
}
