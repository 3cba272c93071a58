import { describe, expect, it } from "vitest";
import { rangesOf } from "./rollup";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const ms = (iso: string) => d(iso).getTime();
const daysOf = (from: string, count: number) => Array.from({ length: count }, (_, i) => ms(from) + i * 86_400_000);

describe("rangesOf (which rollup rows sum to a period)", () => {
  it("reads a whole month as its monthly row", () => {
    expect(rangesOf(d("2026-10-01"), d("2026-11-01"))).toEqual([
      { grain: "month", starts: [ms("2026-10-01")], sign: 1 },
    ]);
  });

  it("reads a few days as daily rows", () => {
    expect(rangesOf(d("2026-10-10"), d("2026-10-14"))).toEqual([
      { grain: "day", starts: daysOf("2026-10-10", 4), sign: 1 },
    ]);
  });

  it("reads most of a month as the monthly row minus the days outside the period", () => {
    expect(rangesOf(d("2026-10-02"), d("2026-10-31"))).toEqual([
      { grain: "month", starts: [ms("2026-10-01")], sign: 1 },
      { grain: "day", starts: [ms("2026-10-01"), ms("2026-10-31")], sign: -1 },
    ]);
  });

  it("reads a year from the 2nd to the 31st as twelve months minus two days", () => {
    const ranges = rangesOf(d("2025-11-02"), d("2026-10-31"));
    expect(ranges).toEqual([
      { grain: "month", starts: Array.from({ length: 12 }, (_, i) => Date.UTC(2025, 10 + i, 1)), sign: 1 },
      { grain: "day", starts: [ms("2025-11-01"), ms("2026-10-31")], sign: -1 },
    ]);
  });

  it("mixes both across months: days of a thin edge, whole months, a thick edge minus its outside days", () => {
    expect(rangesOf(d("2026-01-20"), d("2026-03-18"))).toEqual([
      { grain: "month", starts: [ms("2026-02-01"), ms("2026-03-01")], sign: 1 },
      { grain: "day", starts: daysOf("2026-01-20", 12), sign: 1 },
      { grain: "day", starts: daysOf("2026-03-18", 14), sign: -1 },
    ]);
  });

  it("refuses bounds that are not whole UTC days (the ledger is read instead)", () => {
    expect(rangesOf(new Date("2026-10-01T12:00:00Z"), d("2026-11-01"))).toBeNull();
  });
});
