/**
 * Projected savings of a learner's best passing attempt on an exercise, against the exercise's
 * starting prompt, at the exercise's stated volume. Pure.
 *
 *   dollars/month = baseline monthly cost − attempt monthly cost (both already at the stated volume)
 *   tokens/month  = (baseline prompt tokens − attempt prompt tokens) × calls per month
 *
 * Signed: a passing prompt that is longer than the starting one shows up as a negative saving
 * rather than being hidden.
 */

export interface BestPass {
  promptTokens: number | null;
  baselineTokens: number | null;
  monthlyCostMicros: number | null;
  baselineMonthlyCostMicros: number | null;
  /** Calls per month at the exercise's stated volume (callsPerMonth of the attempt's version). */
  callsPerMonth: number;
}

export interface Savings {
  monthlyMicros: number;
  monthlyTokens: number;
}

export const NO_SAVINGS: Savings = { monthlyMicros: 0, monthlyTokens: 0 };

export function projectedSavings(best: BestPass): Savings {
  return {
    monthlyMicros: (best.baselineMonthlyCostMicros ?? 0) - (best.monthlyCostMicros ?? 0),
    monthlyTokens: ((best.baselineTokens ?? 0) - (best.promptTokens ?? 0)) * best.callsPerMonth,
  };
}

export function addSavings(list: Savings[]): Savings {
  return list.reduce(
    (sum, s) => ({
      monthlyMicros: sum.monthlyMicros + s.monthlyMicros,
      monthlyTokens: sum.monthlyTokens + s.monthlyTokens,
    }),
    NO_SAVINGS,
  );
}
