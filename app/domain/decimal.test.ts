import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecimalError, dollarsToMicros, scaledDecimal, scaledInteger } from "./decimal";

describe("scaledDecimal", () => {
  it.each([
    ["1", 6, 1_000_000n],
    ["0.000001", 6, 1n],
    ["0.0000005", 6, 1n],
    ["0.00000049", 6, 0n],
    ["-0.0000005", 6, -1n],
    ["35.2E-7", 6, 4n],
    ["35.2e-7", 6, 4n],
    ["1.5E+3", 0, 1500n],
    ["+2.50", 2, 250n],
    [".5", 1, 5n],
    ["7.", 0, 7n],
    ["123.78912", 4, 1_237_891n],
    ["0", 6, 0n],
    ["-0", 6, 0n],
  ] as const)("%s × 10^%d = %d", (text, scale, expected) => {
    expect(scaledDecimal(text, scale)).toBe(expected);
  });

  it.each(["", ".", "-", "1,000", "$5", "1 1/2", "0x10", "NaN", "Infinity", "1e", "1.2.3", "١٢"])(
    "refuses %j",
    (text) => {
      expect(() => scaledDecimal(text, 6)).toThrow(DecimalError);
    },
  );

  it("refuses an exponent that would build an enormous number instead of hanging", () => {
    expect(() => scaledDecimal("1e9999", 6)).toThrow(/too large/);
    expect(scaledDecimal("1e-9999", 6)).toBe(0n);
  });

  it("agrees with exact rational arithmetic for any integer count of millionths", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (n) => {
        const negative = n < 0n;
        const abs = negative ? -n : n;
        const text = `${negative ? "-" : ""}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, "0")}`;
        expect(scaledDecimal(text, 6)).toBe(n);
      }),
    );
  });

  it("rounds half away from zero, symmetrically", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 9 }), (whole, tenth) => {
        const up = scaledDecimal(`${whole}.${tenth}`, 0);
        const down = scaledDecimal(`-${whole}.${tenth}`, 0);
        expect(up).toBe(BigInt(whole + (tenth >= 5 ? 1 : 0)));
        expect(down).toBe(-up);
      }),
    );
  });
});

describe("scaledInteger and dollarsToMicros", () => {
  it("reads JSON numbers through their shortest text, so 0.1 is exactly 100,000 micro-dollars", () => {
    expect(dollarsToMicros(0.1)).toBe(100_000);
    expect(dollarsToMicros(0.06)).toBe(60_000);
    expect(dollarsToMicros(1e-7)).toBe(0);
    expect(dollarsToMicros(2.5e-6)).toBe(3);
  });

  it("refuses values beyond a safe integer instead of rounding them", () => {
    expect(() => scaledInteger("9007199254.740993", 6)).toThrow(/too large/);
    expect(() => dollarsToMicros(Number.NaN)).toThrow(DecimalError);
  });
});
