import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db";
import { DEMO_DAYS, DEMO_TEAM_USAGE, demoUsageRows } from "~/.server/usage/demo-usage";
import { catalogue } from "~/.server/usage/sources";
import { ready } from "./harness";

/** The demo's production usage: deterministic, priced by the catalogue, and shaped so training shows. */

const DAY = 86_400_000;
const END = Date.UTC(2026, 11, 6);

beforeAll(() => ready());

describe("the demo's production usage", () => {
  it("is the same on every run and covers the DEMO_DAYS days before the end day, priced by the catalogue", () => {
    const cat = catalogue(db());
    const rows = demoUsageRows(END, cat);
    expect(demoUsageRows(END, cat)).toEqual(rows);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    const days = new Set(rows.map((r) => r.periodStart));
    expect(days.size).toBe(DEMO_DAYS);
    expect(Math.min(...days)).toBe(END - DEMO_DAYS * DAY);
    expect(Math.max(...days)).toBe(END - DAY);
    for (const r of rows) {
      expect(cat.prices.has(r.dims.model)).toBe(true);
      expect(r.costMicros).toBeGreaterThan(0);
      expect(r.cachedInputTokens).toBeLessThanOrEqual(r.inputTokens);
    }
    expect(new Set(rows.map((r) => r.dims.tier))).toEqual(new Set(["nano", "small", "medium", "frontier"]));
  });

  it("makes the trained teams' cost per call fall after their training day while the others' creeps up", () => {
    const rows = demoUsageRows(END, catalogue(db()));
    for (const t of DEMO_TEAM_USAGE) {
      const own = rows.filter((r) => r.dims.project === t.project);
      const split = END - (t.trainedDaysAgo ?? 45) * DAY;
      const perCall = (xs: typeof own) =>
        xs.reduce((s, r) => s + r.costMicros, 0) / xs.reduce((s, r) => s + (r.calls ?? 0), 0);
      const ratio =
        perCall(own.filter((r) => r.periodStart >= split)) / perCall(own.filter((r) => r.periodStart < split));
      if (t.trainedDaysAgo === null) expect(ratio).toBeGreaterThan(1);
      else expect(ratio).toBeLessThan(0.7);
    }
  });
});
