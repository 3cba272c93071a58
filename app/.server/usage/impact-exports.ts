import { usd } from "~/.server/finops/money";
import { type Estimate, METRICS } from "~/domain/impact";
import { toCsv } from "~/lib/csv";
import type { TeamImpact } from "./training-impact";

/**
 * The training impact view as CSV: one row per team, each metric's figures before and after, the comparison's, the
 * estimate on its scale ("log": a difference of natural logs, with the relative change exp(x) − 1; "points": a
 * difference of fractions) with its standard error, 95% interval and degrees of freedom, the pre-training trend
 * check, and the monthly saving in USD and micro-dollars. Cost per call is in micro-dollars (fractional), tokens per
 * call in tokens, frontier share as a fraction.
 */

const round = (x: number, places: number) => Number(x.toFixed(places));

function estimateCells(e: Estimate | undefined): unknown[] {
  if (!e) return Array(ESTIMATE_HEADERS.length).fill("");
  return [
    round(e.before, 4),
    round(e.after, 4),
    round(e.comparisonBefore, 4),
    round(e.comparisonAfter, 4),
    e.scale,
    round(e.estimate, 6),
    round(e.standardError, 6),
    round(e.low, 6),
    round(e.high, 6),
    e.degreesOfFreedom,
    e.relative ? round(e.relative.change, 6) : "",
    e.relative ? round(e.relative.low, 6) : "",
    e.relative ? round(e.relative.high, 6) : "",
    e.weeksBefore,
    e.weeksAfter,
    e.preTrend === null ? "" : e.preTrend.diverging ? "diverging" : "parallel",
  ];
}

const ESTIMATE_HEADERS = [
  "before",
  "after",
  "comparison before",
  "comparison after",
  "scale",
  "estimate",
  "standard error",
  "95% low",
  "95% high",
  "degrees of freedom",
  "relative change",
  "relative 95% low",
  "relative 95% high",
  "weeks before",
  "weeks after",
  "pre-training trend",
];

export function impactCsv(rows: TeamImpact[]): string {
  return toCsv(
    [
      "Team ID",
      "Team",
      "Department",
      "Trained on",
      "Members",
      "Completed a course",
      "Status",
      "Reason",
      ...METRICS.flatMap((m) => ESTIMATE_HEADERS.map((h) => `${m} ${h}`)),
      "Calls per month after training",
      "Spend per month after training (USD)",
      "Monthly saving (USD, estimate)",
      "Monthly saving 95% low (USD)",
      "Monthly saving 95% high (USD)",
      "Monthly saving (micro-USD)",
    ],
    rows.map((r) => [
      r.teamId,
      r.team,
      r.department,
      r.trainedOn ?? "",
      r.members,
      r.completed,
      r.status,
      r.reason ?? "",
      ...METRICS.flatMap((m) => estimateCells(r.estimates[m])),
      r.callsPerMonth ?? "",
      r.spendPerMonthMicros === null ? "" : usd(r.spendPerMonthMicros),
      r.saving ? usd(r.saving.savingMicros) : "",
      r.saving ? usd(r.saving.lowMicros) : "",
      r.saving ? usd(r.saving.highMicros) : "",
      r.saving?.savingMicros ?? "",
    ]),
  );
}
