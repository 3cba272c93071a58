/**
 * Training impact, measured on the production bill: a difference-in-differences estimate of how a team's
 * per-call figures changed after its training, against teams not (yet) trained over the same weeks. Pure.
 *
 * For a team trained in calendar week w0 (weeks from Monday, UTC): the PRE weeks before w0 and the POST weeks after
 * it (w0 itself, when training happened, is left out). For each week with calls, D = the team's figure − the
 * comparison teams' pooled figure (their summed cost over their summed calls, so a big team weighs by its calls,
 * not as one vote). The estimate is mean(D after) − mean(D before): the change in the team's figure beyond what
 * happened to everyone else those weeks. Its standard error is sqrt(var(D before)/n before + var(D after)/n after),
 * and the 95% interval uses Student's t with n before + n after − 2 degrees of freedom. It is an estimate: teams
 * are not assigned training at random, and a team's usage can change for reasons of its own.
 */

export const PRE_WEEKS = 4;
export const POST_WEEKS = 4;
/** Fewer weeks with calls than this on either side, or no comparison team, and nothing is estimated. */
export const MIN_WEEKS = 2;
/** Weeks of cost per call shown as each team's trend. */
export const TREND_WEEKS = 12;

/** One team's (or the comparison teams' pooled) usage in one calendar week. */
export interface WeekFigures {
  /** Metered: the cost, tokens and calls of usage whose source counts its calls. */
  calls: number;
  meteredCostMicros: number;
  meteredInputTokens: number;
  meteredOutputTokens: number;
  costMicros: number;
  frontierCostMicros: number;
}

export const METRICS = ["costPerCall", "tokensPerCall", "frontierShare"] as const;
export type Metric = (typeof METRICS)[number];

export const METRIC_LABELS: Record<Metric, string> = {
  costPerCall: "cost per call (micro-dollars)",
  tokensPerCall: "tokens per call",
  frontierShare: "frontier share of cost",
};

/** The figure of a week, or null when it has nothing to divide by. */
export function metricOf(w: WeekFigures, metric: Metric): number | null {
  if (metric === "frontierShare") return w.costMicros > 0 ? w.frontierCostMicros / w.costMicros : null;
  if (w.calls <= 0) return null;
  return metric === "costPerCall"
    ? w.meteredCostMicros / w.calls
    : (w.meteredInputTokens + w.meteredOutputTokens) / w.calls;
}

export interface Estimate {
  metric: Metric;
  /** The team's mean figure before and after, and the comparison's. */
  before: number;
  after: number;
  comparisonBefore: number;
  comparisonAfter: number;
  /** mean(D after) − mean(D before); negative is a fall. */
  estimate: number;
  standardError: number;
  low: number;
  high: number;
  weeksBefore: number;
  weeksAfter: number;
  /**
   * A check of the comparison's premise (that the team and the comparison moved alike before training): the slope
   * per week of the difference over the weeks before training (least squares, 95% interval). When the interval
   * excludes zero, the team was already drifting apart before it trained, and the estimate deserves less trust.
   * Null with fewer than 3 weeks before.
   */
  preTrend: { slopePerWeek: number; low: number; high: number; diverging: boolean } | null;
}

export type ImpactOutcome = { ok: true; estimate: Estimate } | { ok: false; reason: string };

/** Two-sided 97.5% quantiles of Student's t for 1–30 degrees of freedom; 1.96 beyond. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
export const tQuantile = (df: number) => (df >= 1 && df <= 30 ? T975[df - 1] : 1.96);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function sampleVariance(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
}

/** mean(after) − mean(before), its standard error and 95% interval (Student's t, n before + n after − 2 df). */
function contrast(before: number[], after: number[]) {
  const estimate = mean(after) - mean(before);
  const standardError = Math.sqrt(sampleVariance(before) / before.length + sampleVariance(after) / after.length);
  const margin = tQuantile(before.length + after.length - 2) * standardError;
  return { estimate, standardError, low: estimate - margin, high: estimate + margin };
}

/** Least-squares slope of y on x with its 95% interval (Student's t, n − 2 df); null under 3 points. */
function trend(points: [number, number][]) {
  const n = points.length;
  if (n < 3) return null;
  const mx = mean(points.map(([x]) => x));
  const my = mean(points.map(([, y]) => y));
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const slopePerWeek = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  const residual = points.reduce((s, [x, y]) => s + (y - my - slopePerWeek * (x - mx)) ** 2, 0) / (n - 2);
  const margin = tQuantile(n - 2) * Math.sqrt(residual / sxx);
  return { slopePerWeek, low: slopePerWeek - margin, high: slopePerWeek + margin };
}

/**
 * The estimate for one metric. `team` and `comparison` map week offsets from the training week (−PRE…−1 before,
 * 1…POST after) to that week's figures.
 */
export function differenceInDifferences(
  team: ReadonlyMap<number, WeekFigures>,
  comparison: ReadonlyMap<number, WeekFigures>,
  metric: Metric,
): ImpactOutcome {
  const diffs = (offsets: number[]) => {
    const out: { k: number; d: number; t: number; c: number }[] = [];
    for (const k of offsets) {
      const t = team.get(k);
      const c = comparison.get(k);
      const tv = t ? metricOf(t, metric) : null;
      const cv = c ? metricOf(c, metric) : null;
      if (tv !== null && cv !== null) out.push({ k, d: tv - cv, t: tv, c: cv });
    }
    return out;
  };
  const before = diffs(Array.from({ length: PRE_WEEKS }, (_, i) => -PRE_WEEKS + i));
  const after = diffs(Array.from({ length: POST_WEEKS }, (_, i) => i + 1));
  if (before.length < MIN_WEEKS || after.length < MIN_WEEKS)
    return {
      ok: false,
      reason: `needs ${MIN_WEEKS} weeks with calls before and after training, beside the comparison teams (has ${before.length} and ${after.length})`,
    };
  const { estimate, standardError, low, high } = contrast(
    before.map((x) => x.d),
    after.map((x) => x.d),
  );
  const slope = trend(before.map((x) => [x.k, x.d]));
  return {
    ok: true,
    estimate: {
      metric,
      before: mean(before.map((x) => x.t)),
      after: mean(after.map((x) => x.t)),
      comparisonBefore: mean(before.map((x) => x.c)),
      comparisonAfter: mean(after.map((x) => x.c)),
      estimate,
      standardError,
      low,
      high,
      weeksBefore: before.length,
      weeksAfter: after.length,
      preTrend: slope && { ...slope, diverging: slope.low > 0 || slope.high < 0 },
    },
  };
}

/**
 * The monthly saving a cost-per-call estimate implies at the team's call volume after training (calls per 30 days),
 * in micro-dollars: positive when the cost per call fell. The interval's bounds, likewise (low ≤ high).
 */
export function monthlySaving(costPerCall: Estimate, callsPerMonth: number) {
  const at = (perCall: number) => Math.round(-perCall * callsPerMonth);
  return { savingMicros: at(costPerCall.estimate), lowMicros: at(costPerCall.high), highMicros: at(costPerCall.low) };
}
