import { describe, expect, it } from "vitest";
import { addSpend, binCount, fillBins, niceBinWidth, passRate, rankFailures, type Spend } from "./analytics";

describe("passRate", () => {
  it("is passed over graded as a percentage with one decimal", () => {
    expect(passRate(2, 3)).toBe(66.7);
    expect(passRate(3, 5)).toBe(60);
    expect(passRate(0, 4)).toBe(0);
  });

  it("is null before anything is graded, not 0", () => {
    expect(passRate(0, 0)).toBeNull();
  });
});

describe("niceBinWidth", () => {
  it("picks a round width that fits 0..max in at most the asked number of bins", () => {
    for (const max of [0, 1, 9, 10, 37, 99, 100, 400, 999, 1234, 25_000]) {
      const width = niceBinWidth(max, 10);
      expect(Number.isInteger(width), `max ${max}`).toBe(true);
      expect(binCount(max, width), `max ${max} width ${width}`).toBeLessThanOrEqual(10);
      expect(String(width)).toMatch(/^(1|2|25|5)0*$/);
    }
  });

  it("gives known widths for typical prompt sizes", () => {
    expect(niceBinWidth(400, 10)).toBe(50);
    expect(niceBinWidth(99, 10)).toBe(10);
    expect(niceBinWidth(180, 10)).toBe(20);
    expect(niceBinWidth(220, 10)).toBe(25);
    expect(niceBinWidth(5, 10)).toBe(1);
  });
});

describe("fillBins", () => {
  it("turns sparse counts into consecutive bins, zeros included", () => {
    expect(
      fillBins(
        [
          { bin: 2, n: 3 },
          { bin: 0, n: 1 },
        ],
        50,
        4,
      ),
    ).toEqual([
      { from: 0, to: 50, count: 1 },
      { from: 50, to: 100, count: 0 },
      { from: 100, to: 150, count: 3 },
      { from: 150, to: 200, count: 0 },
    ]);
  });

  it("ignores bins outside the range instead of growing the chart", () => {
    expect(fillBins([{ bin: 7, n: 2 }], 10, 2).every((b) => b.count === 0)).toBe(true);
  });
});

describe("rankFailures", () => {
  it("puts the most failed first, then the highest failure share, and drops what never failed", () => {
    const ranked = rankFailures([
      { id: "a", label: "A", failed: 2, seen: 10 },
      { id: "b", label: "B", failed: 5, seen: 10 },
      { id: "c", label: "C", failed: 2, seen: 4 },
      { id: "d", label: "D", failed: 0, seen: 10 },
    ]);
    expect(ranked.map((r) => r.id)).toEqual(["b", "c", "a"]);
  });

  it("keeps only the top few", () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ id: `r${i}`, label: `R${i}`, failed: i + 1, seen: 10 }));
    expect(rankFailures(rows, 3).map((r) => r.id)).toEqual(["r7", "r6", "r5"]);
  });
});

describe("addSpend", () => {
  it("sums calls and cost, merging rows of the same purpose, in target, judge, preview order", () => {
    const spend: Spend = { calls: 0, costMicros: 0, byPurpose: [] };
    addSpend(spend, { purpose: "preview", calls: 2, offlineCalls: 0, cacheHits: 1, costMicros: 500 });
    addSpend(spend, { purpose: "judge", calls: 3, offlineCalls: 3, cacheHits: 0, costMicros: 0 });
    addSpend(spend, { purpose: "judge", calls: 1, offlineCalls: 0, cacheHits: 0, costMicros: 70 });
    addSpend(spend, { purpose: "target", calls: 1, offlineCalls: 0, cacheHits: 0, costMicros: 30 });
    expect(spend).toEqual({
      calls: 7,
      costMicros: 600,
      byPurpose: [
        { purpose: "target", calls: 1, offlineCalls: 0, cacheHits: 0, costMicros: 30 },
        { purpose: "judge", calls: 4, offlineCalls: 3, cacheHits: 0, costMicros: 70 },
        { purpose: "preview", calls: 2, offlineCalls: 0, cacheHits: 1, costMicros: 500 },
      ],
    });
  });
});
