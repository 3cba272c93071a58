/**
 * What saving an attribution rule does to the server's event loop on a large production history, the old way and the
 * new, in the same run.
 *
 * - before: the rule's save attributes all of history inside the request (saveRule, then reattributeAll: what
 *   saveRule did until 2026-12-06);
 * - after: the save marks history and answers; the background run (usage/reattribution.ts) attributes it in slices.
 *
 * Over each save, from the request until the figures are final, it records the event-loop delay (a 10 ms timer's
 * lateness at each tick: how long a request arriving then would wait for the server) and prints p50, p95 and max, the request's own time and the time to final figures; then it checks that the background run left the rollups
 * deep-equal to attributing everything in one go. The modes alternate (before, after, before, after) so the machine's
 * load weighs on both alike.
 *
 *   npx tsx bench/rule-save-stall.ts [--rows N]   (default 300,000 rows; the CSV and database are in bench/.out,
 *                                                  shared with bench/usage-scale.ts --rows N)
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { isDeepStrictEqual } from "node:util";
import { type Db, openDb } from "~/.server/db";
import { seedModels } from "~/.server/models";
import { reattributeAll } from "~/.server/usage/fingerprint";
import { importFocusFile } from "~/.server/usage/import-file";
import { reattribute, reattributionSettled } from "~/.server/usage/reattribution";
import { ROLLUP_TABLES } from "~/.server/usage/rollup-tables";
import { type RuleInput, saveRule } from "~/.server/usage/rules";
import { generateUsage, insertBenchRules, insertBenchTeams } from "./usage-generate";

const rowsArg = process.argv.indexOf("--rows");
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 300_000;
const CSV = `bench/.out/usage-focus-${ROWS}.csv`;
const DB = `bench/.out/usage-${ROWS}.db`;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(", ");

const database = openDb(DB);
const s = database.$client;
if ((s.prepare("select count(*) from usage_records").pluck().get() as number) === 0) {
  if (!existsSync(CSV)) await generateUsage(ROWS, CSV);
  seedModels(database, "db/models.yaml");
  const t = performance.now();
  const summary = await importFocusFile(database, CSV, "usage-focus.csv", { policy: "keep" });
  console.log(`[rule-save-stall] ${summary.message} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
}
const { adminId, teamA, teamB } = organisation(database);
reattributeAll(database);

const count = (q: string) => (s.prepare(q).pluck().get() as number).toLocaleString("en-US");
console.log(
  `[rule-save-stall] ${count("select count(*) from usage_records")} usage rows, ${count("select count(*) from usage_dim_daily")} day × dimension rows, ${count("select count(distinct day) from usage_dim_daily")} days, ${count("select count(*) from usage_rules")} rules; load average ${load()} (1, 5, 15 min)`,
);

// Each save moves the shared application's usage (app-0) between two teams, so every run has something to change.
const ruleId = s.prepare("select id from usage_rules where value = 'app=app-0'").pluck().get() as number;
let toggle = false;
const nextRule = (): RuleInput => {
  toggle = !toggle;
  return {
    field: "tag",
    match: "is",
    value: "app=app-0",
    targetKind: "team",
    teamId: toggle ? teamA : teamB,
    sharedTeamIds: [],
  };
};

const ms = (x: number) => x.toFixed(0).padStart(7);
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** A 10 ms timer's lateness at each tick, sorted, until stopped. */
function loopProbe() {
  const delays: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    delays.push(Math.max(0, now - last - 10));
    last = now;
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return delays.sort((a, b) => a - b);
    },
  };
}
console.log(
  `${"mode".padEnd(8)} ${"request".padStart(9)} ${"final".padStart(9)} | loop delay ms: ${"p50".padStart(7)} ${"p95".padStart(7)} ${"max".padStart(7)}`,
);
let equal = true;
for (const mode of ["before", "after", "before", "after"] as const) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const probe = loopProbe();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const t0 = performance.now();
  if (mode === "before") {
    saveRule(database, nextRule(), adminId, ruleId);
    reattributeAll(database);
  } else {
    saveRule(database, nextRule(), adminId, ruleId);
    void reattribute(database);
  }
  const request = performance.now() - t0;
  await reattributionSettled(database);
  const final = performance.now() - t0;
  // The probe's next tick measures the last stretch (a blocked loop is only measured when it turns again).
  await new Promise((resolve) => setTimeout(resolve, 30));
  const delays = probe.stop();
  console.log(
    `${mode.padEnd(8)} ${`${request.toFixed(0)} ms`.padStart(9)} ${`${final.toFixed(0)} ms`.padStart(9)} |                ${ms(pct(delays, 50))} ${ms(pct(delays, 95))} ${ms(delays[delays.length - 1])}`,
  );
  if (mode === "after") {
    const background = snapshot(database);
    reattributeAll(database);
    const same = isDeepStrictEqual(snapshot(database), background);
    if (!same) equal = false;
    console.log(`         background run's rollups ${same ? "equal" : "DIFFER FROM"} attributing in one go`);
  }
}
console.log(`[rule-save-stall] load average after: ${load()}`);
s.close();
console.log(equal ? "[rule-save-stall] PASS" : "[rule-save-stall] FAIL");
process.exit(equal ? 0 : 1);

function snapshot(database: Db) {
  return ROLLUP_TABLES.map((t) =>
    database.$client.prepare(`select * from ${t} order by 1, 2, 3, 4, 5, 6, 7, 8`).raw().all(),
  );
}

/** bench/usage-scale.ts's organisation when it is not there yet: 200 teams in 20 departments, a rule per team tag. */
function organisation(database: Db) {
  const s = database.$client;
  const team = (n: number) =>
    s
      .prepare("select id from teams where name = ?")
      .pluck()
      .get(`team-${String(n).padStart(3, "0")}`) as number | undefined;
  if (team(0) === undefined)
    s.transaction(() => {
      insertBenchTeams(s);
      s.prepare(
        "insert into users (email, name, password_hash) values ('admin@usage-bench.example', 'admin', 'x') on conflict do nothing",
      ).run();
      insertBenchRules(s, (n) => team(n) as number);
    })();
  const adminId = s.prepare("select id from users where email = 'admin@usage-bench.example'").pluck().get() as number;
  return { adminId, teamA: team(5) as number, teamB: team(6) as number };
}
