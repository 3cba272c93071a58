/**
 * Runs every benchmark in sequence, each in its own process: `npm run bench`, or only those whose file name
 * contains an argument: `npm run bench -- org typing`. Builds the app first when build/ is missing and a browser
 * benchmark is selected (they measure the production build). Exits 1 if any benchmark fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const BENCHMARKS = [
  "bench/tokenizer-node.ts",
  "bench/prompt-checks.ts",
  "bench/judge-offline.ts",
  "bench/typing-browser.ts",
  "bench/bundle-size.ts",
  "bench/grading-throughput.ts",
  "bench/grading-chaos.ts",
  "bench/job-claim.ts",
  // Builds the baseline commit into a temp folder (about 2 minutes), then loads both builds.
  "bench/server-stall.ts",
  // Generates its 1.3 GB organisation on first use (about 90 s), then reuses it.
  "bench/org-scale.ts",
  // Generates its 2.9 GB FOCUS file on first use (about 50 s), then imports it into a fresh database (minutes).
  "bench/usage-scale.ts",
  "bench/capacity.ts",
];
/** Those that measure the production build (the browser benchmarks, and the capacity of the served app). */
const BROWSER = new Set([
  "bench/typing-browser.ts",
  "bench/bundle-size.ts",
  "bench/capacity.ts",
  "bench/server-stall.ts",
]);

const filters = process.argv.slice(2);
const selected = BENCHMARKS.filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
if (selected.length === 0) {
  console.log(`[bench] no benchmark matches ${filters.join(", ")}; they are: ${BENCHMARKS.join(", ")}`);
  process.exit(1);
}

function run(command: string, args: string[]): number {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit" });
  const status = result.status ?? 1;
  console.log(
    `\n[bench] ${[command, ...args].join(" ")}: exit ${status}, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  return status;
}

if (selected.some((file) => BROWSER.has(file)) && !existsSync("build/server/index.js")) {
  console.log("[bench] build/ is missing: building the app");
  if (run("npx", ["remix", "vite:build"]) !== 0) process.exit(1);
}

const failed = selected.filter((file) => {
  console.log(`[bench] ${file}`);
  return run("npx", ["tsx", file]) !== 0;
});
if (failed.length > 0) {
  console.log(`[bench] failed: ${failed.join(", ")}`);
  process.exit(1);
}
console.log(`[bench] all ${selected.length} benchmarks passed`);
