/**
 * Production usage at scale, in two parts.
 *
 * 1. Import: a 5,000,000-row FOCUS CSV (bench/usage-generate.ts) into a fresh database, reporting rows/s and the
 *    process's peak resident memory (target: under 400 MB), next to a same-run baseline: reading and parsing the
 *    first BASELINE_ROWS rows without writing them (the CSV parser and FOCUS mapping alone, the ceiling an import
 *    could reach).
 * 2. Pages: an organisation of 200 teams in 20 departments whose tags the rows carry, 200 attribution rules (one
 *    shared), all history attributed (timed), then every production page's data (showback for an admin, a manager
 *    and a department head over a month, 90 days and odd days; production budgets) from the rollups, against the
 *    same function allocating the raw rows, in the same run: results must be equal and the p95 under 50 ms.
 *
 *   npx tsx bench/usage-scale.ts [--rows N] [--reuse] [--import-only]
 *     --rows N       the file's rows (default 5,000,000; its database is bench/.out/usage-N.db)
 *     --reuse        measure the pages on the database a previous run imported (migrated to the current schema)
 *     --import-only  stop after the import
 *     --base-runs N  runs of each page's raw baseline, the equality check's included (default 3; one takes ~45 s at 1M
 *                    rows on a busy machine)
 */
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { isDeepStrictEqual } from "node:util";
import { type Db, openDb } from "~/.server/db";
import { seedModels } from "~/.server/models";
import { type Scope, viewerScope } from "~/.server/scope";
import { reattributeAll } from "~/.server/usage/fingerprint";
import { importFocusFile } from "~/.server/usage/import-file";
import { productionBudgets } from "~/.server/usage/production-budgets";
import { productionShowback } from "~/.server/usage/production-showback";
import { catalogueTiers, focusReader } from "~/.server/usage/sources";
import { trainingImpact } from "~/.server/usage/training-impact";
import { generateUsage, insertBenchRules, insertBenchTeams, USAGE_TEAMS } from "./usage-generate";

const RSS_TARGET_MB = 400;
/** Runs of each page's data from the rollups (p95 of 100 is the 95th), and of the raw baseline (slow). */
const RUNS = 100;
const baseRunsArg = process.argv.indexOf("--base-runs");
const BASE_RUNS = baseRunsArg > 0 ? Math.max(1, Number(process.argv[baseRunsArg + 1])) : 3;
const BASE_BUDGET_MS = 15_000;
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

