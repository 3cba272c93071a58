import { describe, expect, it } from "vitest";
import { parsePeriod, periodQuery } from "./period";

const NOW = new Date("2026-02-14T15:30:00Z");
const url = (query: string) => new URL(`http://localhost/finops${query}`);

async function status(query: string): Promise<{ status: number; text: string }> {
  try {
    parsePeriod(url(query), NOW);
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    throw thrown;
  }
  return { status: 200, text: "" };
}

describe("parsePeriod", () => {
  it("defaults to the current calendar month in UTC, [first day, first day of next month)", () => {
    const p = parsePeriod(url(""), NOW);
    expect(p).toEqual({
      from: new Date("2026-02-01T00:00:00Z"),
      to: new Date("2026-03-01T00:00:00Z"),
      fromDate: "2026-02-01",
      toDate: "2026-03-01",
    });
  });

  it("takes from and to as UTC midnights, to not included", () => {
    const p = parsePeriod(url("?from=2024-02-28&to=2024-03-01"), NOW);
    expect(p.from.toISOString()).toBe("2024-02-28T00:00:00.000Z");
    expect(p.to.toISOString()).toBe("2024-03-01T00:00:00.000Z");
  });

  it("fills a missing or empty bound from the current month", () => {
    expect(parsePeriod(url("?from=2025-12-01"), NOW).toDate).toBe("2026-03-01");
    expect(parsePeriod(url("?from=&to=2026-02-10"), NOW).fromDate).toBe("2026-02-01");
  });

  it("answers 400 naming the parameter for a malformed or impossible date", async () => {
    expect(await status("?from=2026-2-1")).toEqual({
      status: 400,
      text: "Bad URL parameter from: must be a date as YYYY-MM-DD",
    });
    expect(await status("?to=2026-02-30")).toEqual({
      status: 400,
      text: "Bad URL parameter to: is not a calendar date",
    });
  });

  it("answers 400 when to is not after from, or the period passes 366 days", async () => {
    expect((await status("?from=2026-02-10&to=2026-02-10")).text).toMatch(/^Bad URL parameter to: must be after/);
    expect((await status("?from=2024-01-01&to=2025-01-01")).status).toBe(200);
    expect((await status("?from=2024-01-01&to=2025-01-02")).text).toMatch(/at most 366 days/);
  });

  it("gives back a query string selecting the same period", () => {
    const p = parsePeriod(url("?from=2025-11-01&to=2025-12-01"), NOW);
    expect(periodQuery(p)).toBe("from=2025-11-01&to=2025-12-01");
  });
});
