// `npm start`: build the app when the build is missing or older than the source, prepare the
// database (migrations, exercises, demo organisation), then serve on PORT (default 3000).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

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
run("npx", ["tsx", "scripts/prepare-db.ts"]);
process.env.NODE_ENV ??= "production";
run("npx", ["remix-serve", built]);
