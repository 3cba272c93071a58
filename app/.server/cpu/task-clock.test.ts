import { describe, expect, it } from "vitest";
import { stampTaskStart, TaskClock, WALL_CAP_FACTOR, watchTaskClock } from "./task-clock";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Burns this thread's CPU in 10 ms slices (timers still run between them) until `done()`, at most `maxMs` of wall. */
async function burn(done: () => boolean, maxMs = 10_000): Promise<void> {
  const until = performance.now() + maxMs;
  while (!done() && performance.now() < until) {
    const slice = performance.now() + 10;
    while (performance.now() < slice) {
      // spin
    }
    await new Promise((r) => setImmediate(r));
  }
}

/** A clock stamped by this thread, as a pool thread stamps the task it takes. */
function stampedHere(): TaskClock {
  const clock = new TaskClock();
  stampTaskStart(clock.buffer);
  return clock;
}

describe.runIf(process.platform === "linux")("a task's CPU clock (Linux /proc)", () => {
  it("counts the CPU the thread spends, not the time it waits", async () => {
    const clock = stampedHere();
    await sleep(300);
    // Asleep: a few ms at most for the test runner's own timers.
    expect(clock.usedMs()).toBeLessThan(60);
    const before = clock.usedMs()!;
    await burn(() => clock.usedMs()! - before >= 200);
    expect(clock.usedMs()! - before).toBeGreaterThanOrEqual(200);
  });

  it("expires once the task has used its limit of CPU", async () => {
    const clock = stampedHere();
    let expiredAt: number | null = null;
    const stop = watchTaskClock(clock, 150, () => {
      expiredAt = clock.usedMs();
    });
    await burn(() => expiredAt !== null);
    stop();
    expect(expiredAt).toBeGreaterThanOrEqual(150);
    // Looked at again at one tick's precision once the rest of the limit could have been used.
    expect(expiredAt).toBeLessThan(150 + 100);
  });

  it("does not expire while the task waits for a CPU, however long past its limit", async () => {
    const clock = stampedHere();
    let expired = false;
    const stop = watchTaskClock(clock, 100, () => {
      expired = true;
    });
    await sleep(600);
    stop();
    expect(expired).toBe(false);
  });
});

describe("a task's clock without a CPU measure", () => {
  it("expires after its limit of wall time once a thread has taken it (off Linux, or /proc unreadable)", async () => {
    const clock = new TaskClock();
    const expired = new Promise<number>((ok) => watchTaskClock(clock, 100, () => ok(Date.now())));
    // The thread takes it late (the pool handed it over at once, the thread was busy starting), and, like a thread
    // that cannot read its own id, stamps only when it started.
    await sleep(190);
    new Float64Array(clock.buffer, 16, 1)[0] = Date.now();
    const startedAt = Date.now();
    Atomics.store(new Int32Array(clock.buffer, 0, 3), 0, 1);
    const at = await expired;
    // Its limit counts from when it started, not from the hand-over.
    expect(at - startedAt).toBeGreaterThanOrEqual(95);
    expect(at - startedAt).toBeLessThan(100 * WALL_CAP_FACTOR);
  });

  it("expires at WALL_CAP_FACTOR times its limit if no thread ever takes it", async () => {
    const began = performance.now();
    const expired = await new Promise<number>((ok) => watchTaskClock(new TaskClock(), 20, () => ok(performance.now())));
    expect(expired - began).toBeGreaterThanOrEqual(20 * WALL_CAP_FACTOR - 5);
  });
});
