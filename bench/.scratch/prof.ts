import { progressGrid } from "~/.server/dashboard/grid";
import { rolledUpTotals } from "~/.server/dashboard/rollup";
import { openDb } from "~/.server/db";
import { rolledUpCells, rolledUpSpend } from "~/.server/finops/rollup";
import { viewerScope } from "~/.server/scope";

const database = openDb("bench/.out/org.db");
const s = database.$client;
const one = <T>(q: string) => s.prepare(q).pluck().get() as T;
const now = new Date(one<number>("select max(created_at) from attempts"));
const adminId = one<number>("select id from users where email = 'admin@bench.example'");
const admin = viewerScope(database, { id: adminId, roles: ["admin"] });
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
t("rolledUpTotals all", () => rolledUpTotals(database, "all", now));
t("rolledUpTotals month", () => rolledUpTotals(database, "month", now));
t("raw totals all", () =>
  s
    .prepare(
      "select user_id, sum(best_normalised), count(best_normalised) from best_scores where period='all' and period_start=0 group by user_id",
    )
    .raw()
    .all(),
);
t("raw members 3 ints", () =>
  s.prepare("select u.id, u.team_id, t.department_id from users u left join teams t on t.id=u.team_id").raw().all(),
);
t("raw members names", () =>
  s
    .prepare(
      "select u.id, u.name, u.team_id, t.name, d.id, d.name, d.cost_centre from users u left join teams t on t.id=u.team_id left join departments d on d.id = t.department_id",
    )
    .all(),
);
t("spend team all", () => rolledUpSpend(database, "team", null));
const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
const monthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
for (const g of ["cell", "department", "team", "course", "model", "purpose"] as const)
  t(`cells ${g}`, () => rolledUpCells(database, admin, { from: month, to: monthEnd }, g));
console.log(
  "month rows",
  one("select count(*) from ledger_rollup where grain='month' and period_start=" + month.getTime()),
);
console.log("best_scores all rows", one("select count(*) from best_scores where period='all'"));
t("admin grid", () => progressGrid(database, admin));
t("grid bests raw", () =>
  s
    .prepare(
      "select u.team_id, b.exercise_id, sum(b.passed), group_concat(b.best_score) from best_scores b join users u on u.id=b.user_id where b.period='all' and b.period_start=0 group by u.team_id, b.exercise_id",
    )
    .raw()
    .all(),
);
