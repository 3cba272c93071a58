import { sql } from "drizzle-orm";
import { learnerBoard } from "~/.server/dashboard/leaderboards";
import { rolledUpTotals } from "~/.server/dashboard/rollup";
import { openDb } from "~/.server/db";
import { budgetBoard } from "~/.server/finops/budget-board";
import { rolledUpCells } from "~/.server/finops/rollup";
import { namesFor } from "~/.server/finops/showback";

const database = openDb("bench/.out/org.db");
const s = database.$client;
const one = <T>(q: string) => s.prepare(q).pluck().get() as T;
const now = new Date(one<number>("select max(created_at) from attempts"));
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
t("totals all", () => rolledUpTotals(database, "all", now));
t("learner board all", () => learnerBoard(database, { window: "all", now }));
const names = database.values<[number, string]>(sql`select id, name from users`);
const coll = new Intl.Collator();
t("sort 10k names collator", () => [...names].sort((a, b) => coll.compare(a[1], b[1])));
t("sort 10k names <", () => [...names].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)));
const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
const monthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
for (const g of ["department", "team", "course", "model", "purpose"] as const)
  t(`cells ${g}`, () => rolledUpCells(database, admin, { from: month, to: monthEnd }, g));
t("budgets", () => budgetBoard(database, admin, now));
const cells = rolledUpCells(database, admin, { from: month, to: monthEnd }, "team")!;
t("names", () => namesFor(database, cells));
