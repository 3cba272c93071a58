import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "./backoff";

describe("retry backoff", () => {
  it("grows exponentially with the try number, up to the cap", () => {
    const max = (tries: number) => backoffDelayMs(tries, { random: () => 1 });
    expect([1, 2, 3, 4].map(max)).toEqual([500, 1000, 2000, 4000]);
    expect(max(20)).toBe(30_000);
  });

  it("draws a full jitter between zero and the ceiling", () => {
    expect(backoffDelayMs(3, { random: () => 0 })).toBe(0);
    expect(backoffDelayMs(3, { random: () => 0.5 })).toBe(1000);
  });

  it("never retries sooner than Retry-After", () => {
    expect(backoffDelayMs(1, { random: () => 0, retryAfterMs: 7000 })).toBe(7000);
    expect(backoffDelayMs(5, { random: () => 1, retryAfterMs: 10 })).toBe(8000);
  });
});
