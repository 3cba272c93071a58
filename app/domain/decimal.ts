/**
 * Exact reading of decimal numbers from imported files, where floating point would lose money: "0.0000015"
 * dollars is 1.5 micro-dollars whatever a double makes of it. A number is read as its digits and exponent,
 * scaled by a power of ten in BigInt arithmetic and rounded once, half away from zero.
 *
 * Accepted: FOCUS's NumericFormat (an integer, a decimal with one "." or E notation such as "35.2E-7"), plus a
 * leading "+" and a positive exponent sign, which FOCUS forbids but providers' JSON and spreadsheets write.
 */

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

export class DecimalError extends Error {}

/** `text` × 10^`scale`, rounded half away from zero, as a BigInt. Throws DecimalError on anything not a number. */
export function scaledDecimal(text: string, scale: number): bigint {
  const m = NUMBER.exec(text.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new DecimalError(`"${clip(text)}" is not a number`);
  const [, sign, whole, fraction = "", exponent = "0"] = m;
  const digits = BigInt(`${whole}${fraction}` || "0");
  // value = digits × 10^(exponent − fraction length); scaled by 10^scale.
  const shift = Number(exponent) - fraction.length + scale;
  let result: bigint;
  if (shift >= 0) {
    if (shift > 40) throw new DecimalError(`"${clip(text)}" is too large`);
    result = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(Math.min(-shift, 400));
    // Half away from zero: add half the divisor before truncating (digits is non-negative here).
    result = (digits * 2n + divisor) / (divisor * 2n);
  }
  return sign === "-" ? -result : result;
}

/** Like scaledDecimal, as a safe integer; anything beyond ±2^53 is refused rather than rounded. */
export function scaledInteger(text: string, scale: number): number {
  const value = scaledDecimal(text, scale);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new DecimalError(`"${clip(text)}" is too large`);
  return Number(value);
}

/** US dollars (a decimal string or a JSON number) as integer micro-dollars. */
export function dollarsToMicros(value: string | number): number {
  return scaledInteger(typeof value === "number" ? numberText(value) : value, 6);
}

/**
 * A JSON number's shortest round-trip text ("1e-7", "0.1"), which is what the sender wrote in all but
 * pathological cases; non-finite numbers are refused.
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new DecimalError(`${value} is not a finite number`);
  return String(value);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
