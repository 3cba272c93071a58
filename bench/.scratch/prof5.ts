import { sql } from "drizzle-orm";
import { learnerTotals } from "~/.server/dashboard/leaderboards";
import { openDb } from "~/.server/db";

const database = openDb("bench/.out/org.db");
const now = new Date(database.$client.prepare("select max(created_at) from attempts").pluck().get() as number);
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
const totals = learnerTotals(database, "all", now);
const users = database.values<[number, string, number | null]>(sql`select id, name, team_id from users`);
t("users values", () => database.values(sql`select id, name, team_id from users`));
const rows = users
  .filter(([id]) => totals.has(id))
  .map(([userId, name, teamId]) => ({
    userId,
    name,
    teamId,
    team: "x",
    department: "y",
    total: totals.get(userId)!.total,
    passed: 1,
  }));
console.log(rows.length, new Set(rows.map((r) => r.total)).size);
const byName = new Intl.Collator();
t("sort total+collator", () =>
  [...rows].sort((a, b) => b.total - a.total || byName.compare(a.name, b.name) || a.userId - b.userId),
);
t("sort total only", () => [...rows].sort((a, b) => b.total - a.total || a.userId - b.userId));
t("build rows", () =>
  users
    .filter(([id]) => totals.has(id))
    .map(([userId, name, teamId]) => ({
      userId,
      name,
      teamId,
      team: "x",
      department: "y",
      total: totals.get(userId)!.total,
      passed: 1,
    })),
);
