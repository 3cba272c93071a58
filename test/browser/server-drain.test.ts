import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inArray } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { gradingJobs } from "#db/schema";
import { submitAttempt } from "~/.server/attempts";
import { getPublishedExercise } from "~/.server/catalog";
import { type Db, openDb } from "~/.server/db";
import { listSessionUsers } from "~/.server/users";
import { copyTemplate, freePort } from "../support/app-server";
import { checkLedger, type FakeProviderProcess, gradingRows, startFakeProvider } from "../support/grading-processes";

/**
 * A deploy, as it happens: `npm start` (scripts/start.ts, which serves the built app with remix-serve) is sent
 * SIGTERM while live grading has calls in flight. It must forward the signal, let those calls finish and settle,
 * hand the leases back and exit 0; the next `npm start` finishes the attempts, and the ledger equals what the
 * provider billed.
 */

const dir = mkdtempSync(join(tmpdir(), "tokenwise-drain-"));
let fake: FakeProviderProcess | undefined;
let database: Db | undefined;
const servers: ChildProcess[] = [];

afterAll(async () => {
  for (const s of servers) if (s.exitCode === null && s.signalCode === null) s.kill("SIGKILL");
  await fake?.stop();
  database?.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

async function npmStart(env: Record<string, string>): Promise<ChildProcess> {
  // The same command as `npm start`, without npm in between (npm forwards the signal too, but adds its own output).
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  servers.push(server);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${env.PORT}/login`)).status < 500) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("npm start did not serve within 60 s");
    await new Promise((r) => setTimeout(r, 250));
  }
}

const until = async (what: string, fn: () => boolean | Promise<boolean>, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("npm start sent SIGTERM during live grading (a deploy)", () => {
  it("forwards it, drains the calls in flight, hands the leases back, exits 0; the next start finishes the attempts", async () => {
    fake = await startFakeProvider(join(dir, "calls.jsonl"), { delayMs: 1_500 });
    const env = {
      NODE_ENV: "production",
      PORT: String(await freePort()),
      DATABASE_PATH: join(dir, "app.db"),
      DEMO_SEED: "true",
      LOG_LEVEL: "error",
      LLM_PROVIDER: "openai-compatible",
      LLM_BASE_URL: fake.url,
      LLM_CONCURRENCY: "4",
      GRADING_SHUTDOWN_SECONDS: "15",
      GRADING_LEASE_SECONDS: "5",
      GRADING_HEARTBEAT_SECONDS: "1",
      MAINTENANCE_INTERVAL_SECONDS: "0",
    };
    // The run's prepared demo database, copied (npm start then prepares it as on any start), instead of a new seed.
    copyTemplate({ ...process.env, ...env }, env.DATABASE_PATH);
    const first = await npmStart(env);
    database = openDb(env.DATABASE_PATH);
    const learner = listSessionUsers(database).find((u) => u.email === "learner@tokenwise.example")!;
    const exercise = getPublishedExercise(database, "route-to-nano")!;
    const ids = [1, 2, 3].map((i) =>
      submitAttempt(
        database!,
        learner,
        exercise,
        `${exercise.content.reference_solution.trimEnd()}\nDeploy ${i}.`,
        exercise.content.model,
        { poke() {} },
      ),
    );
    await until("calls in flight", async () => (await fake!.stats()).inFlight >= 2);
    const exited = new Promise<number | null>((ok) => first.once("exit", (code) => ok(code)));
    first.kill("SIGTERM");
    expect(await exited).toBe(0);

    const jobs = () => database!.select().from(gradingJobs).where(inArray(gradingJobs.attemptId, ids)).all();
    expect(jobs().filter((j) => j.leaseOwner !== null)).toEqual([]);
    expect(gradingRows(database, ids).filter((r) => r.state !== "settled")).toEqual([]);
    expect(gradingRows(database, ids).length).toBeGreaterThan(0);

    const second = await npmStart(env);
    await until(
      "every attempt graded",
      () => jobs().every((j) => j.stage === "scored" || j.stage === "failed"),
      60_000,
    );
    expect(jobs().every((j) => j.stage === "scored")).toBe(true);
    const check = checkLedger(gradingRows(database, ids), fake.log());
    expect(check).toMatchObject({ missing: [], twice: [], phantom: [], wrongUsage: [], unknown: 0 });
    const stopped = new Promise<number | null>((ok) => second.once("exit", (code) => ok(code)));
    second.kill("SIGTERM");
    expect(await stopped).toBe(0);
  }, 150_000);
});
