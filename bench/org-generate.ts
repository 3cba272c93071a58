/**
 * Generates the synthetic organisation of the dashboard/showback benchmark (bench/org-scale.ts) into a SQLite
 * file: 25 departments, 500 teams, 10,000 learners (about 20 per team), 1,000,000 attempts over the last 12
 * months (about 60% passing) and 5,000,000 ledger rows (5 model calls per attempt, tagged with user, team,
 * department, course, exercise and attempt). Seeded, so every run produces the same organisation.
 *
 *   npx tsx bench/org-generate.ts [path]      # default bench/.out/org.db; reused when its counts are right
 *
 * Raw prepared inserts in large transactions with the journal and fsync off: about a minute on 2 cores.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { config } from "~/.server/config";
import { syncContent } from "~/.server/content";
import { rebuildRollups } from "~/.server/dashboard/rollup";
import { type Db, openDb } from "~/.server/db";
import { seedModels } from "~/.server/models";

export const ORG = {
  departments: 25,
  teams: 500,
  learners: 10_000,
  attempts: 1_000_000,
  callsPerAttempt: 5,
  months: 12,
  /** Teams each benchmark manager manages. */
  managerTeams: 3,
} as const;

export const DEFAULT_PATH = "bench/.out/org.db";
const DAY = 24 * 3600 * 1000;
const TRIGGERS = "db/migrations/0006_ledger_rollup_triggers.sql";

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function counts(path: string) {
  const db = openDb(path);
  const one = (sql: string) => (db.$client.prepare(sql).pluck().get() as number) ?? 0;
  const out = {
    users: one("select count(*) from users where email like '%@org.example'"),
    teams: one("select count(*) from teams"),
    attempts: one("select count(*) from attempts"),
    calls: one("select count(*) from model_calls"),
  };
  db.$client.close();
  return out;
}

export function isGenerated(path: string): boolean {
  if (!existsSync(path)) return false;
  const c = counts(path);
  return (
    c.users === ORG.learners &&
    c.teams === ORG.teams &&
    c.attempts === ORG.attempts &&
    c.calls === ORG.attempts * ORG.callsPerAttempt
  );
}

/** A monthly budget for every team and department (the showback page shows their status). */
export function ensureBudgets(db: Db): void {
  db.$client.exec(`
    insert or ignore into budgets (scope, scope_id, monthly_limit_micros, warn_percent)
      select 'team', id, 400000000 + (id % 7) * 50000000, 80 from teams;
    insert or ignore into budgets (scope, scope_id, monthly_limit_micros, warn_percent)
      select 'department', id, 8000000000, 80 from departments;`);
}

