/**
 * The capacity benchmark's ledger writer, in its own process as a second writer of the app's database would be:
 * `node --import tsx bench/ledger-writer-process.ts <seconds> [rows per second]` with the app's DATABASE_PATH.
 * It prints {"ready"} once it has its tags, waits for a line on stdin, then writes ledger rows through the app's
 * recordCall, one transaction each as every model call is (the rollup triggers run on each): flat out, or at the
 * given rate (a few rows every 10 ms); after <seconds> it prints {"written","ms"} and exits.
 */
import { createInterface } from "node:readline";
import { db } from "~/.server/db";
import { recordCall } from "~/.server/ledger";
import { getModel } from "~/.server/models";

const seconds = Number(process.argv[2] ?? 10);
const rate = Number(process.argv[3] ?? 0);
const TICK_MS = 10;
const database = db();
const tags = database.$client
  .prepare(
    `select u.id as userId, u.team_id as teamId, t.department_id as departmentId, e.course_id as courseId,
            e.id as exerciseId
     from users u join teams t on t.id = u.team_id, exercises e
     where u.team_id is not null order by u.id, e.id limit 1`,
  )
  .get() as { userId: number; teamId: number; departmentId: number; courseId: number; exerciseId: number };
const model = getModel("gpt-4.1-nano", database);
let written = 0;

function writeOne(): void {
  recordCall(database, {
    model,
    purpose: "target",
    tokens: { input: 120 + (written % 50), output: 3 },
    latencyMs: 300,
    status: "ok",
    tags: { ...tags, attemptId: null },
  });
  written++;
}

async function write(): Promise<{ written: number; ms: number }> {
  const started = performance.now();
  const until = started + seconds * 1000;
  if (rate <= 0) {
    while (performance.now() < until) writeOne();
  } else {
    // Paced: between ticks the process sleeps and the write lock is free for the app.
    while (performance.now() < until) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      while (written < due) writeOne();
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
  }
  return { written, ms: performance.now() - started };
}

console.log(JSON.stringify({ ready: true }));
const lines = createInterface({ input: process.stdin });
lines.once("line", async () => {
  console.log(JSON.stringify(await write()));
  process.exit(0);
});
