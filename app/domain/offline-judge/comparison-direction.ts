import { listLead } from "./list-lead";
import { digitsAt } from "./number-words";
import { quoteRule, type Reading, readPrompt, type Token } from "./reading";

/**
 * A comparison turned round: the brief says what happens on one side of a figure ("An invoice over €25,000 needs
 * CFO approval"), the prompt gives the same outcome to the other side ("EUR 25,000 or less -> CFO approval ->
 * hold", "invoices up to 25k need the CFO", "hold for the CFO unless the total exceeds 25,000").
 *
 * The slot comes from the requirement's description, which says the rule in the brief's terms: the figure, the
 * side of it (over / under, said any way), and what that side leads to (the description's other words, less the
 * thing compared and its unit). In the prompt, each mention of the same figure is read with its side, and the
 * words that follow up to the next branch ("; otherwise", "above that", another comparison): when they say the
 * description's outcome with the same polarity on the other side of the figure, the rule is reversed. Saying the
 * other side with the opposite outcome ("under 25k: no CFO needed") is the same rule, and a figure with no side
 * ("the 25,000 limit") says nothing about it.
 */

export type Side = "over" | "under";

export interface ComparisonSlot {
  value: number;
  side: Side;
  /** The outcome's words as lemmas, each with its polarity in the description (true: negated). */
  outcome: Map<string, boolean>;
}

const CURRENCY = new Set(["€", "£", "$", "eur", "euro", "euros", "gbp", "usd", "dollars", "pounds"]);
const NEGATIONS = new Set(["not", "n't", "no", "never", "nothing"]);

/** Comparators said before the figure, longest first, as the words (lower case) that end just before it. */
const BEFORE: [string[], Side][] = [
  [["in", "excess", "of"], "over"],
  [["upwards", "of"], "over"],
  [["greater", "than"], "over"],
  [["more", "than"], "over"],
  [["higher", "than"], "over"],
  [["larger", "than"], "over"],
  [["bigger", "than"], "over"],
  [["longer", "than"], "over"],
  [["at", "least"], "over"],
  [["less", "than"], "under"],
  [["lower", "than"], "under"],
  [["fewer", "than"], "under"],
  [["smaller", "than"], "under"],
  [["shorter", "than"], "under"],
  [["at", "most"], "under"],
  [["up", "to"], "under"],
  [["over"], "over"],
  [["above"], "over"],
  [["exceeding"], "over"],
  [["exceeds"], "over"],
  [["exceed"], "over"],
  [["beyond"], "over"],
  [[">"], "over"],
  [[">="], "over"],
  [["≥"], "over"],
  [["min"], "over"],
  [["minimum"], "over"],
  [["under"], "under"],
  [["below"], "under"],
  [["within"], "under"],
  [["max"], "under"],
  [["maximum"], "under"],
  [["<"], "under"],
  [["<="], "under"],
  [["≤"], "under"],
];

const AFTER_OVER = new Set([
  "more",
  "above",
  "over",
  "higher",
  "greater",
  "up",
  "longer",
  "larger",
  "beyond",
  "upwards",
]);
const AFTER_UNDER = new Set(["less", "below", "under", "lower", "fewer", "smaller", "shorter", "down", "lesser"]);
/** Words that end what one side of a figure leads to: the other branch starts after them. */
const BRANCH = new Set(["otherwise", "else", "but", "whereas", "while", "except", "unless"]);
const CONDITION_OPENERS = new Set(["when", "if", "whenever", "provided", "as long as"]);
const COMPARATOR_WORDS = new Set([
  ...BEFORE.flatMap(([w]) => w).filter((w) => !["than", "to", "of", "at", "in"].includes(w)),
  ...AFTER_OVER,
  ...AFTER_UNDER,
]);

