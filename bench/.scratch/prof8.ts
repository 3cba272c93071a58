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
const ex = s
  .prepare("select course_id, group_concat(id) from exercises where status='published' group by course_id")
  .raw()
  .all() as [number, string][];
console.log(ex);
const cols = ex
  .map(
    ([c, ids]) =>
      `sum(case when b.exercise_id in (${ids}) then b.passed end), count(case when b.exercise_id in (${ids}) then 1 end), group_concat(case when b.exercise_id in (${ids}) then b.best_score end)`,
  )
  .join(", ");
const q = `select u.team_id, ${cols} from users u indexed by users_team cross join best_scores b on b.period='all' and b.period_start=0 and b.user_id = u.id where u.team_id is not null group by u.team_id`;
console.log(
  s
    .prepare("explain query plan " + q)
    .all()
    .map((r: any) => r.detail),
);
t("cond agg", () => s.prepare(q).raw().all());
const q2 = `select u.team_id, ${cols} from users u indexed by users_team cross join best_scores b on b.period='all' and b.period_start=0 and b.user_id = u.id where u.team_id in (select value from json_each(?)) group by u.team_id`;
console.log(
  s
    .prepare("explain query plan " + q2)
    .all("[1]")
    .map((r: any) => r.detail),
);
t("cond agg scoped 3", () => s.prepare(q2).raw().all("[1,2,3]"));
const rows = s.prepare(q).raw().all() as any[][];
t("parse+median", () =>
  rows.map((r) => {
    const out = [];
    for (let i = 0; i < ex.length; i++) {
      const str = r[3 + i * 3] as string | null;
      const xs = str
        ? str
            .split(",")
            .map(Number)
            .sort((a, b) => a - b)
        : [];
      out.push(xs[xs.length >> 1]);
    }
    return out;
  }),
);
const perCourse = ex.map(([c, ids]) =>
  s
    .prepare(
      `select u.team_id, sum(b.passed), count(*), group_concat(b.best_score) from users u indexed by users_team cross join best_scores b on b.period='all' and b.period_start=0 and b.user_id = u.id and b.exercise_id in (${ids}) where u.team_id is not null group by u.team_id`,
    )
    .raw(),
);
console.log(
  s
    .prepare("explain query plan " + perCourse[0].source)
    .all()
    .map((r: any) => r.detail),
);
t("per course streaming", () => perCourse.map((q) => q.all()));
const perCourse2 = ex.map(([c, ids]) =>
  s
    .prepare(
      `select u.team_id, sum(b.passed), count(*), group_concat(b.best_score) from users u indexed by users_team cross join best_scores b on b.period='all' and b.period_start=0 and b.user_id = u.id and +b.exercise_id in (${ids}) where u.team_id is not null group by u.team_id`,
    )
    .raw(),
);
console.log(
  s
    .prepare("explain query plan " + perCourse2[0].source)
    .all()
    .map((r: any) => r.detail),
);
t("per course streaming filter", () => perCourse2.map((q) => q.all()));
