// The grading worker (scripts/grading-worker.ts) as one JavaScript file, build/grading-worker.mjs, so a restarted
// worker starts with plain `node` instead of compiling the TypeScript of ~150 modules through tsx: after a crash or
// a deploy, that compile was most of the time before grading resumed (6–10 s of the chaos benchmark's recovery on a
// loaded machine). The CPU pool's thread entry (app/.server/cpu/tasks.ts) is bundled the same way, into
// build/cpu-tasks.mjs: every thread of every process that runs from a build (the server, the worker) starts from it
// instead of compiling its modules through tsx again, which cost each restarted worker a second or more of CPU while
// it was already grading. Packages stay external (better-sqlite3 is native; the rest load from node_modules as usual).
//   npx tsx scripts/build-worker.ts   (part of `npm run build`; `npm start` runs it when a bundle is stale)
//   node build/grading-worker.mjs     (then runs the worker as `npx tsx scripts/grading-worker.ts` does)
import { existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const WORKER_BUNDLE = join(ROOT, "build/grading-worker.mjs");
export const CPU_TASKS_BUNDLE = join(ROOT, "build/cpu-tasks.mjs");
const BUNDLES = { "grading-worker": WORKER_BUNDLE, "cpu-tasks": CPU_TASKS_BUNDLE };
const ENTRIES = { "grading-worker": "scripts/grading-worker.ts", "cpu-tasks": "app/.server/cpu/tasks.ts" };
const SOURCES = ["app", "db", "scripts/grading-worker.ts", "package.json", "tsconfig.json"];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when both bundles exist and no source they are built from changed since. */
export function workerBundleFresh(): boolean {
  const paths = Object.values(BUNDLES);
  if (!paths.every((p) => existsSync(p))) return false;
  const built = Math.min(...paths.map((p) => statSync(p).mtimeMs));
  return SOURCES.every((s) => newestMtime(join(ROOT, s)) <= built);
}

/**
 * Builds both bundles into a directory of their own, then renames each into place (the CPU pool's entry first, which
 * the worker loads), so a process starting one never reads half a file.
 */
export async function buildWorker(): Promise<string> {
  const partial = join(ROOT, `build/.bundles-${process.pid}.partial`);
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, src]) => [name, join(ROOT, src)])),
    outdir: partial,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Packages stay external; the app's own aliases (~/, #db/) are bundled (esbuild's `packages: "external"` would
    // take them for packages too).
    plugins: [
      {
        name: "external-packages",
        setup(b) {
          b.onResolve({ filter: /^[^./~#]/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
    tsconfig: join(ROOT, "tsconfig.json"),
    logLevel: "warning",
  });
  // The threads' bundle is dated last: a process refuses a threads' bundle older than its own code (a stale one, left
  // by a bare app build; cpu/pool.ts), and esbuild writes its outputs in no set order.
  const now = new Date();
  utimesSync(join(partial, "cpu-tasks.mjs"), now, now);
  for (const name of ["cpu-tasks", "grading-worker"] as const) renameSync(join(partial, `${name}.mjs`), BUNDLES[name]);
  rmSync(partial, { recursive: true, force: true });
  return WORKER_BUNDLE;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWorker();
  console.log(`[tokenwise] grading worker bundled: ${out} (and its CPU pool threads: ${CPU_TASKS_BUNDLE})`);
}