/** Words that never say an outcome (kept small: the description's own words are short and to the point). */
const NOT_OUTCOME = new Set(["be", "have", "do", "any", "each", "every", "one", "it", "that", "which", "when", "if"]);
/** What a figure counts, and what it counts from: "30 days of delivery", "6% of the freight charge". */
const UNITS = new Set(
  "working business calendar day days week weeks month months year years hour hours minute minutes line lines word words sentence sentences character characters chars item items bullet bullets token tokens percent per cent".split(
    " ",
  ),
);
const LENGTH_UNITS = new Set(
  "word words sentence sentences character characters chars token tokens bullet bullets item items line lines".split(
    " ",
  ),
);
const UNIT_LINKS = new Set(["of", "from", "after", "before"]);
const CONTENT = new Set(["NOUN", "PROPN", "VERB", "ADJ", "X"]);

const flip = (s: Side): Side => (s === "over" ? "under" : "over");

/** The figure a token starts, with the index of its last token: "25,000", "25k", "25 000", "€25.000", "six", "6%". */
function figureAt(tokens: Token[], i: number): { value: number; last: number } | null {
  const t = tokens[i];
  let last = i;
  let value: number;
  const digits = /^(\d{1,3}(?:[,.\s]\d{3})+|\d+(?:\.\d+)?)(k)?$/i.exec(t.text);
  if (digits) {
    value = Number(digits[1].replace(/[,\s]/g, "").replace(/\.(?=\d{3}$)/, ""));
    if (digits[2]) value *= 1000;
    // "25 000": a group of three digits right after.
    const next = tokens[i + 1];
    if (!digits[2] && next && /^\d{3}$/.test(next.text) && next.start === t.end + 1 && /^\d{1,3}$/.test(t.text)) {
      value = value * 1000 + Number(next.text);
      last = i + 1;
    }
    const k = tokens[last + 1];
    if (!digits[2] && k && k.start === tokens[last].end && /^k\.?$/i.test(k.text)) {
      value *= 1000;
      last++;
    }
  } else {
    const words = digitsAt(tokens, i);
    if (words === null || t.pos === "PRON" || t.lower === "one") return null;
    value = Number(words);
    if (tokens[i + 1]?.lower === "-" || (value >= 20 && value % 10 !== 0)) last = i + 2;
    if (value >= 20 && value % 10 !== 0 && tokens[i + 1]?.lower !== "-") last = i + 1;
  }
  return Number.isFinite(value) ? { value, last } : null;
}

/** The side a figure is on, said before it ("over", "up to", "not more than") or after it ("or less", "+"). */
function sideOf(tokens: Token[], first: number, last: number, from: number, to: number): Side | null {
  const before: Token[] = [];
  for (let k = first - 1; k >= from && before.length < 5; k--) {
    const t = tokens[k];
    // "over €25,000", "longer than net 45 days": a currency or "net" between the comparator and the figure.
    if (before.length === 0 && (CURRENCY.has(t.lower) || t.lower === "net")) continue;
    before.unshift(t);
  }
  // "less than or equal to", "greater than or equal to": the same side.
  const words = before.map((t) => t.lower);
  if (words.slice(-3).join(" ") === "or equal to") words.splice(-3, 3, "than");
  for (const [comparator, side] of BEFORE) {
    const at = words.length - comparator.length;
    if (at < 0 || comparator.some((w, j) => words[at + j] !== w)) continue;
    // "not more than", "does not exceed", "never over", "no more than": the other side.
    const negated = NEGATIONS.has(words[at - 1] ?? "") || NEGATIONS.has(words[at - 2] ?? "");
    return negated ? flip(side) : side;
  }
  // "25,000 or less", "50 lines or fewer", "12 months and above", "25k+".
  if (tokens[last + 1]?.text === "+" && tokens[last + 1].start === tokens[last].end) return "over";
  for (let k = last + 1, seen = 0; k < to - 1 && seen < 4; k++) {
    const t = tokens[k];
    if (/^[;:.,!?()]$/.test(t.text) || t.text === "->" || t.text === "=>" || t.text === "→") break;
    seen++;
    if (t.lower !== "or" && t.lower !== "and") continue;
    const w = tokens[k + 1].lower;
    if (AFTER_OVER.has(w)) return "over";
    if (AFTER_UNDER.has(w)) return "under";
  }
  return null;
}

