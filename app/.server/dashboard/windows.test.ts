import { describe, expect, it } from "vitest";
import { isoWeekKey, lastWeeks, weekStart, windowStart } from "./windows";

const at = (iso: string) => new Date(iso);

describe("windowStart", () => {
  it("starts this week on Monday 00:00 UTC, even on a Sunday evening", () => {
    expect(windowStart("week", at("2026-03-18T12:00:00Z"))?.toISOString()).toBe("2026-03-16T00:00:00.000Z");
    expect(windowStart("week", at("2026-03-22T23:59:59Z"))?.toISOString()).toBe("2026-03-16T00:00:00.000Z");
    expect(windowStart("week", at("2026-03-16T00:00:00Z"))?.toISOString()).toBe("2026-03-16T00:00:00.000Z");
  });

  it("starts this month on the 1st at 00:00 UTC and all time nowhere", () => {
    expect(windowStart("month", at("2026-03-18T12:00:00Z"))?.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(windowStart("all", at("2026-03-18T12:00:00Z"))).toBeNull();
  });
});

describe("isoWeekKey", () => {
  it("numbers weeks as ISO 8601 does, including weeks that belong to the neighbouring year", () => {
    expect(isoWeekKey(at("2026-03-18T12:00:00Z"))).toBe("2026-W12");
    expect(isoWeekKey(at("2026-01-01T00:00:00Z"))).toBe("2026-W01"); // a Thursday
    expect(isoWeekKey(at("2027-01-01T00:00:00Z"))).toBe("2026-W53"); // a Friday
    expect(isoWeekKey(at("2024-12-30T00:00:00Z"))).toBe("2025-W01"); // a Monday
  });
});

describe("lastWeeks", () => {
  it("lists the last N weeks oldest first, ending with the current week", () => {
    const weeks = lastWeeks(at("2026-03-18T12:00:00Z"), 3);
    expect(weeks.map((w) => w.key)).toEqual(["2026-W10", "2026-W11", "2026-W12"]);
    expect(weeks[0].start.toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(weekStart(at("2026-03-18T12:00:00Z")).getTime()).toBe(weeks[2].start.getTime());
  });
});
