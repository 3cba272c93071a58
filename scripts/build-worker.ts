// The grading worker (scripts/grading-worker.ts) as one JavaScript file, build/grading-worker.mjs, so a restarted
// worker starts with plain `node` instead of compiling the TypeScript of ~150 modules through tsx: after a crash or
// a deploy, that compile was most of the time before grading resumed (6–10 s of the chaos benchmark's recovery on a
// loaded machine). Packages stay external (better-sqlite3 is native; the rest load from node_modules as usual).
//   npx tsx scripts/build-worker.ts   (part of `npm run build`)
//   node build/grading-worker.mjs     (then runs the worker as `npx tsx scripts/grading-worker.ts` does)
import { existsSync, readdirSync, renameSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const WORKER_BUNDLE = join(ROOT, "build/grading-worker.mjs");
const SOURCES = ["app", "db", "scripts/grading-worker.ts", "package.json", "tsconfig.json"];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when the bundle exists and no source it is built from changed since. */
export function workerBundleFresh(): boolean {
  if (!existsSync(WORKER_BUNDLE)) return false;
  const built = statSync(WORKER_BUNDLE).mtimeMs;
  return SOURCES.every((s) => newestMtime(join(ROOT, s)) <= built);
}

/** Builds the bundle; written beside it, then renamed, so a process starting it never reads half a file. */
export async function buildWorker(): Promise<string> {
  const partial = `${WORKER_BUNDLE}.${process.pid}.partial`;
  await build({
    entryPoints: [join(ROOT, "scripts/grading-worker.ts")],
    outfile: partial,
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
  renameSync(partial, WORKER_BUNDLE);
  return WORKER_BUNDLE;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWorker();
  console.log(`[tokenwise] grading worker bundled: ${out}`);
}
