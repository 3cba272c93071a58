import { Session } from "node:inspector/promises";
import { progressGrid } from "~/.server/dashboard/grid";
import { openDb } from "~/.server/db";

const database = openDb("bench/.out/org.db");
const s = database.$client;
console.log(
  s
    .prepare(
      "explain query plan select team_id, exercise_id, sum(passed), group_concat(best_score) from best_scores indexed by best_scores_team where period = 'all' and team_id is not null group by team_id, exercise_id",
    )
    .all()
    .map((r: any) => r.detail),
);
console.log(s.prepare("select count(*), count(team_id) from best_scores where period='all'").get());
const admin = { all: true, teamIds: [], departmentIds: [] };
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.start");
for (let i = 0; i < 30; i++) progressGrid(database, admin);
const { profile } = await session.post("Profiler.stop");
const self = new Map<string, number>();
const dt = new Map<number, number>();
profile.samples!.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas![i] ?? 0)));
for (const n of profile.nodes) {
  const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber}`;
  self.set(k, (self.get(k) ?? 0) + (dt.get(n.id) ?? 0));
}
console.log(
  [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([k, v]) => `${(v / 1000 / 30).toFixed(2)} ms ${k}`)
    .join("\n"),
);
