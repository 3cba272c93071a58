/**
 * Numbers written as words match the same number in digits, both ways: a requirement's "75" finds "seventy-five
 * pounds" and "eight words" finds "8 words". Whole numbers up to 99, as people write limits, counts and amounts.
 */

const UNITS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const VALUES = new Map<string, number>([
  ...UNITS.map((w, n) => [w, n] as [string, number]),
  ...TENS.flatMap((w, n) => (w ? [[w, n * 10] as [string, number]] : [])),
]);

const COMPOUND = /^([a-z]+)-([a-z]+)$/;

/** The digits a single number word stands for ("eight" → "8", "seventy-five" → "75"), or null. */
export function digitsOfWord(lower: string): string | null {
  const single = VALUES.get(lower);
  if (single !== undefined) return String(single);
  // (Asked of every token the judge indexes: most have no hyphen.)
  const compound = lower.includes("-") ? COMPOUND.exec(lower) : null;
  if (!compound) return null;
  const tens = VALUES.get(compound[1]);
  const unit = VALUES.get(compound[2]);
  if (tens === undefined || unit === undefined || tens < 20 || tens % 10 !== 0 || unit < 1 || unit > 9) return null;
  return String(tens + unit);
}

/**
 * The number a run of tokens at `i` spells ("seventy" "-" "five", "seventy five", "eight"), as digits, or null. Only
 * the run's first token gets the digits: a phrase's next word then matches the word after the run's first token, so a
 * number in words is found as a number of its own rather than inside a longer phrase.
 */
export function digitsAt(tokens: readonly { lower: string }[], i: number): string | null {
  const first = tokens[i]?.lower;
  if (first === undefined) return null;
  const tens = VALUES.get(first);
  if (tens !== undefined && tens >= 20 && tens % 10 === 0) {
    const next = tokens[i + 1]?.lower === "-" ? tokens[i + 2]?.lower : tokens[i + 1]?.lower;
    const unit = next === undefined ? undefined : VALUES.get(next);
    if (unit !== undefined && unit >= 1 && unit <= 9) return String(tens + unit);
  }
  return digitsOfWord(first);
}
