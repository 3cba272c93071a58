import { describe, expect, it } from "vitest";
import { budgetState } from "./budget-board";

const BUDGET = { scope: "team" as const, scopeId: 1, limitMicros: 600, warnPercent: 80 };

describe("budgetState", () => {
  it("is ok below the warning share, warn from it, reserved when holds fill it, blocked only once spend reaches the limit", () => {
    expect(budgetState(BUDGET, 400, 79).state).toBe("ok");
    expect(budgetState(BUDGET, 411, 100)).toMatchObject({ state: "warn", percent: 85, remainingMicros: 89 });
    expect(budgetState(BUDGET, 480, 0).state).toBe("warn");
    // Spend at 83%, the rest held for calls in flight: not used up (a learner is never told so), only reserved.
    expect(budgetState(BUDGET, 500, 100)).toMatchObject({ state: "reserved", percent: 100, remainingMicros: 0 });
    expect(budgetState(BUDGET, 600, 0)).toMatchObject({ state: "blocked", percent: 100, remainingMicros: 0 });
    expect(budgetState(BUDGET, 6_060, 0)).toMatchObject({ state: "blocked", percent: 1_010, remainingMicros: -5_460 });
  });

  it("treats a zero limit as fully used", () => {
    expect(budgetState({ ...BUDGET, limitMicros: 0 }, 0, 0)).toMatchObject({ state: "blocked", percent: 100 });
  });
});