/** Where a figure's side leads: from the rule's start (a fronted condition) to the next branch, figure or sentence. */
function branchOf(reading: Reading, first: number, last: number): [number, number] {
  const { tokens } = reading;
  const rule = reading.rules[tokens[first].rule];
  const ends = (t: Token) => t.text === ";" || t.text === "." || t.text === "\n" || BRANCH.has(t.lower);
  let from = first;
  while (from > rule.from && !ends(tokens[from - 1])) from--;
  let to = last + 1;
  while (to < rule.to && !ends(tokens[to])) {
    const t = tokens[to];
    // "25,000 or less when every other rule holds": a further condition says when, not what.
    if (CONDITION_OPENERS.has(t.lower)) break;
    // "up to 25k: approve, above that: hold": another comparison opens the other branch.
    // ("25,000 or less", "50 lines or fewer" are the figure's own side.)
    if (COMPARATOR_WORDS.has(t.lower) && !LIST_JOINS.has(tokens[to - 1].lower)) break;
    if (/^\d/.test(t.text) && to > last + 3 && figureAt(tokens, to)) break;
    to++;
  }
  return [from, to];
}

/** The slots a requirement's description states: each figure with a side, and what that side leads to. */
export function comparisonSlots(description: string): ComparisonSlot[] {
  const reading = readPrompt(description);
  const { tokens } = reading;
  const slots: ComparisonSlot[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!/^\d/.test(tokens[i].text)) continue;
    const figure = figureAt(tokens, i);
    if (!figure) continue;
    const side = sideOf(tokens, i, figure.last, 0, tokens.length);
    if (!side) continue;
    // Not the outcome: the thing compared (the word before the comparator and its list), the comparator, the
    // figure and its unit ("days of delivery", "lines", "% of the freight charge").
    const skip = new Set<number>();
    let k = i - 1;
    while (
      k >= 0 &&
      (CURRENCY.has(tokens[k].lower) || COMPARATOR_WORDS.has(tokens[k].lower) || isComparatorGlue(tokens[k]))
    )
      skip.add(k--);
    while (k >= 0 && (tokens[k].pos === "AUX" || tokens[k].pos === "DET")) skip.add(k--);
    // The compared thing and the list it is one of: "unlimited liability, exclusivity or auto-renewal over 12 months".
    k = comparedThing(tokens, k, skip);
    while (k > 0 && LIST_JOINS.has(tokens[k].lower)) {
      const before = comparedThing(tokens, k - 1, skip);
      if (before === k - 1) break;
      skip.add(k);
      k = before;
    }
    let u = figure.last + 1;
    while (u < tokens.length && (UNITS.has(tokens[u].lower) || tokens[u].text === "%" || tokens[u].pos === "ADJ")) u++;
    if (u > figure.last + 1 && UNIT_LINKS.has(tokens[u]?.lower ?? ""))
      for (u++; u < tokens.length && ["DET", "ADJ", "NOUN", "PROPN"].includes(tokens[u].pos); ) u++;
    for (let s = i; s < u; s++) skip.add(s);
    const outcome = new Map<string, boolean>();
    // Only the description's sentence or clause that holds the figure: "...; free replacement within 5 days".
    let from = i;
    while (from > 0 && tokens[from - 1].text !== ";" && tokens[from - 1].text !== ".") from--;
    let to = i;
    while (to < tokens.length && tokens[to].text !== ";" && tokens[to].text !== ".") to++;
    // A bound from above ("Fuel surcharge at most 6%", "within 30 days") limits the thing before it: only what
    // follows it can be an outcome. A bound from below leads on either way ("Flag functions longer than 50 lines").
    if (side === "under") from = i;
    for (let o = from; o < to; o++) {
      const t = tokens[o];
      if (skip.has(o) || !CONTENT.has(t.pos) || !/\p{L}{2}/u.test(t.text) || NOT_OUTCOME.has(t.lemma)) continue;
      if (AFTER_OVER.has(t.lower) || AFTER_UNDER.has(t.lower)) continue;
      outcome.set(lemmaOf(t), t.negated);
    }
    // A length limit ("at most 60 words") is the reply's shape, read by the declared task, not a condition.
    const unit = tokens[figure.last + 1]?.lower ?? "";
    if (side === "under" && LENGTH_UNITS.has(unit)) continue;
    if (outcome.size > 0) slots.push({ value: figure.value, side, outcome });
  }
  return slots;
}

