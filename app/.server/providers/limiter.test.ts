import { describe, expect, it } from "vitest";
import { createLimiter } from "./limiter";

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("createLimiter", () => {
  it("runs at most `max` tasks at once and queues the rest in arrival order", async () => {
    const limiter = createLimiter(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect([limiter.active, limiter.queued]).toEqual([2, 2]);
    gates[1].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    expect([limiter.active, limiter.queued]).toEqual([2, 1]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect([limiter.active, limiter.queued]).toEqual([0, 0]);
  });

  it("frees the slot when a task fails, and passes the failure on", async () => {
    const limiter = createLimiter(1);
    const gate = deferred();
    const failing = limiter.run(() => gate.promise);
    const next = limiter.run(async () => "ran");
    gate.reject(new Error("boom"));
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ran");
    expect(limiter.active).toBe(0);
  });

  it("never lets a newcomer overtake the queue when a slot is handed on", async () => {
    const limiter = createLimiter(1);
    const order: string[] = [];
    const gate = deferred();
    const first = limiter.run(() => gate.promise.then(() => order.push("first")));
    const queued = limiter.run(async () => order.push("queued"));
    gate.resolve();
    const late = limiter.run(async () => order.push("late"));
    await Promise.all([first, queued, late]);
    expect(order).toEqual(["first", "queued", "late"]);
  });

  it("refuses a limit that is not a positive whole number", () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });
});
