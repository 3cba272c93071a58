// A child process for budgets.test.ts: opens the same SQLite file on its own connection and races
// `tasks` reservations against the other processes, each one reserve → random wait → ledger row
// with the real cost → settle. Prints "ready", starts on "go" from stdin, ends with one JSON line.
import { setTimeout as sleep } from "node:timers/promises";
import { reserve, settle } from "~/.server/budgets";
import { openDb } from "~/.server/db";
import { recordCall } from "~/.server/ledger";

const [dbPath, teamArg, departmentArg, tasksArg, amountArg] = process.argv.slice(2);
const teamId = Number(teamArg);
const departmentId = Number(departmentArg);
const amountMicros = Number(amountArg);
const database = openDb(dbPath);

// $1 per 1M output tokens, so `amountMicros` output tokens cost exactly the reserved estimate.
const model = {
  id: "race-model",
  provider: "fake",
  tier: "nano",
  inputMicrosPerM: 0,
  cachedInputMicrosPerM: 0,
  outputMicrosPerM: 1_000_000,
  priceAsOf: "2025-11-01",
} as const;

async function task(): Promise<{ ok: boolean; message?: string }> {
  await sleep(Math.random() * 5);
  const result = reserve(database, { teamId, departmentId, attemptId: null, amountMicros, now: new Date() });
  if (!result.ok) return { ok: false, message: result.message };
  await sleep(Math.random() * 20);
  recordCall(database, {
    model,
    purpose: "target",
    tokens: { input: 0, output: amountMicros },
    latencyMs: 10,
    status: "ok",
    tags: { userId: null, teamId, departmentId, courseId: null, exerciseId: null, attemptId: null },
  });
  settle(database, result.reservationId);
  return { ok: true };
}

process.stdout.write("ready\n");
process.stdin.once("data", async () => {
  const results = await Promise.all(Array.from({ length: Number(tasksArg) }, task));
  database.$client.close();
  process.stdout.write(`${JSON.stringify(results)}\n`);
  process.exit(0);
});
