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
  it("finds a percentage fall of the team's cost per call beyond what the comparison teams did the same weeks", () => {
    // Everyone's cost per call drifts up 1% a week; the team (three times dearer per call, a tenth of the calls)
    // falls 25% after training.
    const drift = (k: number) => 1000 * 1.01 ** k;
    const team = series((k) => week(500, 3 * drift(k) * (k > 0 ? 0.75 : 1) * (k % 2 === 0 ? 1.01 : 0.99)));
    const others = series((k) => week(5000, drift(k)));
    const outcome = differenceInDifferences(team, others, "costPerCall");
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const e = outcome.estimate;
    expect(e.scale).toBe("log");
    expect(e.relative?.change).toBeCloseTo(-0.25, 2);
    expect(e.low).toBeLessThan(Math.log(0.75));
    expect(e.high).toBeGreaterThan(Math.log(0.75));
    expect(e.relative?.high).toBeLessThan(0);
    expect([e.weeksBefore, e.weeksAfter]).toEqual([4, 4]);
  });

  it("finds nothing when the team moves with everyone else by the same percentage, whatever its size and level", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.integer({ min: 200, max: 5000 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (growth, base, level) => {
          const f = (k: number) => base * (1 + growth) ** k;
          const outcome = differenceInDifferences(
            series((k) => week(100, level * f(k))),
            series((k) => week(900, f(k))),
            "costPerCall",
          );
          expect(outcome.ok).toBe(true);
          if (outcome.ok) expect(Math.abs(outcome.estimate.estimate)).toBeLessThan(1e-9);
        },
      ),
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
    expect(tokens.ok && tokens.estimate.relative?.change).toBeCloseTo(-0.4, 9);
    expect(tokens.ok && tokens.estimate.estimate).toBeCloseTo(Math.log(0.6), 9);
    expect(frontier.ok && frontier.estimate.scale).toBe("points");
    expect(frontier.ok && frontier.estimate.estimate).toBeCloseTo(-0.4, 6);
    expect(frontier.ok && frontier.estimate.relative).toBeNull();
    expect(metricOf({ ...week(0, 0), costMicros: 0 }, "frontierShare")).toBeNull();
  });
});

describe("monthlySaving", () => {
  it("applies the estimated change to the team's own spend: a 20% fall on $1,000 a month saves $250", () => {
    const est = { estimate: Math.log(0.8), low: Math.log(0.7), high: Math.log(0.9) };
    expect(monthlySaving(est, 1_000_000_000)).toEqual({
      savingMicros: 250_000_000,
      lowMicros: 111_111_111,
      highMicros: 428_571_429,
    });
    // A rise is a negative saving (extra cost), the bounds still in order.
    const rise = monthlySaving({ estimate: Math.log(1.1), low: Math.log(1.02), high: Math.log(1.2) }, 1_000_000);
    expect(rise.savingMicros).toBe(-90_909);
    expect(rise.lowMicros).toBeLessThan(rise.savingMicros);
    expect(rise.highMicros).toBeGreaterThan(rise.savingMicros);
  });

  it("uses Student's t for few weeks", () => {
    expect(tQuantile(6)).toBe(2.447);
    expect(tQuantile(100)).toBe(1.96);
  });
});
