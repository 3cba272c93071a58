import type { ModelInfo } from "./models";

/**
 * Money is integer micro-dollars (1 USD = 1,000,000). Prices are micro-dollars per 1M tokens,
 * so a call's cost is tokens × price / 1M, rounded once at the end.
 */

export interface CallTokens {
  input: number;
  cachedInput?: number;
  output: number;
}

type Prices = Pick<ModelInfo, "inputMicrosPerM" | "cachedInputMicrosPerM" | "outputMicrosPerM">;

/** Exact cost of `calls` identical calls, rounded once (so a monthly projection does not multiply a rounding error). */
export function costMicros(model: Prices, tokens: CallTokens, calls = 1): number {
  const cached = tokens.cachedInput ?? 0;
  const uncached = Math.max(0, tokens.input - cached);
  const perCallTimesMillion =
    uncached * model.inputMicrosPerM + cached * model.cachedInputMicrosPerM + tokens.output * model.outputMicrosPerM;
  return Math.round((perCallTimesMillion * calls) / 1_000_000);
}

export interface Volume {
  calls: number;
  per: "day" | "month";
}

/** Calls per month at a stated volume; a month is 30 days, as the exercise briefs say. */
export function callsPerMonth(volume: Volume): number {
  return volume.per === "day" ? volume.calls * 30 : volume.calls;
}

export function formatMicros(micros: number): string {
  const usd = micros / 1_000_000;
  const abs = Math.abs(usd);
  if (abs === 0) return "$0";
  if (abs < 0.01) return `$${usd.toFixed(6)}`;
  if (abs < 100) return `$${usd.toFixed(2)}`;
  return `$${Math.round(usd).toLocaleString("en-US")}`;
}

/**
 * Exact to the micro-dollar where a rounded figure would mislead ("$0.03 left, less than $0.03"): whole cents
 * when the amount is whole cents, else every significant digit down to the micro-dollar.
 */
export function formatMicrosExact(micros: number): string {
  if (micros % 10_000 === 0 || Math.abs(micros) >= 100_000_000) return formatMicros(micros);
  const usd = (micros / 1_000_000).toFixed(6).replace(/0+$/, "");
  return `$${usd}`;
}
