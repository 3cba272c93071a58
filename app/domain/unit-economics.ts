import type { Sums } from "./allocation";

/**
 * Unit economics of production usage, from summed figures: cost per 1,000 calls, input and output tokens per
 * call, the cached share of input tokens and the frontier tier's share of cost. Per-call figures use only usage
 * whose source counts calls (the "metered" sums: OpenAI buckets, LiteLLM requests; not a FOCUS token meter or an
 * Anthropic report, which carry tokens without requests), so a source without call counts does not inflate them.
 * Null where there is nothing to divide by.
 */

export interface UnitEconomics {
  costPer1kCallsMicros: number | null;
  inputTokensPerCall: number | null;
  outputTokensPerCall: number | null;
  /** Cached input tokens / input tokens, 0–1. */
  cachedInputShare: number | null;
  /** Cost on frontier-tier models / cost, 0–1. */
  frontierShare: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const round = (x: number | null, places: number) => (x === null ? null : Math.round(x * 10 ** places) / 10 ** places);

export function unitEconomics(s: Sums, frontierCostMicros: number): UnitEconomics {
  const perCall = ratio(s.meteredCostMicros, s.calls);
  return {
    costPer1kCallsMicros: perCall === null ? null : Math.round(perCall * 1000),
    inputTokensPerCall: round(ratio(s.meteredInputTokens, s.calls), 1),
    outputTokensPerCall: round(ratio(s.meteredOutputTokens, s.calls), 1),
    cachedInputShare: round(ratio(s.cachedInputTokens, s.inputTokens), 4),
    frontierShare: s.costMicros > 0 ? round(Math.max(0, frontierCostMicros) / s.costMicros, 4) : null,
  };
}

/** Week-over-week change of spend and whether it is an anomaly worth a look. */
export interface WeekOverWeek {
  thisWeekMicros: number;
  lastWeekMicros: number;
  /** (this − last) / last, or null when last week had nothing. */
  change: number | null;
  anomaly: "spike" | "new spend" | null;
}

/** A week is flagged when it spent at least this much more than the one before… */
export const ANOMALY_MIN_INCREASE_MICROS = 5_000_000;
/** …and at least this many times as much. */
export const ANOMALY_RATIO = 1.5;

export function weekOverWeek(thisWeekMicros: number, lastWeekMicros: number): WeekOverWeek {
  const increase = thisWeekMicros - lastWeekMicros;
  const change = lastWeekMicros > 0 ? round(increase / lastWeekMicros, 4) : null;
  let anomaly: WeekOverWeek["anomaly"] = null;
  if (increase >= ANOMALY_MIN_INCREASE_MICROS) {
    if (lastWeekMicros <= 0) anomaly = "new spend";
    else if (thisWeekMicros >= ANOMALY_RATIO * lastWeekMicros) anomaly = "spike";
  }
  return { thisWeekMicros, lastWeekMicros, change, anomaly };
}