export function generate(path: string, now = new Date()): void {
  const started = Date.now();
  const step = (what: string) => console.log(`[org] ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
  const db = openDb(path);
  syncContent(db, config().EXERCISES_DIR);
  seedModels(db, config().MODELS_FILE);
  const s = db.$client;
  // The ledger rollup's insert trigger is dropped for the bulk load; the rollup is rebuilt in one pass after it.
  s.exec("drop trigger ledger_rollup_insert");
  s.pragma("journal_mode = OFF");
  s.pragma("synchronous = OFF");
  s.pragma("foreign_keys = OFF");
  s.pragma("cache_size = -400000");
  const random = rng(20260318);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];

  const exercises = s
    .prepare(
      `select e.id, e.course_id as courseId, e.current_version_id as versionId,
              json_extract(v.content, '$.model') as model
         from exercises e join exercise_versions v on v.id = e.current_version_id where e.status = 'published'`,
    )
    .all() as { id: number; courseId: number; versionId: number; model: string }[];
  const models = s
    .prepare(
      "select id, provider, tier, input_micros_per_m as inP, cached_input_micros_per_m as cP, output_micros_per_m as outP, price_as_of as asOf from models",
    )
    .all() as { id: string; provider: string; tier: string; inP: number; cP: number; outP: number; asOf: string }[];
  const judge = models.find((m) => m.id === "gpt-4.1-mini") ?? models[0];
  const modelById = new Map(models.map((m) => [m.id, m]));

  // Organisation: departments, teams, learners (10–30 per team, 10,000 in all), managers, an admin.
  const teamOf: number[] = []; // userId → teamId
  const deptOf = new Map<number, number>(); // teamId → departmentId
  s.transaction(() => {
    const dept = s.prepare("insert into departments (name, cost_centre) values (?, ?)");
    const team = s.prepare("insert into teams (name, department_id) values (?, ?)");
    for (let d = 1; d <= ORG.departments; d++) dept.run(`Department ${d}`, `CC-${1000 + d}`);
    for (let t = 1; t <= ORG.teams; t++) {
      const departmentId = 1 + ((t - 1) % ORG.departments);
      team.run(`Team ${t}`, departmentId);
      deptOf.set(t, departmentId);
    }
    const user = s.prepare("insert into users (email, name, password_hash, team_id) values (?, ?, 'x', ?)");
    const role = s.prepare("insert into user_roles (user_id, role) values (?, ?)");
    // Team sizes 10–30 that sum to 10,000: pairs of teams share 40 seats unevenly.
    const sizes: number[] = [];
    for (let t = 0; t < ORG.teams; t += 2) {
      const a = 10 + Math.floor(random() * 21);
      sizes.push(a, 40 - a);
    }
    let n = 0;
    sizes.forEach((size, i) => {
      for (let k = 0; k < size; k++) {
        n++;
        const id = Number(user.run(`learner${n}@org.example`, `Learner ${n}`, i + 1).lastInsertRowid);
        role.run(id, "learner");
        teamOf[id] = i + 1;
      }
    });
    // One manager per 3 consecutive teams, and one admin.
    const link = s.prepare("insert into team_managers (user_id, team_id) values (?, ?)");
    for (let t = 1; t <= ORG.teams; t += ORG.managerTeams) {
      const id = Number(user.run(`manager${t}@bench.example`, `Manager ${t}`, t).lastInsertRowid);
      role.run(id, "manager");
      for (let k = t; k < t + ORG.managerTeams && k <= ORG.teams; k++) link.run(id, k);
    }
    const admin = Number(user.run("admin@bench.example", "Bench Admin", null).lastInsertRowid);
    role.run(admin, "admin");
  })();
  step(`${ORG.teams} teams, ${ORG.learners} learners`);

  // Activity is skewed: a learner's weight is u^3, so a few heavy users make many attempts and some make none.
  const learnerIds = teamOf.flatMap((team, id) => (team ? [id] : []));
  const weights = learnerIds.map(() => random() ** 3);
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => {
    cumulative[i] = sum + w;
    return cumulative[i];
  }, 0);
  const totalWeight = cumulative[cumulative.length - 1];
  const drawLearner = () => {
    const x = random() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return learnerIds[lo];
  };

  const insertAttempt = s.prepare(
    `insert into attempts (user_id, team_id, exercise_id, exercise_version_id, model_id, prompt, status, judge, passed,
       score, quality, efficiency, prompt_tokens, baseline_tokens, cost_per_call_micros, baseline_cost_per_call_micros,
       monthly_cost_micros, baseline_monthly_cost_micros, error, created_at, graded_at)
     values (?, ?, ?, ?, ?, 'synthetic prompt', ?, 'offline-judge@1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCall = s.prepare(
    `insert into model_calls (created_at, provider, model, tier, purpose, input_tokens, cached_input_tokens,
       output_tokens, input_micros_per_m, cached_input_micros_per_m, output_micros_per_m, price_as_of, cost_micros,
       saved_micros, latency_ms, status, cache_hit, user_id, team_id, department_id, course_id, exercise_id, attempt_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const cost = (m: (typeof models)[number], input: number, output: number) =>
    Math.round((input * m.inP + output * m.outP) / 1_000_000);

  // Attempts in time order (ids grow with time, as in production) over the last 12 months.
  const end = now.getTime() - 60_000;
  const span = ORG.months * 30 * DAY;
  const BATCH = 50_000;
  for (let done = 0; done < ORG.attempts; done += BATCH) {
    s.transaction(() => {
      for (let i = done; i < done + BATCH && i < ORG.attempts; i++) {
        const at = end - span + Math.floor(((i + random()) / ORG.attempts) * span);
        const userId = drawLearner();
        const teamId = teamOf[userId];
        const ex = pick(exercises);
        const model = random() < 0.6 ? (modelById.get(ex.model) ?? pick(models)) : pick(models);
        const failed = random() < 0.03;
        const passed = !failed && random() < 0.62;
        const score = failed ? null : passed ? 600 + Math.floor(random() * 401) : Math.floor(random() * 600);
        const promptTokens = 80 + Math.floor(random() * 400);
        const baselineTokens = 300 + Math.floor(random() * 500);
        const perCall = cost(model, promptTokens + 200, 150);
        const basePerCall = cost(model, baselineTokens + 200, 150);
        const volume = 1_000_000;
        const attemptId = Number(
          insertAttempt.run(
            userId,
            teamId,
            ex.id,
            ex.versionId,
            model.id,
            failed ? "failed" : "scored",
            failed ? null : passed ? 1 : 0,
            score,
            score === null ? null : Math.round(score / 10),
            score === null ? null : 50,
            promptTokens,
            baselineTokens,
            perCall,
            basePerCall,
            perCall * volume,
            basePerCall * volume,
            failed ? "provider error" : null,
            at,
            at + 1500,
          ).lastInsertRowid,
        );
        // 5 calls: 2 targets, 2 judges, and a fifth that is a preview (authoring) or a third target.
        for (let c = 0; c < ORG.callsPerAttempt; c++) {
          const purpose = c < 2 ? "target" : c < 4 ? "judge" : random() < 0.3 ? "preview" : "target";
          const m = purpose === "judge" ? judge : model;
          const input = purpose === "judge" ? 900 + Math.floor(random() * 600) : promptTokens + 200;
          const output = purpose === "judge" ? 120 + Math.floor(random() * 200) : 50 + Math.floor(random() * 300);
          const hit = random() < 0.15;
          const full = cost(m, input, output);
          insertCall.run(
            at + c * 700,
            m.provider,
            m.id,
            m.tier,
            purpose,
            input,
            0,
            output,
            m.inP,
            m.cP,
            m.outP,
            m.asOf,
            hit ? 0 : full,
            hit ? full : 0,
            hit ? 2 : 300 + random() * 2000,
            hit ? 1 : 0,
            userId,
            teamId,
            deptOf.get(teamId) ?? null,
            ex.courseId,
            ex.id,
            attemptId,
          );
        }
      }
    })();
    if ((done + BATCH) % 200_000 === 0) step(`${done + BATCH} attempts, ${(done + BATCH) * 5} ledger rows`);
  }
  step("rollups");
  rebuildRollups(db);
  const [insertTrigger, , , ...backfills] = readFileSync(TRIGGERS, "utf8").split("--> statement-breakpoint");
  s.exec("delete from ledger_rollup");
  for (const backfill of backfills) s.exec(backfill);
  s.exec(insertTrigger);
  ensureBudgets(db);
  step("done");
  s.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2] ?? DEFAULT_PATH;
  if (isGenerated(path)) console.log(`[org] ${path} already holds the organisation: reused`);
  else generate(path);
}
