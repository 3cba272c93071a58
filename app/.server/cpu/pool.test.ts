import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { availableParallelism, getPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ExerciseFile } from "~/domain/exercise";
import { loadContent, loadModelCatalogue } from "~/exercises/load.server";
import { resetConfigForTests } from "../config";
import { countTokens } from "../tokenizer.server";
import { CpuPool, CpuTimeLimitError, threadEntry } from "./pool";
import { gradeHere } from "./tasks";

const pool = new CpuPool({ threads: 1, taskTimeoutMs: 1_000, nice: 7 });
// The pool warms its thread (modules, both encoders) before the first task: that never counts against a limit.
beforeAll(() => pool.countTokens(["warm"], "o200k_base"), 60_000);
afterAll(() => pool.close());

/** The longest gap between timer ticks on this thread while `work` runs: how long the event loop was blocked. */
async function longestStall<T>(work: Promise<T>): Promise<{ value: T | Error; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  const value = await work.catch((err: Error) => err);
  clearInterval(timer);
  return { value, stallMs };
}

describe("CPU worker pool", () => {
  it("counts tokens on a worker thread exactly as the server's encoder does", async () => {
    const texts = ["Hello world", "tiktoken is great!", "é".repeat(19_990), "b".repeat(19_990), ""];
    const { value, stallMs } = await longestStall(pool.countTokens(texts, "o200k_base"));
    expect(value).toEqual(texts.map((t) => countTokens(t, "o200k_base")));
    expect(stallMs).toBeLessThan(250);
  });

  it("stops a task over its time limit with a clear error, keeps the event loop free, and serves the next task", async () => {
    // Five million characters take seconds even in O(n log n): far over a 300 ms limit.
    const { value, stallMs } = await longestStall(
      pool.countTokens(["b".repeat(5_000_000)], "cl100k_base", { timeoutMs: 300 }),
    );
    expect(value).toBeInstanceOf(CpuTimeLimitError);
    expect((value as Error).message).toBe(
      "Counting tokens took longer than 0.3 s and was stopped; shorten the text and try again.",
    );
    expect(stallMs).toBeLessThan(250);
    // The stopped thread is replaced and warmed again before the next task, which runs within a tight limit.
    expect(await pool.countTokens(["Hello world"], "cl100k_base", { timeoutMs: 300 })).toEqual([2]);
  });

  it("counts a task's time from when a thread takes it, not while it waits for one", async () => {
    // The one thread is busy for a second or more; a tiny task with a 300 ms limit queued behind it still runs.
    const started = performance.now();
    const busy = pool.countTokens(["b".repeat(1_000_000)], "o200k_base", { timeoutMs: 30_000 });
    const quick = await pool.countTokens(["Hello world"], "o200k_base", { timeoutMs: 300 });
    expect(quick).toEqual([2]);
    expect(performance.now() - started).toBeGreaterThan(300);
    await busy;
  });

  it.runIf(process.platform === "linux")(
    "counts the CPU a task uses, not the time its thread waits for a CPU on a busy machine",
    { timeout: 60_000 },
    async () => {
      // More busy processes than cores, at the server's priority: the pool's thread (nice 7) gets a CPU a small part of
      // the time, so a task of well under 400 ms of CPU takes several times that in wall time. It must finish.
      const text = "b".repeat(50_000);
      const expected = countTokens(text, "o200k_base");
      // Once before the machine is busy, so the timed run's CPU is the count's own, not the thread's first compile.
      await pool.countTokens([text], "o200k_base", { timeoutMs: 30_000 });
      // Each ends itself after 30 s, should the test be stopped before its `finally`.
      const burners = Array.from({ length: availableParallelism() + 1 }, () =>
        spawn(process.execPath, ["-e", "const end = Date.now() + 30000; while (Date.now() < end) {}"], {
          stdio: "ignore",
        }),
      );
      try {
        await new Promise((r) => setTimeout(r, 300));
        const started = performance.now();
        const counts = await pool.countTokens([text], "o200k_base", { timeoutMs: 400 });
        const wallMs = performance.now() - started;
        expect(counts).toEqual([expected]);
        // The thread did wait past its limit: without this the test would prove nothing.
        expect(wallMs).toBeGreaterThan(400);
      } finally {
        for (const b of burners) b.kill("SIGKILL");
      }
    },
  );

  it("prepares its threads with sample grades before it counts as ready; a sample it cannot grade is skipped and breaks nothing", {
    timeout: 90_000,
  }, async () => {
    const exercise = loadContent().exercises.find((e) => e.exercise.slug === "route-to-nano")!.exercise;
    const model = loadModelCatalogue().find((m) => m.id === exercise.model)!;
    const prompt = exercise.reference_solution;
    const broken = { ...exercise, requirements: "not a list" } as unknown as ExerciseFile;
    const sample = { prompt, exercise, model };
    // One thread: it graded the good sample, skipped the broken one, and still grades as before.
    expect(await pool.prepare([{ ...sample, exercise: broken }, sample])).toEqual([1]);
    const [graded] = await pool.grade([sample]);
    expect(graded).toEqual(gradeHere(sample));
    // A thread replaced after a time limit is warmed with the same samples, then serves the next task.
    await expect(pool.countTokens(["b".repeat(5_000_000)], "cl100k_base", { timeoutMs: 300 })).rejects.toThrow(
      CpuTimeLimitError,
    );
    expect(await pool.grade([sample], { timeoutMs: 5_000 })).toEqual([graded]);
  });

  it.runIf(process.platform === "linux")("lowers its threads' priority, not the server's", async () => {
    expect(await pool.run<number>({ kind: "priority" }, "Reading the priority")).toBe(7);
    expect(getPriority(0)).toBe(0);
  });

  it("serves waiting tasks round-robin by owner: one owner's queue does not hold another's behind it", async () => {
    const done: string[] = [];
    const task = (owner: string, i: number) =>
      pool
        .countTokens(["b".repeat(100_000)], "o200k_base", { owner, timeoutMs: 30_000 })
        .then(() => done.push(`${owner}${i}`));
    // The flooder's five tasks are queued first (the first takes the one thread), then one of another learner's.
    const all = [0, 1, 2, 3, 4].map((i) => task("flooder", i));
    all.push(task("other", 0));
    await Promise.all(all);
    // First come first served would finish "other0" last; round-robin serves it right after the running task and
    // the flooder's next in line.
    expect(done.indexOf("other0")).toBeLessThanOrEqual(2);
    expect(done.filter((d) => d.startsWith("flooder"))).toEqual([
      "flooder0",
      "flooder1",
      "flooder2",
      "flooder3",
      "flooder4",
    ]);
  });
});

