import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { differenceInDifferences, metricOf, monthlySaving, tQuantile, type WeekFigures } from "./impact";

const week = (calls: number, costPerCall: number, tokensPerCall = 1000, frontier = 0): WeekFigures => ({
  calls,
  meteredCostMicros: calls * costPerCall,
  meteredInputTokens: calls * tokensPerCall * 0.9,
  meteredOutputTokens: calls * tokensPerCall * 0.1,
  costMicros: calls * costPerCall,
  frontierCostMicros: calls * costPerCall * frontier,
});

const series = (f: (k: number) => WeekFigures | undefined) =>
  new Map([-4, -3, -2, -1, 1, 2, 3, 4].flatMap((k) => (f(k) ? [[k, f(k) as WeekFigures]] : [])));

describe("differenceInDifferences", () => {
  it("finds a fall of the team's cost per call beyond what the comparison teams did the same weeks", () => {
    // Everyone's cost per call drifts up by 10 a week; the team's drops by 300 after training.
    const drift = (k: number) => 1000 + 10 * k;
    const team = series((k) => week(500, drift(k) + (k > 0 ? -300 : 0) + (k % 2 === 0 ? 5 : -5)));
    const others = series((k) => week(5000, drift(k)));
    const outcome = differenceInDifferences(team, others, "costPerCall");
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.estimate.estimate).toBeCloseTo(-300, 6);
    expect(outcome.estimate.low).toBeLessThan(-300);
    expect(outcome.estimate.high).toBeGreaterThan(-300);
    expect(outcome.estimate.high).toBeLessThan(0);
    expect([outcome.estimate.weeksBefore, outcome.estimate.weeksAfter]).toEqual([4, 4]);
  });

  it("finds nothing when the team moves with everyone else, whatever the common trend", () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 200, max: 5000 }), (slope, base) => {
        const f = (k: number) => base + slope * k;
        const outcome = differenceInDifferences(
          series((k) => week(100, f(k) + 40)),
          series((k) => week(900, f(k))),
          "costPerCall",
        );
        expect(outcome.ok).toBe(true);
        if (outcome.ok) expect(Math.abs(outcome.estimate.estimate)).toBeLessThan(1e-6);
      }),
    );
  });

  it("flags a team that was already drifting apart from the comparison before it trained (the pre-trend check)", () => {
    const others = series((k) => week(1000, 1000 + (k % 2 === 0 ? 3 : -3)));
    // Falling 60 a week all along: a 'saving' that training did not cause.
    const drifting = differenceInDifferences(
      series((k) => week(100, 1200 - 60 * (k + 4))),
      others,
      "costPerCall",
    );
    expect(drifting.ok && drifting.estimate.preTrend?.diverging).toBe(true);
    expect(drifting.ok && drifting.estimate.estimate).toBeLessThan(0);
    // Parallel before training, then a fall: the premise holds.
    const parallel = differenceInDifferences(
      series((k) => week(100, 1200 + (k % 2 === 0 ? 4 : -4) - (k > 0 ? 200 : 0))),
      others,
      "costPerCall",
    );
    expect(parallel.ok && parallel.estimate.preTrend).toMatchObject({ diverging: false });
    // Too few weeks before training to run the check: no verdict rather than a false one.
    const gappy = differenceInDifferences(
      series((k) => (k === -3 || k === -4 ? undefined : week(100, 1000))),
      others,
      "costPerCall",
    );
    expect(gappy.ok && gappy.estimate.preTrend).toBeNull();
  });

  it("says why when there are too few weeks with calls, or no comparison", () => {
    const team = series((k) => (k === -1 || k > 0 ? week(10, 100) : undefined));
    const outcome = differenceInDifferences(
      team,
      series(() => week(10, 100)),
      "costPerCall",
    );
    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(/has 1 and 4/) });
    expect(
      differenceInDifferences(
        series(() => week(10, 100)),
        new Map(),
        "tokensPerCall",
      ).ok,
    ).toBe(false);
  });

  it("measures tokens per call and the frontier share the same way", () => {
    const team = series((k) => week(100, 1000, k > 0 ? 600 : 1000, k > 0 ? 0.1 : 0.5));
    const others = series(() => week(100, 1000, 1000, 0.5));
    const tokens = differenceInDifferences(team, others, "tokensPerCall");
    const frontier = differenceInDifferences(team, others, "frontierShare");
    expect(tokens.ok && tokens.estimate.estimate).toBeCloseTo(-400, 6);
    expect(frontier.ok && frontier.estimate.estimate).toBeCloseTo(-0.4, 6);
    expect(metricOf({ ...week(0, 0), costMicros: 0 }, "frontierShare")).toBeNull();
  });
});

describe("monthlySaving", () => {
  it("turns a cost-per-call fall into dollars a month at the team's volume, with the interval's bounds in order", () => {
    const est = { estimate: -300, low: -420, high: -180 } as Parameters<typeof monthlySaving>[0];
    expect(monthlySaving(est, 10_000)).toEqual({
      savingMicros: 3_000_000,
      lowMicros: 1_800_000,
      highMicros: 4_200_000,
    });
  });

  it("uses Student's t for few weeks", () => {
    expect(tQuantile(6)).toBe(2.447);
    expect(tQuantile(100)).toBe(1.96);
  });
});
