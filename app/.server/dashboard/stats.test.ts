import { describe, expect, it } from "vitest";
import { mean, median, rankBy } from "./stats";

describe("median", () => {
  it("is 0 for nobody, the middle value for an odd count and the rounded midpoint for an even count", () => {
    expect(median([])).toBe(0);
    expect(median([3400, 0, 495])).toBe(495);
    expect(median([600, 700, 400, 800])).toBe(650);
    expect(median([1, 2])).toBe(2);
  });

  it("is not lifted by one very high value", () => {
    expect(median([0, 0, 10_000])).toBe(0);
  });
});

describe("mean", () => {
  it("is null when there is nothing to average and the rounded mean otherwise", () => {
    expect(mean([])).toBeNull();
    expect(mean([1000, 800, 500])).toBe(767);
  });
});

describe("rankBy", () => {
  it("gives tied rows the same rank and skips the ranks they take (1, 2, 2, 4)", () => {
    const rows = [10, 8, 8, 5, 5, 1];
    expect(rankBy(rows, (r) => r).map((r) => r.rank)).toEqual([1, 2, 2, 4, 4, 6]);
  });

  it("ranks an empty list as empty", () => {
    expect(rankBy([], (r) => r)).toEqual([]);
  });
});
