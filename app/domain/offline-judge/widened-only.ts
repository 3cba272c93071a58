import { quoteRule, type Reading, readPrompt, type Token } from "./reading";

/**
 * A rule the brief limits with "only when" said of every case: the description gives an order or a value for some
 * cases only ("Mention the promotion only when the last purchase was bedding", "churn_risk is true only when the
 * customer says they will cancel", "Exchanges only for another size"), the prompt gives it to all of them:
 *
 *     This week's promotion is 20% off bedding. Work it into every email, and lead with it for bedding buyers.
 *     Mention the bedding promotion to every customer.
 *     churn_risk: true for all unhappy customers
 *
 * The slot is the description's words before "only" (less those its condition repeats): what is limited. In the
 * prompt, a clause that names it (or says "it" / "them" after a rule of its paragraph that names it) together with
 * "every", "all", "each", "any", "always" or "regardless", and with neither "only" nor a word of the condition, widens
 * the rule. A negated quantifier ("not every email") or one in a condition or a reason widens nothing.
 *
 * A limited value said as one side of a disjunction ("churn_risk must always be true or false", "true/false") gives
 * no case that value: "always" quantifies over the closed set of values the key may take, which the rule's limit
 * leaves open. The value said alone ("churn_risk is always true") still widens the rule.
 *
 * A quantifier over the rest ("in every other case", "all other tickets", "everything else") is the rule's complement:
 * where the limit is a value, such a clause widens only if it gives that value ("In every other case it must be
 * false" keeps the limit; "in every other case it is true too" widens it).
 */

export interface OnlyWhen {
  /** The limited thing's words (lemmas, lower case): "promotion", "exchange", "churn_risk". */
  limited: string[];
  /** The condition's words (lemmas, lower case). */
  condition: string[];
  /** Of the limited words, the values said after "is" ("true" in "churn_risk is true only when"). */
  values: string[];
}

const CONTENT = new Set(["NOUN", "PROPN", "ADJ", "X"]);
const NOUNS = new Set(["NOUN", "PROPN", "X"]);
const UNIVERSAL = new Set(["every", "all", "each", "any", "always", "regardless", "everyone", "everybody"]);
const PRONOUNS = new Set(["it", "them"]);
const NEGATIONS = new Set(["not", "n't", "never", "no"]);
const ALTERNATIVES = new Set(["or", "/", "|"]);
const QUOTES = /^[`"'“”‘’]$/u;
const lemma = (t: Token) => t.lemma.toLowerCase();
const bare = (w: string) => w.replace(/s$/, "");

/** The slot a requirement's description states, or null. */
export function onlyWhen(description: string): OnlyWhen | null {
  const { tokens } = readPrompt(description);
  const at = tokens.findIndex(
    (t, i) => t.lower === "only" && ["when", "if", "for", "to"].includes(tokens[i + 1]?.lower ?? ""),
  );
  // (A default for the rest, "otherwise normal", is default-values.ts's reading.)
  if (at <= 0 || tokens.some((t) => t.lower === "otherwise")) return null;
  const condition = tokens
    .slice(at + 2)
    .filter((t) => CONTENT.has(t.pos) || t.pos === "VERB")
    .flatMap((t) => [lemma(t), t.lower]);
  // The things limited, and the value after "is" ("churn_risk is true"): all of them name the rule.
  const named = (t: Token) => !t.parenthetical && /\p{L}{3}/u.test(t.text) && !condition.includes(bare(t.lower));
  const before = tokens.slice(0, at);
  const limited = before
    .filter((t, i) => (NOUNS.has(t.pos) || before[i - 1]?.pos === "AUX") && named(t))
    .map((t) => bare(t.lower));
  const values = before
    .filter((t, i) => before[i - 1]?.pos === "AUX" && !NOUNS.has(t.pos) && named(t))
    .map((t) => bare(t.lower));
  return limited.length > 0 ? { limited, condition, values } : null;
}

/** The first rule that gives the limited thing to every case, quoted with its line, or null. */
export function widenedOnly(
  reading: Reading,
  slot: OnlyWhen,
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  const { tokens } = reading;
  const names = (words: Token[]) =>
    slot.limited.every((l) => words.some((w) => bare(lemma(w)) === l || bare(w.lower) === l));
  for (const clause of reading.clauses) {
    if (clause.rule < 0 || clause.condition || clause.reason || !breaks(clause.rule)) continue;
    const words = tokens.slice(clause.from, clause.to);
    if (words.some((w) => w.lower === "only")) continue;
    const universal = words.findIndex(
      (w, i) =>
        UNIVERSAL.has(w.lower) &&
        !w.negated &&
        !w.quoted &&
        !NEGATIONS.has(words[i - 1]?.lower ?? "") &&
        !w.parenthetical,
    );
    if (universal < 0) continue;
    const rest = ["other", "else"].includes(words[universal + 1]?.lower ?? "");
    if (rest && slot.values.length > 0 && !words.some((w) => slot.values.includes(bare(w.lower)))) continue;
    // The condition restated ("every customer whose last purchase was bedding", "20% off all bedding") keeps the limit.
    const restated = words.some((w) => slot.condition.includes(lemma(w)) || slot.condition.includes(w.lower));
    if (restated) continue;
    if (offered(words, slot.values)) continue;
    const rule = reading.rules[clause.rule];
    const prev = reading.rules[clause.rule - 1];
    const referred =
      words.some((w) => PRONOUNS.has(w.lower)) &&
      prev !== undefined &&
      prev.segment === rule.segment &&
      names(tokens.slice(prev.from, prev.to));
    if (names(words) || referred) return { line: rule.line, quote: quoteRule(reading, rule) };
  }
  return null;
}

/** The clause says each limited value it names only as one of a set of alternatives ("true or false", "true/false"). */
function offered(words: Token[], values: string[]): boolean {
  const word = (from: number, step: number): number => {
    let i = from + step;
    while (words[i] && QUOTES.test(words[i].text)) i += step;
    return i;
  };
  const said = words.flatMap((w, i) => (values.includes(bare(w.lower)) ? [i] : []));
  return (
    said.length > 0 &&
    said.every((i) =>
      [1, -1].some((step) => {
        const or = word(i, step);
        const other = word(or, step);
        return ALTERNATIVES.has(words[or]?.lower ?? "") && /\p{L}/u.test(words[other]?.text ?? "");
      }),
    )
  );
}
