/**
 * Exact decimal strings for exports. Amounts are integer micro-dollars, so USD with 6 decimals is
 * the same digits with a decimal point put in: done on the digits, never through floating point,
 * so a column of these strings sums back to the ledger to the micro-dollar.
 */

/** `n` millionths as a decimal string with 6 decimals: 1234567 → "1.234567", -5 → "-0.000005". */
export function millionths(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number of millionths: ${n}`);
  const digits = String(Math.abs(n)).padStart(7, "0");
  const sign = n < 0 ? "-" : "";
  return `${sign}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

/** Micro-dollars as US dollars with 6 decimals ("0.005700"). */
export const usd = millionths;

/** The inverse of `millionths`, for checking exports: "1.234567" → 1234567. Refuses anything inexact. */
export function parseMillionths(text: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal with at most 6 places: "${text}"`);
  const value = Number(match[2]) * 1_000_000 + Number((match[3] ?? "").padEnd(6, "0"));
  if (!Number.isSafeInteger(value)) throw new RangeError(`too large: "${text}"`);
  return match[1] ? -value : value;
}

/**
 * `numerator / denominator` rounded half up, for non-negative safe integers, in exact integer
 * arithmetic (BigInt: the product may pass 2^53).
 */
export function divideRounded(numerator: bigint, denominator: bigint): number {
  if (denominator <= 0n || numerator < 0n)
    throw new RangeError("divideRounded takes a numerator ≥ 0 and denominator > 0");
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}
