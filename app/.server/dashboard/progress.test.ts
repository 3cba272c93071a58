import { describe, expect, it } from "vitest";
import { skillStrengths, weeklyTrend } from "./progress";

describe("skillStrengths", () => {
  it("averages best scores per skill on a 0–100 scale and leaves untried skills null", () => {
    const s = skillStrengths([
      { skill: "compression", bestScore: 1000 },
      { skill: "compression", bestScore: 500 },
      { skill: "safety", bestScore: 800 },
    ]);
    expect(s).toEqual({
      compression: 75,
      "model-tiering": null,
      "structured-output": null,
      caching: null,
      safety: 80,
      "context-engineering": null,
    });
  });

  it("shows a tried but failed skill as a low number, not as untried", () => {
    expect(skillStrengths([{ skill: "caching", bestScore: 0 }]).caching).toBe(0);
  });
});

describe("weeklyTrend", () => {
  const now = new Date("2026-03-18T12:00:00Z");
  it("counts attempts and takes the median score per ISO week, oldest first, with empty weeks", () => {
    const rows = [
      { createdAt: new Date("2026-03-17T10:00:00Z"), score: 500 },
      { createdAt: new Date("2026-03-17T11:00:00Z"), score: 900 },
      { createdAt: new Date("2026-03-16T00:00:00Z"), score: 1000 },
      { createdAt: new Date("2026-03-03T10:00:00Z"), score: 400 },
      { createdAt: new Date("2026-03-03T11:00:00Z"), score: 700 },
      { createdAt: new Date("2026-03-03T12:00:00Z"), score: null },
      { createdAt: new Date("2025-01-01T00:00:00Z"), score: 100 }, // older than the window: ignored
    ];
    const trend = weeklyTrend(rows, now, 3);
    expect(trend).toEqual([
      { week: "2026-W10", start: "2026-03-02T00:00:00.000Z", attempts: 3, medianScore: 550 },
      { week: "2026-W11", start: "2026-03-09T00:00:00.000Z", attempts: 0, medianScore: null },
      { week: "2026-W12", start: "2026-03-16T00:00:00.000Z", attempts: 3, medianScore: 900 },
    ]);
  });

  it("gives 12 weeks by default", () => {
    expect(weeklyTrend([], now)).toHaveLength(12);
  });
});
