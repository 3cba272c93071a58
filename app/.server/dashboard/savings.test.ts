import { describe, expect, it } from "vitest";
import { addSavings, projectedSavings } from "./savings";

describe("projectedSavings", () => {
  it("is the monthly cost difference and the prompt-token difference times calls per month", () => {
    const s = projectedSavings({
      promptTokens: 100,
      baselineTokens: 400,
      monthlyCostMicros: 2_000_000,
      baselineMonthlyCostMicros: 9_000_000,
      callsPerMonth: 1_200_000,
    });
    expect(s).toEqual({ monthlyMicros: 7_000_000, monthlyTokens: 360_000_000 });
  });

  it("is negative when the passing prompt is longer and dearer than the starting prompt", () => {
    const s = projectedSavings({
      promptTokens: 500,
      baselineTokens: 400,
      monthlyCostMicros: 10,
      baselineMonthlyCostMicros: 4,
      callsPerMonth: 30,
    });
    expect(s).toEqual({ monthlyMicros: -6, monthlyTokens: -3000 });
  });

  it("treats missing figures (an attempt graded before they were stored) as no saving", () => {
    const s = projectedSavings({
      promptTokens: null,
      baselineTokens: null,
      monthlyCostMicros: null,
      baselineMonthlyCostMicros: null,
      callsPerMonth: 30,
    });
    expect(s).toEqual({ monthlyMicros: 0, monthlyTokens: 0 });
  });
});

describe("addSavings", () => {
  it("sums dollars and tokens, and is zero for nothing", () => {
    expect(addSavings([])).toEqual({ monthlyMicros: 0, monthlyTokens: 0 });
    expect(
      addSavings([
        { monthlyMicros: 7_000_000, monthlyTokens: 360_000_000 },
        { monthlyMicros: 3_000_000, monthlyTokens: 1_200_000_000 },
      ]),
    ).toEqual({ monthlyMicros: 10_000_000, monthlyTokens: 1_560_000_000 });
  });
});
