import { openDb } from "~/.server/db";

const database = openDb("bench/.out/org.db");
const s = database.$client;
const one = <T>(q: string) => s.prepare(q).pluck().get() as T;
const now = new Date(one<number>("select max(created_at) from attempts"));
const month = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1);
function t(name: string, fn: () => unknown) {
  fn();
  const xs: number[] = [];
  for (let i = 0; i < 10; i++) {
    const a = performance.now();
    fn();
    xs.push(performance.now() - a);
  }
  xs.sort((a, b) => a - b);
  console.log(name.padEnd(40), xs[5].toFixed(1), xs[9].toFixed(1));
}
const cellsRaw = s
  .prepare(
    "select department_id, team_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros from ledger_rollup where grain='month' and period_start=?",
  )
  .raw();
t("month cells raw", () => cellsRaw.all(month));
t("month cells raw+agg", () => {
  const rows = cellsRaw.all(month) as any[][];
  const views = [new Map(), new Map(), new Map(), new Map(), new Map()];
  for (const r of rows) {
    const keys = [r[0], r[1], r[2], r[3] + "\u0000" + r[4] + "\u0000" + r[5], r[6]];
    for (let v = 0; v < 5; v++) {
      let acc = views[v].get(keys[v]);
      if (!acc) {
        acc = [0, 0, 0, 0, 0, 0, 0];
        views[v].set(keys[v], acc);
      }
      for (let i = 0; i < 7; i++) acc[i] += r[7 + i];
    }
  }
  return views;
});
const totals = s
  .prepare(
    "select user_id, sum(best_normalised), count(best_normalised) from best_scores where period='all' and period_start=0 group by user_id",
  )
  .raw();
t("totals raw", () => totals.all());
t("users names raw", () => s.prepare("select id, name, team_id from users").raw().all());
t("grid per team-course concat", () =>
  s
    .prepare(
      "select u.team_id, e.course_id, sum(b.passed), count(*), group_concat(b.best_score) from best_scores b join users u on u.id=b.user_id join exercises e on e.id=b.exercise_id where b.period='all' and b.period_start=0 group by u.team_id, e.course_id",
    )
    .raw()
    .all(),
);
t("grid rows raw", () =>
  s
    .prepare(
      "select u.team_id, b.exercise_id, b.best_score, b.passed from best_scores b join users u on u.id=b.user_id where b.period='all' and b.period_start=0",
    )
    .raw()
    .all(),
);
t("grid rows raw users-first", () =>
  s
    .prepare(
      "select u.team_id, b.exercise_id, b.best_score, b.passed from users u cross join best_scores b on b.period='all' and b.period_start=0 and b.user_id=u.id",
    )
    .raw()
    .all(),
);
console.log(
  s
    .prepare(
      "explain query plan select u.team_id, e.course_id, sum(b.passed), count(*), group_concat(b.best_score) from best_scores b join users u on u.id=b.user_id join exercises e on e.id=b.exercise_id where b.period='all' and b.period_start=0 group by u.team_id, e.course_id",
    )
    .all(),
);
console.log(one("select count(*) from users"), one("select count(*) from exercises"));
