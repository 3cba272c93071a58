import { describe, expect, it } from "vitest";
import { differenceInDifferences, type WeekFigures } from "./impact";
import { seededRandom } from "./seeded-random";

/**
 * The training impact estimate on generated weekly bills with a known effect: a comparison pool whose cost per call
 * moves with random weekly shocks and a trend, and a team of another size and mix (three times dearer per call, a
 * sixteenth of the calls) with noise of its own and, from its training week on, a known percentage change. Over many
 * seeds the estimate must land on the effect on average and its 95% interval must cover it about 95% of the time.
 */

/** A standard normal draw (Box–Muller). */
const normal = (next: () => number) => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());

const week = (calls: number, costPerCall: number): WeekFigures => ({
  calls,
  meteredCostMicros: Math.round(calls * costPerCall),
  meteredInputTokens: calls * 900,
  meteredOutputTokens: calls * 100,
  costMicros: Math.round(calls * costPerCall),
  frontierCostMicros: 0,
});

interface Scenario {
  /** The team's true change in cost per call after training, as a fraction (−0.25: a 25% fall). */
  effect: number;
  /** Everyone's cost per call changes by this fraction from the training week on (a price cut: −0.4). */
  commonChange?: number;
  /** The team's own week-to-week noise (standard deviation on the log scale). */
  noise?: number;
}

function bills(seed: number, s: Scenario) {
  const next = seededRandom(seed);
  const team = new Map<number, WeekFigures>();
  const comparison = new Map<number, WeekFigures>();
  for (const k of [-4, -3, -2, -1, 1, 2, 3, 4]) {
    const common = 1000 * Math.exp(0.01 * k + 0.08 * normal(next)) * (k > 0 ? 1 + (s.commonChange ?? 0) : 1);
    comparison.set(k, week(4800 + Math.round(400 * next()), common));
    const own = 3 * common * Math.exp((s.noise ?? 0.05) * normal(next)) * (k > 0 ? 1 + s.effect : 1);
    team.set(k, week(300 + Math.round(40 * next()), own));
  }
  return { team, comparison };
}

function runs(s: Scenario, n = 400) {
  const estimates = [];
  for (let seed = 1; seed <= n; seed++) {
    const { team, comparison } = bills(seed, s);
    const outcome = differenceInDifferences(team, comparison, "costPerCall");
    if (!outcome.ok) throw new Error(outcome.reason);
    estimates.push(outcome.estimate);
  }
  const truth = Math.log(1 + s.effect);
  return {
    estimates,
    meanEstimate: estimates.reduce((a, e) => a + e.estimate, 0) / n,
    coverage: estimates.filter((e) => e.low <= truth && truth <= e.high).length / n,
    clearOfZero: estimates.filter((e) => e.high < 0 || e.low > 0).length / n,
    meanSe: estimates.reduce((a, e) => a + e.standardError, 0) / n,
  };
}

describe("the training impact estimate on generated bills", () => {
  it("recovers a known 25% fall: centred on it, and its 95% interval covers it in about 95% of runs", () => {
    const r = runs({ effect: -0.25 });
    expect(Math.abs(r.meanEstimate - Math.log(0.75))).toBeLessThan(0.01);
    expect(r.coverage).toBeGreaterThan(0.9);
    // With this noise, four weeks a side tell a 25% fall from no change nearly every time.
    expect(r.clearOfZero).toBeGreaterThan(0.9);
    const e = r.estimates[0];
    expect(e.relative?.change).toBeCloseTo(Math.expm1(e.estimate), 12);
  });

  it("with no effect, the interval covers 0 in about 95% of runs (few false savings)", () => {
    const r = runs({ effect: 0 });
    expect(Math.abs(r.meanEstimate)).toBeLessThan(0.01);
    expect(r.coverage).toBeGreaterThan(0.9);
    expect(r.clearOfZero).toBeLessThan(0.1);
  });

  it("is not fooled by a price cut that reaches every team, though the dollars per call fall most for the dearest", () => {
    const r = runs({ effect: 0, commonChange: -0.4 });
    expect(Math.abs(r.meanEstimate)).toBeLessThan(0.01);
    expect(r.coverage).toBeGreaterThan(0.9);
    // The same bills in dollar levels: the team pays three times as much per call, so a 40% cut for everyone takes
    // about 2 × 1,000 × 0.4 = 800 micro-dollars more off its cost per call than off the comparison's, a "saving"
    // training had nothing to do with. That is why the estimate is a percentage.
    const { team, comparison } = bills(1, { effect: 0, commonChange: -0.4 });
    const d = (k: number) => {
      const [t, c] = [team.get(k), comparison.get(k)] as WeekFigures[];
      return t.meteredCostMicros / t.calls - c.meteredCostMicros / c.calls;
    };
    const mean = (ks: number[]) => ks.reduce((a, k) => a + d(k), 0) / ks.length;
    expect(mean([1, 2, 3, 4]) - mean([-4, -3, -2, -1])).toBeLessThan(-500);
  });

  it("takes its uncertainty from the data: twice the team's noise, about twice the standard error", () => {
    const quiet = runs({ effect: -0.1, noise: 0.05 }, 200);
    const noisy = runs({ effect: -0.1, noise: 0.1 }, 200);
    const ratio = noisy.meanSe / quiet.meanSe;
    expect(ratio).toBeGreaterThan(1.6);
    expect(ratio).toBeLessThan(2.4);
    expect(noisy.coverage).toBeGreaterThan(0.9);
  });
});
