/**
 * The grading worker's claim pass on a database that has graded for a long time: every pass (before each claim, and
 * whenever a job ends) looks for dead owners' leases, for stalled live workers' jobs, claims the next due job and
 * reads when the next one is due. 200,000 finished jobs and 32 open ones; the open jobs' partial index
 * (grading_jobs_open) against the same file without it (the baseline: each of those reads scanned every job ever).
 *
 *   npx tsx bench/job-claim.ts [--done 200000] [--passes 400]
 *
 * Targets: a pass under 1 ms with the index, and its cost independent of the finished jobs (timed on a tenth of them
 * too); every pass claims the open job due first, either way. Figures go to bench/.out/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { done: { type: "string", default: "200000" }, passes: { type: "string", default: "400" } },
});
const DONE = Number(values.done);
const PASSES = Number(values.passes);
const OPEN = 32;
const TARGET_MS = 1;

const dir = mkdtempSync(join(tmpdir(), "tokenwise-job-claim-"));
process.env.DATABASE_PATH = join(dir, "jobs.db");
const { db } = await import("~/.server/db");
const jobs = await import("~/.server/grading/jobs");
const { stalledJobs } = jobs;

/** Fills the table: `done` finished jobs, then OPEN queued ones due in the past (attempts are not needed here). */
function fill(done: number): void {
  const sqlite = db().$client;
  sqlite.exec("delete from grading_jobs");
  sqlite.pragma("foreign_keys = OFF");
  const insert = sqlite.prepare(
    "insert into grading_jobs (attempt_id, stage, tries, next_run_at, fence, created_at) values (?, ?, 1, ?, 1, ?)",
  );
  const now = Date.now();
  sqlite.transaction(() => {
    for (let i = 1; i <= done; i++) insert.run(i, i % 50 === 0 ? "failed" : "scored", now - i * 1000, now - i * 1000);
    for (let i = 1; i <= OPEN; i++) insert.run(done + i, "queued", now - 60_000 + i, now);
  })();
  sqlite.pragma("foreign_keys = ON");
  sqlite.exec("analyze");
}

/** One pass as the worker's loop makes it; the claimed job is handed back (due again now, after the other open jobs). */
function pass(owner: string): number {
  jobs.releaseDeadLeases(db());
  const spare = stalledJobs(db(), 60_000);
  const job = jobs.claimNextJob(db(), { owner, leaseMs: 60_000, running: [], spare });
  if (!job) throw new Error("nothing was claimed");
  jobs.releaseJob(db(), { jobId: job.id, fence: job.fence, owner });
  jobs.nextDueAt(db());
  return job.attemptId;
}

/** The open job due first, by a plain read of the whole table (what the claim must take). */
function dueFirst(): number {
  const now = Date.now();
  const row = db()
    .$client.prepare(
      `select attempt_id as id from grading_jobs where stage not in ('scored', 'failed') and next_run_at <= ?
         and (lease_until is null or lease_until < ?) order by next_run_at, id limit 1`,
    )
    .get(now, now) as { id: number };
  return row.id;
}

function measure(label: string): { label: string; msPerPass: number; wrongClaims: number } {
  const owner = `bench:${process.pid}:0`;
  // Untimed: each pass must claim the job due first (a job released is due again now, after the others).
  let wrongClaims = 0;
  for (let i = 0; i < 50; i++) if (dueFirst() !== pass(owner)) wrongClaims++;
  const start = process.cpuUsage();
  for (let i = 0; i < PASSES; i++) pass(owner);
  const used = process.cpuUsage(start);
  return { label, msPerPass: (used.user + used.system) / 1000 / PASSES, wrongClaims };
}

const hasIndex = () =>
  db().$client.prepare("select 1 from sqlite_master where type = 'index' and name = 'grading_jobs_open'").get() !==
  undefined;
const INDEX_SQL =
  "create index grading_jobs_open on grading_jobs (next_run_at) where stage not in ('scored', 'failed')";

const rows: ReturnType<typeof measure>[] = [];
try {
  if (!hasIndex()) throw new Error("the migrations did not create grading_jobs_open");
  for (const done of [Math.round(DONE / 10), DONE]) {
    fill(done);
    rows.push(measure(`${done} finished, open-jobs index`));
    db().$client.exec("drop index grading_jobs_open");
    fill(done);
    rows.push(measure(`${done} finished, no index (baseline)`));
    db().$client.exec(INDEX_SQL);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `Grading worker's claim pass (dead owners, stalled jobs, claim, next due): ${PASSES} passes each, ${OPEN} open jobs.`,
);
console.log(`Machine: ${cpus().length} cores, load average ${loadavg()[0].toFixed(2)} (shared).\n`);
console.log("| table | CPU ms per pass |\n| --- | ---: |");
for (const r of rows) console.log(`| ${r.label} | ${r.msPerPass.toFixed(3)} |`);

const [smallIdx, smallScan, bigIdx, bigScan] = rows;
const checks = [
  [`a pass under ${TARGET_MS} ms with the index: ${bigIdx.msPerPass.toFixed(3)} ms`, bigIdx.msPerPass < TARGET_MS],
  [
    `with the index, 10× the finished jobs costs < 2× per pass: ×${(bigIdx.msPerPass / smallIdx.msPerPass).toFixed(2)} (without: ×${(bigScan.msPerPass / smallScan.msPerPass).toFixed(2)})`,
    bigIdx.msPerPass < 2 * smallIdx.msPerPass,
  ],
  ["every pass claims the open job due first, with or without the index", rows.every((r) => r.wrongClaims === 0)],
] as const;
for (const [what, ok] of checks) console.log(`${ok ? "PASS" : "FAIL"}  ${what}`);
console.log(
  `\nvs baseline at ${DONE} finished: ×${(bigScan.msPerPass / bigIdx.msPerPass).toFixed(1)} less CPU per pass`,
);

mkdirSync("bench/.out", { recursive: true });
writeFileSync(
  `bench/.out/job-claim-${new Date().toISOString().replace(/[:.]/g, "-")}.json`,
  JSON.stringify({
    done: DONE,
    passes: PASSES,
    rows,
  }),
);
const ok = checks.every(([, pass]) => pass);
console.log(`\nRESULT: ${ok ? "PASS" : "FAIL"}`);
process.exit(ok ? 0 : 1);