describe("where the pool's threads start", () => {
  const dir = mkdtempSync(join(tmpdir(), "tw-pool-entry-"));
  const bundle = join(dir, "cpu-tasks.mjs");
  const app = join(dir, "index.js");
  writeFileSync(bundle, "export default () => 0;\n");
  writeFileSync(app, "\n");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const at = (file: string, seconds: number) => utimesSync(file, seconds, seconds);

  it("runs the bundle built with the app (`npm run build` writes it after the app)", () => {
    at(app, 1_000);
    at(bundle, 1_010);
    expect(threadEntry(app, bundle)).toEqual({ filename: pathToFileURL(bundle).href, execArgv: [] });
  });

  it("starts from the sources, and says so, when the bundle is older than the app that starts it", () => {
    at(app, 2_000);
    at(bundle, 1_010);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "error";
    resetConfigForTests();
    const entry = threadEntry(app, bundle);
    process.env.LOG_LEVEL = level;
    resetConfigForTests();
    expect(entry.filename).toMatch(/app\/\.server\/cpu\/tasks\.ts$/);
    expect(entry.execArgv[0]).toBe("--import");
    expect(errors.mock.calls.flat().join("\n")).toMatch(/cpu-tasks\.mjs is older than .*index\.js.*npm run build/);
    errors.mockRestore();
  });

  it("starts from the sources when it runs from the sources itself, whatever the bundle", () => {
    at(bundle, 9_000);
    expect(threadEntry(join(dir, "pool.ts"), bundle).filename).toMatch(/tasks\.ts$/);
  });
});
