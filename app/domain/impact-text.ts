import { formatMicros } from "./cost";
import type { Estimate } from "./impact";

/** How training impact figures read on pages (finops.impact, the manager dashboard, the team leaderboard). Pure. */

const signed = (value: number, format: (abs: number) => string) =>
  `${value < 0 ? "−" : value > 0 ? "+" : "±"}${format(Math.abs(value))}`;

/** A cost per call (micro-dollars, fractional) as dollars per 1,000 calls: 1234.5 → "$1.23". */
export const costPerCallText = (micros: number) => formatMicros(Math.round(Math.abs(micros) * 1000));

/** An estimate and its interval, signed: "−$0.41 (−$0.52 to −$0.30)". */
export function changeText(estimate: Pick<Estimate, "estimate" | "low" | "high">, format: (abs: number) => string) {
  return `${signed(estimate.estimate, format)} (${signed(estimate.low, format)} to ${signed(estimate.high, format)})`;
}

/** A log-scale estimate as a percentage change with its interval: "−12.3% (−18.0% to −6.1%)". */
export function relativeText(relative: { change: number; low: number; high: number }) {
  const pct = (abs: number) => `${(abs * 100).toFixed(1)}%`;
  return changeText({ estimate: relative.change, low: relative.low, high: relative.high }, pct);
}

/** A monthly saving with its interval: "$1,234 a month ($900 to $1,560)"; a negative saving is extra cost. */
export function savingText(s: { savingMicros: number; lowMicros: number; highMicros: number }) {
  const money = (m: number) => (m < 0 ? `−${formatMicros(-m)}` : formatMicros(m));
  return `${money(s.savingMicros)} a month (${money(s.lowMicros)} to ${money(s.highMicros)})`;
}

/** Whether the interval says anything: it excludes zero. */
export const clearOfZero = (e: Pick<Estimate, "low" | "high">) => e.high < 0 || e.low > 0;
