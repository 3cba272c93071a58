import { learnerBoard } from "~/.server/dashboard/leaderboards";
import { openDb } from "~/.server/db";

const database = openDb("bench/.out/org.db");
const now = new Date(database.$client.prepare("select max(created_at) from attempts").pluck().get() as number);
for (let i = 0; i < 12; i++) learnerBoard(database, { window: "all", now });