const reuse = process.argv.includes("--reuse") && existsSync(DB);
let ok = true;
let database: Db;
if (reuse) {
  database = openDb(DB);
  console.log(
    `[usage-scale] reusing ${DB}: ${(database.$client.prepare("select count(*) from usage_records").pluck().get() as number).toLocaleString("en-US")} rows`,
  );
} else {
  if (!existsSync(CSV)) {
    console.log(`[usage-scale] generating ${ROWS.toLocaleString("en-US")} FOCUS rows into ${CSV}`);
    const t = performance.now();
    await generateUsage(ROWS, CSV);
    console.log(`[usage-scale] generated in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  } else console.log(`[usage-scale] reusing ${CSV}`);
  console.log(`[usage-scale] file: ${(statSync(CSV).size / 1e9).toFixed(2)} GB`);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${DB}${suffix}`, { force: true });
  database = openDb(DB);
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
  ok = summary.status === "done" && summary.rowsBad === 0 && stored === summary.rowsAdded && peak < RSS_TARGET_MB;

  console.log(`[usage-scale] ${summary.message}`);
  console.log(
    `[usage-scale] import: ${summary.rowsRead.toLocaleString("en-US")} rows in ${seconds.toFixed(0)} s = ${Math.round(rate).toLocaleString("en-US")} rows/s; ` +
      `baseline (parse + map, no writes, first ${BASELINE_ROWS.toLocaleString("en-US")} rows): ${Math.round(baselineRate).toLocaleString("en-US")} rows/s (import at ${((rate / baselineRate) * 100).toFixed(0)}% of it)`,
  );
  console.log(
    `[usage-scale] peak RSS ${peak.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB; ${rssBeforeImport.toFixed(0)} MB before the import); ${stored.toLocaleString("en-US")} rows stored, ${summary.rowsSkipped.toLocaleString("en-US")} skipped (not AI)`,
  );
}
if (!process.argv.includes("--import-only")) ok = pages(database) && ok;
database.$client.close();
console.log(ok ? "[usage-scale] PASS" : "[usage-scale] FAIL");
process.exit(ok ? 0 : 1);

/** Part 2: the organisation, the rules, attribution, and every production page's data against the raw rows. */
function pages(database: Db): boolean {
  const s = database.$client;
  const now = new Date(Date.UTC(2026, 3, 1));
  if ((s.prepare("select count(*) from teams where name like 'team-%'").pluck().get() as number) < USAGE_TEAMS) {
    s.transaction(() => {
      insertBenchTeams(s);
      const user = (email: string, role: string) => {
        const id = s
          .prepare("insert into users (email, name, password_hash) values (?, ?, 'x') returning id")
          .pluck()
          .get(email, email) as number;
        s.prepare("insert into user_roles (user_id, role) values (?, ?)").run(id, role);
        return id;
      };
      user("admin@usage-bench.example", "admin");
      const manager = user("manager@usage-bench.example", "manager");
      const head = user("head@usage-bench.example", "learner");
      s.prepare(
        "insert into team_managers (user_id, team_id) select ?, id from teams where name in ('team-000', 'team-007', 'team-123')",
      ).run(manager);
      s.prepare(
        "insert into department_heads (user_id, department_id) select ?, id from departments where name = 'Department 3'",
      ).run(head);
      // Rules: app-0's usage shared by three teams by tokens; then one rule per team tag, except team-199's (unallocated).
      const team = (n: number) =>
        s
          .prepare("select id from teams where name = ?")
          .pluck()
          .get(`team-${String(n).padStart(3, "0")}`) as number;
      insertBenchRules(s, (n) => team(n) as number);
      let budgets = 0;
      for (const id of s
        .prepare("select id from teams where name like 'team-%' order by id limit 50")
        .pluck()
        .all() as number[])
        s.prepare(
          "insert into usage_budgets (scope, scope_id, monthly_limit_micros, warn_percent, updated_at) values ('team', ?, ?, 80, 0)",
        ).run(id, ((budgets++ % 5) + 1) * 2_000_000_000);
    })();
  }
  // 60 of the 200 teams trained on days from 2026-02-02 to 2026-03-02 (each with 4 weeks of usage before and
  // after), so the training impact page computes estimates against a comparison pool, as it would in production.
  s.transaction(() => {
    s.prepare("delete from team_training").run();
    const ids = s.prepare("select id from teams where name like 'team-%' order by id").pluck().all() as number[];
    ids.forEach((id, i) => {
      const trainedAt = i % 10 < 3 ? Date.UTC(2026, 1, 2 + (i % 29)) : null;
      s.prepare("insert into team_training (team_id, trained_at, members, completed) values (?, ?, 10, ?)").run(
        id,
        trainedAt,
        trainedAt === null ? 2 : 6,
      );
    });
  }).immediate();
  const t = performance.now();
  const re = reattributeAll(database);
  console.log(
    `[usage-scale] attributed all history under ${USAGE_TEAMS} rules: ${re.days} days, ${re.months} months in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const one = (email: string) => s.prepare("select id from users where email = ?").pluck().get(email) as number;
  const admin = viewerScope(database, { id: one("admin@usage-bench.example"), roles: ["admin"] });
  const manager = viewerScope(database, { id: one("manager@usage-bench.example"), roles: ["manager"] });
  const head = viewerScope(database, { id: one("head@usage-bench.example"), roles: ["learner"] });
  const days = (from: string, to: string) => ({ from: new Date(`${from}T00:00:00Z`), to: new Date(`${to}T00:00:00Z`) });
  const month = days("2026-03-01", "2026-04-01");
  const show =
    (scope: Scope, period = month) =>
    (source: "rollup" | "records") =>
      productionShowback(database, scope, period, now, source);
  const cases: { name: string; run: (source: "rollup" | "records") => unknown }[] = [
    { name: "showback, March, admin", run: show(admin) },
    { name: `showback, March, manager (${manager.teamIds.length} teams)`, run: show(manager) },
    { name: "showback, March, department head", run: show(head) },
    { name: "showback, 90 days, admin", run: show(admin, days("2026-01-01", "2026-04-01")) },
    { name: "showback, 43 odd days, admin", run: show(admin, days("2026-01-17", "2026-03-01")) },
    { name: "showback, 90 days, manager", run: show(manager, days("2026-01-01", "2026-04-01")) },
    {
      name: "production budgets (50), admin",
      run: (source) => productionBudgets(database, admin, new Date(Date.UTC(2026, 2, 20)), source),
    },
    { name: "training impact, admin", run: (source) => trainingImpact(database, admin, now, source) },
    { name: "training impact, manager", run: (source) => trainingImpact(database, manager, now, source) },
  ];
  const rows = s.prepare("select count(*) from usage_records").pluck().get() as number;
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(", ");
  console.log(
    `[usage-scale] pages over ${rows.toLocaleString("en-US")} usage rows; ${RUNS} runs of each page's data from the rollups, ` +
      `the raw baseline at least ${BASE_RUNS} runs and up to ${BASE_BUDGET_MS / 1000} s; load average ${load()} (1, 5, 15 min)`,
  );
  const time = (fn: () => unknown, runs: number, budgetMs: number, minRuns = runs) => {
    const times: number[] = [];
    const started = performance.now();
    while (times.length < runs && (times.length < minRuns || performance.now() - started < budgetMs)) {
      const t0 = performance.now();
      fn();
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b);
  };
  const pct = (sorted: number[], p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const ms = (x: number) => x.toFixed(1).padStart(8);
  console.log(
    `${"page data".padEnd(40)} ${"median".padStart(8)} ${"p95".padStart(8)} | ${"base med".padStart(8)} ${"base p95".padStart(8)} runs | ratio  result`,
  );
  let failures = 0;
  for (const c of cases) {
    // The equality check's run of the raw query is the baseline's first sample (at 5M rows each takes a minute).
    const b0 = performance.now();
    const raw = c.run("records");
    const first = performance.now() - b0;
    const same = isDeepStrictEqual(JSON.parse(JSON.stringify(c.run("rollup"))), JSON.parse(JSON.stringify(raw)));
    const fast = time(() => c.run("rollup"), RUNS, Number.POSITIVE_INFINITY);
    const base = [first, ...time(() => c.run("records"), RUNS - 1, BASE_BUDGET_MS - first, BASE_RUNS - 1)].sort(
      (a, b) => a - b,
    );
    const p95 = pct(fast, 95);
    const pass = same && p95 < 50;
    if (!pass) failures++;
    console.log(
      `${c.name.padEnd(40)} ${ms(pct(fast, 50))} ${ms(p95)} | ${ms(pct(base, 50))} ${ms(pct(base, 95))} ${String(base.length).padStart(4)} | ${(pct(base, 95) / p95).toFixed(0).padStart(5)}x ${pass ? "PASS" : same ? "FAIL (p95)" : "FAIL (results differ)"}`,
    );
  }
  console.log(`[usage-scale] load average after the pages: ${load()}`);
  return failures === 0;
}
