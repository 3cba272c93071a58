// `npm start`: build the app when the build is missing or older than the source, prepare the
// database (migrations, exercises, demo organisation), then serve on PORT (default 3000).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { lineRedactor } from "../app/.server/redact-log";
import { workerBundleFresh } from "./build-worker";

function run(cmd: string, args: string[]) {
  const result = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const built = "build/server/index.js";
const stale = !existsSync(built) || statSync(built).mtimeMs < Math.max(newestMtime("app"), newestMtime("public"));
if (stale) {
  console.log("[tokenwise] building the app (about two minutes on first start)…");
  run("npx", ["remix", "vite:build"]);
}
// The grading worker and the CPU pool's threads start from their own bundles (scripts/build-worker.ts).
if (stale || !workerBundleFresh()) run("npx", ["tsx", "scripts/build-worker.ts"]);
run("npx", ["tsx", "scripts/prepare-db.ts"]);
process.env.NODE_ENV ??= "production";
// server/index.ts redacts its own access log; its output also passes through a redactor so that one-time
// set-password tokens (and anything else named like a secret in a query string) never reach a log from any line.
// Started directly, not through npx, so that a signal forwarded to it reaches the server itself.
const server = spawn(process.execPath, ["--import", "tsx", join("server", "index.ts"), built], {
  stdio: ["inherit", "pipe", "pipe"],
  env: process.env,
});
for (const [from, to] of [
  [server.stdout, process.stdout],
  [server.stderr, process.stderr],
] as const) {
  const redactor = lineRedactor((text) => to.write(text));
  from.setEncoding("utf8");
  from.on("data", (chunk: string) => redactor.push(chunk));
  from.on("end", () => redactor.end());
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
