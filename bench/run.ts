/**
 * Runs every benchmark in sequence, each in its own process: `npm run bench`. Builds the app first when build/ is
 * missing (the browser benchmarks measure the production build). Exits 1 if any benchmark fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const BENCHMARKS = [
  "bench/tokenizer-node.ts",
  "bench/typing-browser.ts",
  "bench/bundle-size.ts",
  "bench/grading-throughput.ts",
];

function run(command: string, args: string[]): number {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit" });
  const status = result.status ?? 1;
  console.log(
    `\n[bench] ${[command, ...args].join(" ")}: exit ${status}, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  return status;
}

if (!existsSync("build/server/index.js")) {
  console.log("[bench] build/ is missing: building the app");
  if (run("npx", ["remix", "vite:build"]) !== 0) process.exit(1);
}

const failed = BENCHMARKS.filter((file) => {
  console.log(`[bench] ${file}`);
  return run("npx", ["tsx", file]) !== 0;
});
if (failed.length > 0) {
  console.log(`[bench] failed: ${failed.join(", ")}`);
  process.exit(1);
}
console.log(`[bench] all ${BENCHMARKS.length} benchmarks passed`);
