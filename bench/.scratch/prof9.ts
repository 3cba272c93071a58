import { openDb } from "~/.server/db";

const database = openDb("bench/.out/org.db");
const s = database.$client;
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
s.exec(
  "create temp table bs2 as select b.*, u.team_id from best_scores b join users u on u.id = b.user_id where b.period = 'all'",
);
s.exec("create index temp.bs2_team on bs2 (period, period_start, team_id, exercise_id, best_score, passed)");
const q = s
  .prepare(
    "select team_id, exercise_id, sum(passed), count(*), group_concat(best_score) from bs2 where period='all' and period_start=0 and team_id is not null group by team_id, exercise_id",
  )
  .raw();
console.log(
  s
    .prepare("explain query plan " + q.source)
    .all()
    .map((r: any) => r.detail),
);
t("team col grid", () => q.all());
const q3 = s
  .prepare(
    "select team_id, exercise_id, sum(passed), count(*), group_concat(best_score) from bs2 where period='all' and period_start=0 and team_id in (select value from json_each(?)) group by team_id, exercise_id",
  )
  .raw();
console.log(
  s
    .prepare("explain query plan " + q3.source)
    .all("[1]")
    .map((r: any) => r.detail),
);
t("team col grid 3", () => q3.all("[1,2,3]"));
