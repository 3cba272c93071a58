/**
 * Production usage at scale: imports a 5,000,000-row FOCUS CSV (bench/usage-generate.ts) into a fresh database and
 * reports rows/s and the process's peak resident memory (target: under 400 MB), next to a same-run baseline:
 * reading and parsing the first BASELINE_ROWS rows without writing them (the CSV parser and FOCUS mapping alone,
 * the ceiling an import could reach).
 *
 *   npx tsx bench/usage-scale.ts [--rows N]     # default 5,000,000; the CSV is generated once and reused
 */
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { openDb } from "~/.server/db";
import { seedModels } from "~/.server/models";
import { importFocusFile } from "~/.server/usage/import-file";
import { catalogueTiers, focusReader } from "~/.server/usage/sources";
import { generateUsage } from "./usage-generate";

const RSS_TARGET_MB = 400;
const BASELINE_ROWS = 500_000;

const rowsArg = process.argv.indexOf("--rows");
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 5_000_000;
const CSV = `bench/.out/usage-focus-${ROWS}.csv`;
const DB = `bench/.out/usage-${ROWS}.db`;

/** The peak resident set of this process so far (Linux VmHWM), in MB. */
function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 1024 / 1024;
}

if (!existsSync(CSV)) {
  console.log(`[usage-scale] generating ${ROWS.toLocaleString("en-US")} FOCUS rows into ${CSV}`);
  const t = performance.now();
  await generateUsage(ROWS, CSV);
  console.log(`[usage-scale] generated in ${((performance.now() - t) / 1000).toFixed(0)} s`);
} else console.log(`[usage-scale] reusing ${CSV}`);
console.log(`[usage-scale] file: ${(statSync(CSV).size / 1e9).toFixed(2)} GB`);

for (const suffix of ["", "-wal", "-shm"]) rmSync(`${DB}${suffix}`, { force: true });
const database = openDb(DB);
seedModels(database, "db/models.yaml");

// Baseline: parse and map the first rows, writing nothing.
const reader = focusReader(CSV, "csv", catalogueTiers(database));
let parsed = 0;
const b0 = performance.now();
for await (const item of reader.items()) {
  if (item.kind === "bad") throw new Error(`baseline: bad row ${item.at}: ${item.message}`);
  if (++parsed >= BASELINE_ROWS) break;
}
const baselineRate = parsed / ((performance.now() - b0) / 1000);
const rssBeforeImport = peakRssMb();

let lastPrint = 0;
const t0 = performance.now();
const summary = await importFocusFile(database, CSV, "usage-focus.csv", {
  policy: "keep",
  onProgress: (p) => {
    if (performance.now() - lastPrint < 15_000) return;
    lastPrint = performance.now();
    const s = (lastPrint - t0) / 1000;
    console.log(
      `[usage-scale]   ${p.rowsRead.toLocaleString("en-US")} rows, ${Math.round(p.rowsRead / s).toLocaleString("en-US")} rows/s, RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
    );
  },
});
const seconds = (performance.now() - t0) / 1000;
const rate = summary.rowsRead / seconds;
const peak = peakRssMb();
const stored = database.$client.prepare("select count(*) from usage_records").pluck().get() as number;
const ok = summary.status === "done" && summary.rowsBad === 0 && stored === summary.rowsAdded && peak < RSS_TARGET_MB;

console.log(`[usage-scale] ${summary.message}`);
console.log(
  `[usage-scale] import: ${summary.rowsRead.toLocaleString("en-US")} rows in ${seconds.toFixed(0)} s = ${Math.round(rate).toLocaleString("en-US")} rows/s; ` +
    `baseline (parse + map, no writes, first ${BASELINE_ROWS.toLocaleString("en-US")} rows): ${Math.round(baselineRate).toLocaleString("en-US")} rows/s (import at ${((rate / baselineRate) * 100).toFixed(0)}% of it)`,
);
console.log(
  `[usage-scale] peak RSS ${peak.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB; ${rssBeforeImport.toFixed(0)} MB before the import); ${stored.toLocaleString("en-US")} rows stored, ${summary.rowsSkipped.toLocaleString("en-US")} skipped (not AI)`,
);
database.$client.close();
console.log(ok ? "[usage-scale] PASS" : "[usage-scale] FAIL");
process.exit(ok ? 0 : 1);
