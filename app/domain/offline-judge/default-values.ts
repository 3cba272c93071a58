import { quoteRule, type Reading, readPrompt, type Token } from "./reading";

/**
 * A value the brief gives to some cases and a default for the rest, said the other way round:
 *
 *     brief:  priority is high only when the notes call it urgent or a blocker, otherwise normal.
 *     prompt: "priority": "high" unless the notes say it can wait          the default turned into the exception
 *     prompt: Priority defaults to high; normal only for minor items       the same
 *
 *     brief:  Free return shipping for faulty or wrong items, otherwise £6.95 deducted.
 *     prompt: for faulty or wrong items, £6.95 is deducted                 the cases given the default's value
 *     prompt: Return shipping is free unless the item is faulty or wrong   the cases' value made the default
 *
 * The slot comes from the requirement's description ("<value> for / only when <cases>, otherwise <default>"). In the
 * prompt, the cases' value is read as a default when "unless" / "except" follows it or "otherwise" / "by default" /
 * "defaults to" comes just before it; and a branch (up to the next "; otherwise, unless, except" or sentence end)
 * that names one of the cases with the default's value and without the cases' value gives the cases the default.
 */

export interface DefaultSlot {
  /** The value the cases get ("high", "free"), lower case. */
  value: string;
  /** The default for everything else ("normal", "6.95"), lower case. */
  fallback: string;
  /** The cases' own words ("urgent", "blocker"; "faulty", "wrong"). */
  cases: string[];
}

const OTHERWISE = new Set(["otherwise", "else"]);
const OPENERS = new Set(["for", "when", "if", "only", "whenever"]);
const CURRENCY = new Set(["€", "£", "$"]);
const BRANCH = new Set([";", ".", "otherwise", "else", "unless", "except", "but", "whereas", "while"]);
/** Words after the value that make it the default: "high unless ...", "free except for ...". */
const EXCEPTIONS = new Set(["unless", "except", "excepting"]);
const PROHIBITIONS = new Set(["never", "not", "n't", "no", "don't", "avoid"]);
const DEFAULT_BEFORE = [["otherwise"], ["else"], ["default"], ["defaults", "to"], ["by", "default"], ["default", "to"]];

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);
const valueWord = (t: Token) => t.lower.replace(/^[£€$]/, "");

/** The slot a requirement's description states, or null. */
export function defaultSlot(description: string): DefaultSlot | null {
  const { tokens } = readPrompt(description);
  const o = tokens.findIndex((t) => OTHERWISE.has(t.lower));
  if (o < 0) return null;
  const opener = tokens.findIndex((t, i) => i < o && OPENERS.has(t.lower));
  if (opener <= 0) return null;
  // The cases' value: after "is" / "are" when the description names the thing first ("priority is high"), else its
  // first word ("Free return shipping").
  const verb = tokens.findIndex((t, i) => i < opener && t.pos === "AUX");
  const valueToken = tokens.slice(verb >= 0 ? verb + 1 : 0, opener).find(isWord);
  const fallbackToken = tokens.slice(o + 1).find((t) => isWord(t) && !CURRENCY.has(t.text));
  if (!valueToken || !fallbackToken) return null;
  // The cases: the words on either side of "or" / "and" in the condition ("faulty or wrong", "urgent or a blocker").
  const cases: string[] = [];
  for (let i = opener + 1; i < o; i++) {
    if (tokens[i].lower !== "or" && tokens[i].lower !== "and") continue;
    const before = tokens[i - 1];
    const after = tokens.slice(i + 1, o).find((t) => isWord(t) && t.pos !== "DET");
    if (before && isWord(before)) cases.push(before.lower);
    if (after) cases.push(after.lower);
  }
  if (cases.length === 0) return null;
  return { value: valueWord(valueToken), fallback: valueWord(fallbackToken), cases };
}

const sameWord = (t: Token, w: string) => valueWord(t) === w || t.lemma.toLowerCase() === w;
const names = (t: Token, cases: string[]) =>
  cases.some(
    (c) => c === t.lower || c === t.lemma.toLowerCase() || (c.length >= 5 && t.lower.startsWith(c.slice(0, 5))),
  );

function wordsAround(tokens: Token[], i: number, step: 1 | -1, n: number, stop: number): string[] {
  const out: string[] = [];
  for (let k = i + step; k !== stop && out.length < n; k += step) {
    if (/^[;.]$/.test(tokens[k].text)) break;
    if (isWord(tokens[k])) out.push(tokens[k].lower);
  }
  return step === 1 ? out : out.reverse();
}

/** "high unless ...", "otherwise high", "defaults to high", "high by default": the value given as the default. */
function madeDefault(reading: Reading, i: number): boolean {
  const { tokens } = reading;
  const rule = reading.rules[tokens[i].rule];
  // ("Never mark it high unless ..." forbids the value but for the exception: the value is the exception's.)
  const clause = reading.clauses[tokens[i].clause];
  for (let k = clause.from; k < i; k++) if (PROHIBITIONS.has(tokens[k].lower)) return false;
  const after = wordsAround(tokens, i, 1, 5, rule.to);
  if (after.some((w) => EXCEPTIONS.has(w))) return true;
  if (after[0] === "by" && after[1] === "default") return true;
  const before = wordsAround(tokens, i, -1, 3, rule.from - 1);
  return DEFAULT_BEFORE.some((cue) => cue.every((w, j) => before[before.length - cue.length + j] === w));
}

/** The branch a token sits in: back and forward to the next "; otherwise / unless / except" or sentence end. */
function branchOf(reading: Reading, i: number): [number, number] {
  const { tokens } = reading;
  const rule = reading.rules[tokens[i].rule];
  let from = i;
  while (from > rule.from && !BRANCH.has(tokens[from - 1].lower)) from--;
  let to = i + 1;
  while (to < rule.to && !BRANCH.has(tokens[to].lower)) to++;
  return [from, to];
}

/** The first rule that turns the slot round, quoted with its line, or null. */
export function invertedDefault(
  reading: Reading,
  slot: DefaultSlot,
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  const { tokens } = reading;
  const found = (i: number) => {
    const rule = reading.rules[tokens[i].rule];
    return { line: rule.line, quote: quoteRule(reading, rule) };
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    // An aside in parentheses still states the rule: `priority ("high" unless it can wait)` is the key's spec.
    if (t.rule < 0 || t.negated || (t.descriptive && !t.parenthetical) || !breaks(t.rule)) continue;
    // The cases' value made the default.
    if (sameWord(t, slot.value) && madeDefault(reading, i)) return found(i);
    // A case given the default's value, and not its own.
    if (names(t, slot.cases) && !t.exception) {
      const [from, to] = branchOf(reading, i);
      const span = tokens.slice(from, to);
      const fallback = span.some((w) => !w.negated && sameWord(w, slot.fallback));
      const value = span.some((w) => sameWord(w, slot.value));
      if (fallback && !value) return found(i);
    }
  }
  return null;
}
