import { isBound } from "./polarity";
import { DIRECTIVE_VERBS, type Rule, type Token } from "./reading";

/** A letter or a digit: a token holding one is a word. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Labels and headings that set the polarity of what they introduce, as people write them in specs:
 *
 *     NEVER: explanations, greetings          ## Never            Always:
 *     Avoid: preamble, notes                  - add ESCALATE      - copy the order number
 *     Forbidden - made-up figures             - explain
 *
 * A negating label forbids everything it introduces: the rest of its line, or every item under it as a heading (until
 * the next heading, or a blank line and something that is not a list item: the heading scope of `reading.ts`). A
 * positive one ("Always:", "Must:", "Do:") leaves its items as orders. An item that repeats the negation itself
 * ("Don'ts:" / "- don't guess") is forbidden once, not twice: writers echo the heading, they do not cancel it.
 */

export type LabelPolarity = "forbids" | "instructs";

/** Whole labels that forbid ("Don'ts", "Things to avoid", "Never do the following"). */
const FORBIDDING =
  /^(?:never(?: ever)?|do not|don't|dont|do nots|don'ts|donts|no|no-gos?|must not|must never|should not|should never|you must not|you must never|you should never|never do|do not do|don't do|avoid|to avoid|things to avoid|what to avoid|what not to do|what never to do|not allowed|disallowed|forbidden|prohibited|banned|off[- ]limits|none of|none of these|none of the following)(?: (?:the following|these|this|any of these|any of the following|ever))?$/;
/** "Never include", "Do not add", "Don't use any of": a negation and a verb of putting something in the reply. */
const FORBIDDING_VERB =
  /^(?:never|do not|don't|must not|must never|should not|should never|you must never|you must not)(?: (?:ever|ever again))? (?:include|use|add|write|say|mention|output|give|put|return|offer|make|reveal|share|produce|print|state|suggest|promise|invent|quote)(?: (?:any of|any|the following|these|this))?$/;
const AFFIRMING =
  /^(?:always|always do|do|dos|do's|must|musts|must do|must-haves?|must haves?|you must|you must always|required|mandatory|always include|always use|always add)$/;

/** "## Never", "**NEVER:**", "- Avoid —": a label or heading, without its markup, lower-cased. */
function bareLabel(text: string): string {
  return text
    .replace(/^[\s#>*_\-•]+/, "")
    .replace(/[\s:*_\-–—]+$/, "")
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, " ")
    .toLowerCase();
}

export function labelPolarity(label: string): LabelPolarity | null {
  const bare = bareLabel(label);
  if (bare.length === 0 || bare.length > 40) return null;
  if (FORBIDDING.test(bare) || FORBIDDING_VERB.test(bare)) return "forbids";
  if (AFFIRMING.test(bare)) return "instructs";
  return null;
}

/** Words that open an item with its own negation, so it echoes a forbidding label rather than reversing it. */
const OWN_NEGATION = new Set(["never", "no", "not", "don't", "dont", "avoid", "without", "nothing"]);

export function opensNegated(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (!WORD_CHAR.test(t.text)) continue;
    if (OWN_NEGATION.has(t.lower)) return true;
    const next = tokens[i + 1];
    // "do not", "don't" (split by the tokenizer as "do" + "n't"), "must never".
    return (
      ["do", "does", "must", "should"].includes(t.lower) &&
      next !== undefined &&
      ["not", "n't", "never"].includes(next.lower)
    );
  }
  return false;
}

const isVerb = (t: Token | undefined) => t !== undefined && (t.pos === "VERB" || DIRECTIVE_VERBS.has(t.lower));

/**
 * "Never: ask for a PIN; show more than the last 4 digits; give tax advice": three or more actions, each opening
 * with its verb after a semicolon, are one list of what the label forbids, not a prohibition and then orders.
 */
function actionSeries(tokens: Token[], from: number, to: number, first: Token): boolean {
  if (!isVerb(first)) return false;
  let semicolons = 0;
  for (let i = from; i < to - 1; i++) {
    if (tokens[i].text !== ";" || tokens[i].descriptive) continue;
    if (!isVerb(tokens[i + 1])) return false;
    semicolons++;
  }
  return semicolons >= 2;
}

/** Flips the polarity of what a forbidding label introduces, from `from` to `to`, parentheses aside. */
function forbid(tokens: Token[], from: number, to: number): void {
  // "Never output: anything but the label": the content restricts instead of listing what is forbidden.
  const first = tokens.slice(from, to).find((t) => WORD_CHAR.test(t.text));
  if (!first || first.lower === "anything" || opensNegated(tokens, from, to)) return;
  const series = actionSeries(tokens, from, to, first);
  // In a list of actions, "show more than the last 4 digits" is a limit (at most the last 4), not a thing forbidden.
  let bound = series && isBound(tokens, from - 1, to);
  for (let i = from; i < to; i++) {
    // "Avoid: legal or tax advice; refer them to an advisor": an order after a semicolon is one of its own.
    if (tokens[i].text === ";" && !series && i + 1 < to && isVerb(tokens[i + 1])) return;
    if (tokens[i].text === ";" && series && !tokens[i].descriptive) bound = isBound(tokens, i, to);
    if (bound) continue;
    // (A parenthesis says what to do instead: "- give tax advice (refer to an advisor instead)".)
    if (!tokens[i].descriptive) tokens[i].negated = !tokens[i].negated;
  }
}

const SEPARATORS = new Set([":", "-", "–", "—"]);

/** The token after an opening label's separator ("NEVER: ...", "Forbidden - ..."), or -1. */
function afterOpeningLabel(text: string, tokens: Token[], rule: Rule): number {
  // Past a list marker, up to five words, then the separator (a dash only with spaces around it).
  let i = rule.from;
  if (tokens[i] && /^[-*•]$/.test(tokens[i].text)) i++;
  const start = i;
  for (let words = 0; i < rule.to && words <= 5; i++) {
    const t = tokens[i];
    if (SEPARATORS.has(t.text) && i > start) {
      const spaced = t.text === ":" || (text[t.start - 1] === " " && text[t.end] === " ");
      if (!spaced) return -1;
      return labelPolarity(text.slice(tokens[start].start, t.start)) === "forbids" && i + 1 < rule.to ? i + 1 : -1;
    }
    if (WORD_CHAR.test(t.text)) words++;
    else if (!["'", "’", "*", "_", "#", "n't"].includes(t.text)) return -1;
  }
  return -1;
}

/**
 * Applies forbidding labels and headings to the reading's polarity: a rule under a forbidding heading, and the rest
 * of a rule that opens with a forbidding label.
 */
export function applyLabelPolarity(text: string, tokens: Token[], rules: Rule[]): void {
  const headingPolarity = new Map<number, LabelPolarity | null>();
  for (const rule of rules) {
    if (rule.heading !== null) {
      let polarity = headingPolarity.get(rule.heading);
      if (polarity === undefined) {
        const heading = rules[rule.heading];
        polarity = labelPolarity(text.slice(heading.start, heading.end));
        headingPolarity.set(rule.heading, polarity);
      }
      if (polarity === "forbids") {
        forbid(tokens, rule.from, rule.to);
        continue;
      }
    }
    if (rule.kind === "heading") continue;
    const after = afterOpeningLabel(text, tokens, rule);
    if (after >= 0) forbid(tokens, after, rule.to);
  }
}
