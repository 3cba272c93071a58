import { Session } from "node:inspector/promises";
import { learnerBoard } from "~/.server/dashboard/leaderboards";
import { openDb } from "~/.server/db";

const database = openDb("bench/.out/org.db");
const now = new Date(database.$client.prepare("select max(created_at) from attempts").pluck().get() as number);
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.start");
for (let i = 0; i < 30; i++) learnerBoard(database, { window: "all", now });
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
