import { sql } from "drizzle-orm";
import { progressGrid } from "~/.server/dashboard/grid";
import { openDb } from "~/.server/db";

const database = openDb("bench/.out/org.db");
const s = database.$client;
const admin = { all: true, teamIds: [], departmentIds: [] };
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
t("grid", () => progressGrid(database, admin));
t("team rows", () =>
  s
    .prepare(
      "select t.id, t.name, d.name, count(u.id) from teams t join departments d on d.id=t.department_id left join users u on u.team_id = t.id group by t.id order by d.name, t.name",
    )
    .raw()
    .all(),
);
t("team rows 2", () =>
  s
    .prepare(
      "select t.id, t.name, d.name, (select count(*) from users u where u.team_id = t.id) from teams t join departments d on d.id=t.department_id order by d.name, t.name",
    )
    .raw()
    .all(),
);
t("concat", () =>
  s
    .prepare(
      "select u.team_id, b.exercise_id, sum(b.passed), group_concat(b.best_score) from best_scores b join users u on u.id=b.user_id where b.period='all' and b.period_start=0 group by u.team_id, b.exercise_id",
    )
    .raw()
    .all(),
);
t("no concat count", () =>
  s
    .prepare(
      "select u.team_id, b.exercise_id, sum(b.passed), count(*), sum(b.best_score) from best_scores b join users u on u.id=b.user_id where b.period='all' and b.period_start=0 group by u.team_id, b.exercise_id",
    )
    .raw()
    .all(),
);
t("scan only", () =>
  s
    .prepare("select count(*), sum(b.best_score) from best_scores b where b.period='all' and b.period_start=0")
    .raw()
    .all(),
);
t("scan+join", () =>
  s
    .prepare(
      "select count(*), sum(u.team_id) from best_scores b join users u on u.id=b.user_id where b.period='all' and b.period_start=0",
    )
    .raw()
    .all(),
);
console.log(s.prepare("select sql from sqlite_master where tbl_name='users'").pluck().all());
