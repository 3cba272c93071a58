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
 */

export interface OnlyWhen {
  /** The limited thing's words (lemmas, lower case): "promotion", "exchange", "churn_risk". */
  limited: string[];
  /** The condition's words (lemmas, lower case). */
  condition: string[];
}

const CONTENT = new Set(["NOUN", "PROPN", "ADJ", "X"]);
const NOUNS = new Set(["NOUN", "PROPN", "X"]);
const UNIVERSAL = new Set(["every", "all", "each", "any", "always", "regardless", "everyone", "everybody"]);
const PRONOUNS = new Set(["it", "them"]);
const NEGATIONS = new Set(["not", "n't", "never", "no"]);
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
  const limited = tokens
    .slice(0, at)
    .filter(
      (t, i) => (NOUNS.has(t.pos) || tokens[i - 1]?.pos === "AUX") && !t.parenthetical && /\p{L}{3}/u.test(t.text),
    )
    .map((t) => bare(t.lower))
    .filter((w) => !condition.includes(w));
  return limited.length > 0 ? { limited, condition } : null;
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
    // The condition restated ("every customer whose last purchase was bedding", "20% off all bedding") keeps the limit.
    const restated = words.some((w) => slot.condition.includes(lemma(w)) || slot.condition.includes(w.lower));
    if (restated) continue;
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
