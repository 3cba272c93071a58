import { quoteRule, type Reading, type Token } from "./reading";

/**
 * A value per side of a named case, swapped: the description gives the named case one value and everything else
 * another ("EU roaming included on Unlimited plans; other plans £2.25 a day"), the prompt binds the others' value to
 * the named case:
 *
 *     EU roaming: £2.25 per day on Unlimited plans; included on all other plans.
 *     eu_roaming: Unlimited = £2.25/day; other plans = included
 *     EU roaming costs £2.25 a day on Unlimited plans; on other plans it is included.
 *
 * In the prompt, each affirmed mention of the case is read with the stretch of words it binds: up to a comma, a
 * semicolon, a bracket, "and", "but", "unless", "except", "other" and the like on either side (so "free on Unlimited
 * and £2.25 a day on other plans" and "£2.25 a day except on Unlimited" bind nothing wrong). A stretch that holds the
 * others' value, affirmed, and not the case's own value gives the case the wrong side.
 */

export interface SideSlot {
  /** The named case, lower case: "unlimited". */
  case: string;
  /** The named case as the description writes it: "Unlimited". */
  name: string;
  /** The case's own value, lower case: "included". */
  value: string;
  /** Everyone else's value, lower case, without a currency sign: "2.25". */
  others: string;
}

const SLOT =
  /^.*?\b(\p{L}+)\s+(?:on|for|with|in)\s+(\p{Lu}[\p{L}-]*)\b[^;]*;\s*(?:all\s+|every\s+|any\s+)?other\s+\p{L}+\s+(.+?)\.?$/u;
const CURRENCY = /^[£€$]/;

/** The slot a requirement's description states, or null. */
export function sideSlot(description: string): SideSlot | null {
  const m = SLOT.exec(description.trim());
  if (!m) return null;
  const others = /\d+(?:[.,]\d+)?|\p{L}+/u.exec(m[3].replace(CURRENCY, ""))?.[0];
  if (!others) return null;
  return { case: m[2].toLowerCase(), name: m[2], value: m[1].toLowerCase(), others: others.toLowerCase() };
}

/** Words that end what a mention of the case binds: another branch, the other side, an exception, an aside. */
const CUT_WORDS = new Set([
  "and",
  "but",
  "while",
  "whereas",
  "otherwise",
  "else",
  "other",
  "others",
  "except",
  "unless",
  "besides",
  "outside",
  "apart",
  "excluding",
  "instead",
  "vs",
  "versus",
  "than",
  "everyone",
  "anyone",
]);
const CUT_MARKS = new Set([";", ".", ",", "|", "(", ")", "?", "!", "[", "]", "·", "•"]);

const cuts = (t: Token) => CUT_MARKS.has(t.text) || CUT_WORDS.has(t.lower);
const word = (t: Token) => t.lower.replace(CURRENCY, "");

/** The first rule that binds the others' value to the named case, quoted with its line, or null. */
export function swappedSide(
  reading: Reading,
  slot: SideSlot,
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  const { tokens } = reading;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.lower !== slot.case || t.negated || t.quoted || t.rule < 0 || !breaks(t.rule)) continue;
    const rule = reading.rules[t.rule];
    let from = i;
    while (from > rule.from && !cuts(tokens[from - 1]) && !tokens[from].newlineBefore) from--;
    let to = i + 1;
    while (to < rule.to && !cuts(tokens[to]) && !tokens[to].newlineBefore) to++;
    const span = tokens.slice(from, to);
    const own = span.some((w) => word(w) === slot.value || w.lemma.toLowerCase() === slot.value);
    const others = span.some((w) => word(w) === slot.others && !w.negated);
    if (others && !own) return { line: rule.line, quote: quoteRule(reading, rule) };
  }
  return null;
}
