/**
 * Training impact, measured on the production bill: a difference-in-differences estimate of how a team's
 * per-call figures changed after its training, against teams not (yet) trained over the same weeks. Pure.
 *
 * For a team trained in calendar week w0 (weeks from Monday, UTC): the PRE weeks before w0 and the POST weeks after
 * it (w0 itself, when training happened, is left out). For each week with calls, D = the team's figure − the
 * comparison teams' pooled figure (their summed cost over their summed calls, so a big team weighs by its calls,
 * not as one vote), on the metric's scale:
 *
 * - cost and tokens per call on the **log** scale, D = ln(team) − ln(comparison): teams differ in size and in what
 *   they use models for, so one pays ten times another per call, and a change that hits everyone alike (a price
 *   cut, a cheaper model) moves them by the same *percentage*, not the same dollars. On the log scale that common
 *   change cancels, and the estimate is a percentage effect, exp(estimate) − 1, whatever the team's level;
 * - the frontier share (already a fraction) in percentage points, D = team − comparison.
 *
 * The estimate is mean(D after) − mean(D before): the change in the team's figure beyond what happened to everyone
 * else those weeks. Its standard error comes from the weeks themselves, sqrt(var(D before)/n before + var(D after)/
 * n after) with the sample variances, and the 95% interval uses Student's t with Welch–Satterthwaite degrees of
 * freedom (rounded down: with 2 to 4 weeks a side the interval is wide, as it should be). It is an estimate: teams
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

/** The scale each metric's difference is taken on (see above). */
export const METRIC_SCALES: Record<Metric, "log" | "points"> = {
  costPerCall: "log",
  tokensPerCall: "log",
  frontierShare: "points",
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
  scale: "log" | "points";
  /** The team's mean figure before and after, and the comparison's (on the metric's own scale, not logs). */
  before: number;
  after: number;
  comparisonBefore: number;
  comparisonAfter: number;
  /** mean(D after) − mean(D before) on the metric's scale (log points, or share points); negative is a fall. */
  estimate: number;
  standardError: number;
  /** The 95% interval of the estimate, same scale. */
  low: number;
  high: number;
  /** Degrees of freedom of the interval's t (Welch–Satterthwaite, rounded down). */
  degreesOfFreedom: number;
  /** Log scale only: the estimate and its interval as relative changes, exp(x) − 1 (−0.2 is a 20% fall). */
  relative: { change: number; low: number; high: number } | null;
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

/**
 * mean(after) − mean(before), its standard error from the two samples' variances, and the 95% interval with Student's
 * t at the Welch–Satterthwaite degrees of freedom (n before + n after − 2 when both samples are constant).
 */
function contrast(before: number[], after: number[]) {
  const estimate = mean(after) - mean(before);
  const [vb, va] = [sampleVariance(before) / before.length, sampleVariance(after) / after.length];
  const standardError = Math.sqrt(vb + va);
  const welch = (vb + va) ** 2 / (vb ** 2 / (before.length - 1) + va ** 2 / (after.length - 1));
  const degreesOfFreedom = Number.isFinite(welch) ? Math.max(1, Math.floor(welch)) : before.length + after.length - 2;
  const margin = tQuantile(degreesOfFreedom) * standardError;
  return { estimate, standardError, low: estimate - margin, high: estimate + margin, degreesOfFreedom };
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
  const scale = METRIC_SCALES[metric];
  const diffs = (offsets: number[]) => {
    const out: { k: number; d: number; t: number; c: number }[] = [];
    for (const k of offsets) {
      const t = team.get(k);
      const c = comparison.get(k);
      const tv = t ? metricOf(t, metric) : null;
      const cv = c ? metricOf(c, metric) : null;
      if (tv === null || cv === null) continue;
      // A log needs a positive figure: a week of credits (cost ≤ 0) says nothing about a percentage.
      if (scale === "log" && (tv <= 0 || cv <= 0)) continue;
      out.push({ k, d: scale === "log" ? Math.log(tv) - Math.log(cv) : tv - cv, t: tv, c: cv });
    }
    return out;
  };
  const before = diffs(Array.from({ length: PRE_WEEKS }, (_, i) => -PRE_WEEKS + i));
  const after = diffs(Array.from({ length: POST_WEEKS }, (_, i) => i + 1));
  if (before.length < MIN_WEEKS || after.length < MIN_WEEKS)
    return {
      ok: false,
      reason: `needs ${MIN_WEEKS} weeks with calls${scale === "log" ? " and a positive cost" : ""} before and after training, beside the comparison teams (has ${before.length} and ${after.length})`,
    };
  const { estimate, standardError, low, high, degreesOfFreedom } = contrast(
    before.map((x) => x.d),
    after.map((x) => x.d),
  );
  const relative = (x: number) => Math.expm1(x);
  const slope = trend(before.map((x) => [x.k, x.d]));
  return {
    ok: true,
    estimate: {
      metric,
      scale,
      before: mean(before.map((x) => x.t)),
      after: mean(after.map((x) => x.t)),
      comparisonBefore: mean(before.map((x) => x.c)),
      comparisonAfter: mean(after.map((x) => x.c)),
      estimate,
      standardError,
      low,
      high,
      degreesOfFreedom,
      relative: scale === "log" ? { change: relative(estimate), low: relative(low), high: relative(high) } : null,
      weeksBefore: before.length,
      weeksAfter: after.length,
      preTrend: slope && { ...slope, diverging: slope.low > 0 || slope.high < 0 },
    },
  };
}

/**
 * The monthly saving a cost-per-call estimate (log scale) implies for a team that spent `spendPerMonthMicros` a month
 * (on calls it counts) since training, in micro-dollars: what that spend would have been without the change,
 * spend / exp(estimate), minus the spend. Positive when the cost per call fell; the interval's bounds likewise
 * (low ≤ high). So a 20% fall on $1,000 a month saves $250: without training the same calls would have cost $1,250.
 */
export function monthlySaving(costPerCall: Pick<Estimate, "estimate" | "low" | "high">, spendPerMonthMicros: number) {
  const at = (logChange: number) => Math.round(spendPerMonthMicros * Math.expm1(-logChange));
  return { savingMicros: at(costPerCall.estimate), lowMicros: at(costPerCall.high), highMicros: at(costPerCall.low) };
}