const LIST_JOINS = new Set([",", "or", "and"]);

/** A noun with its adjectives, article and hyphened parts, ending at `k`: what a figure is compared on. */
function comparedThing(tokens: Token[], k: number, skip: Set<number>): number {
  if (k < 0 || !["NOUN", "PROPN", "X"].includes(tokens[k].pos)) return k;
  skip.add(k--);
  // "fuel surcharge": a noun before the noun.
  if (k >= 0 && tokens[k].pos === "NOUN") skip.add(k--);
  while (
    k >= 0 &&
    (tokens[k].pos === "ADJ" || tokens[k].pos === "DET" || tokens[k + 1]?.text === "-" || tokens[k].text === "-")
  )
    skip.add(k--);
  return k;
}

function isComparatorGlue(t: Token): boolean {
  return ["than", "to", "of", "at", "least", "most", "in", "excess", "not", "no", "or", "equal"].includes(t.lower);
}

/** "needs" may be tagged a noun, "approved" a verb: the lemma, or the word less a plural s. */
function lemmaOf(t: Token): string {
  return t.lemma.toLowerCase();
}

function sameWord(t: Token, lemma: string): boolean {
  const l = lemmaOf(t);
  return l === lemma || t.lower === lemma || t.lower.replace(/s$/, "") === lemma || l.replace(/s$/, "") === lemma;
}

/**
 * The first rule that gives the slot's outcome to the other side of its figure, quoted with its line, or null.
 * `breaks` says which rules may break a requirement (orders, not background or recaps).
 */
export function reversedComparison(
  reading: Reading,
  slot: ComparisonSlot,
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  const { tokens } = reading;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.quoted || t.parenthetical || !/^\d|^[a-z]/.test(t.lower)) continue;
    const figure = figureAt(tokens, i);
    if (!figure || figure.value !== slot.value || !breaks(t.rule)) continue;
    const rule = reading.rules[t.rule];
    const side = sideOf(tokens, i, figure.last, rule.from, rule.to);
    if (side !== flip(slot.side)) continue;
    const [from, to] = branchOf(reading, i, figure.last);
    // The figure's own condition may hold the outcome's words; another condition ("when every other rule holds")
    // says when, not what.
    const own = tokens[i].clause;
    let same = 0;
    let opposite = 0;
    for (let k = from; k < to; k++) {
      if (k >= i && k <= figure.last) continue;
      const w = tokens[k];
      if (w.clause !== own && reading.clauses[w.clause]?.condition) continue;
      // An aside before the figure is about something else: "(shorter terms are held), totals no more than 25,000".
      if (k < i && w.parenthetical && !tokens[i].parenthetical) continue;
      for (const [lemma, negated] of slot.outcome) {
        if (!sameWord(w, lemma)) continue;
        if (w.negated === negated) same++;
        else opposite++;
      }
    }
    // A branch with no outcome of its own is one of the conditions a lead states the outcome for (list-lead.ts).
    if (same === 0 && opposite === 0) {
      for (const k of listLead(reading, t.rule, from)) {
        for (const [lemma, negated] of slot.outcome) {
          if (!sameWord(tokens[k], lemma)) continue;
          if (tokens[k].negated === negated) same++;
          else opposite++;
        }
      }
    }
    // Most of the outcome said as the description says it: "below £75 with no receipt, flag for review".
    if (same > opposite) return { line: rule.line, quote: quoteRule(reading, rule) };
  }
  return null;
}
