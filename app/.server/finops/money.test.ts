import { describe, expect, it } from "vitest";
import { divideRounded, millionths, parseMillionths, usd } from "./money";

describe("usd from micro-dollars", () => {
  it.each([
    [0, "0.000000"],
    [1, "0.000001"],
    [5_700, "0.005700"],
    [999_999, "0.999999"],
    [1_000_000, "1.000000"],
    [4_006_479, "4.006479"],
    [-5, "-0.000005"],
    [-1_234_567, "-1.234567"],
    [Number.MAX_SAFE_INTEGER, "9007199254.740991"],
  ])("writes %i micro-dollars as %s", (micros, text) => {
    expect(usd(micros)).toBe(text);
  });

  it("keeps every digit where floating point would not (0.1 + 0.2 style sums)", () => {
    const parts = [100_000, 200_000, 300_001];
    expect(usd(parts.reduce((a, b) => a + b, 0))).toBe("0.600001");
    expect(
      parts
        .map(usd)
        .map(parseMillionths)
        .reduce((a, b) => a + b, 0),
    ).toBe(600_001);
  });

  it("refuses a fraction of a micro-dollar rather than rounding it silently", () => {
    expect(() => millionths(1.5)).toThrow(RangeError);
    expect(() => millionths(Number.NaN)).toThrow(RangeError);
  });
});

describe("parseMillionths", () => {
  it("reads back what millionths writes, and shorter decimals", () => {
    for (const n of [0, 1, 42, 5_700, 1_000_000, 123_456_789_012, -7]) expect(parseMillionths(millionths(n))).toBe(n);
    expect(parseMillionths("1.5")).toBe(1_500_000);
    expect(parseMillionths("3")).toBe(3_000_000);
  });

  it("refuses more than six decimals or anything that is not a plain decimal", () => {
    for (const bad of ["0.0000001", "1e3", "$1.00", "", "1,000.00", " 1.0"])
      expect(() => parseMillionths(bad)).toThrow(RangeError);
  });
});

describe("divideRounded", () => {
  it("rounds half up, exactly, beyond 2^53 in the product", () => {
    expect(divideRounded(5n, 2n)).toBe(3);
    expect(divideRounded(4n, 3n)).toBe(1);
    expect(divideRounded(5n, 3n)).toBe(2);
    expect(divideRounded(9_007_199_254_740_993n * 1_000_000n, 1_000_000n)).toBe(9_007_199_254_740_992);
  });
});
