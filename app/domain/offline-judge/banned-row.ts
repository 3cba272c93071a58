import type { Banned } from "./carved-prohibition";
import { quoteRule, type Reading, type Token } from "./reading";

/**
 * A row added to the exercise's list of labels for content the brief forbids outright:
 *
 *     brief:   Never comment on formatting.              labels: FUNCTION_LENGTH, TODO, SECRET, CONSOLE_LOG ...
 *     prompt:  - TODO: a TODO without a ticket id
 *              - CONSOLE_LOG: console.log in production code
 *              - FORMAT: any formatting problem (indentation, quotes, semicolons)
 *
 * In a run of `LABEL: case` rows, each row orders its case reported under its label, verb or not. A row whose label
 * the exercise does not declare, beside two or more rows that are the exercise's own labels, and whose label or case
 * names what a requirement forbids (carved-prohibition.ts `bannedContent`), with nothing in the row refusing it,
 * orders the forbidden content. "FORMATTING: never comment (formatter owns it)" refuses it; a heading of the reply
 * ("FORMAT: line <n>: <RULE>") names nothing forbidden.
 */

/** `- LABEL:` or `[LABEL]:` opening a row: capitals, digits and underscores, three or more. */
const ROW_HEAD = /^\s*(?:[-*•]\s*|\d+[.)]\s*)?\[?([A-Z][A-Z0-9_]{2,})\]?\s*:/;
const REFUSALS = new Set(
  "no not never n't without avoid ignore ignored skip skipped don't nothing none out-of-scope leave".split(" "),
);
const isWord = (t: Token) => /[\p{L}\p{N}]/u.test(t.text);
/** Words of one family: "format" and "formatting", "gift" and "gifts" (five letters shared at least). */
const sameFamily = (a: string, b: string) =>
  a === b || (Math.min(a.length, b.length) >= 5 && (a.startsWith(b) || b.startsWith(a)));

function names(words: string[], banned: Banned): boolean {
  return banned.things.some((thing) =>
    words.some((_, i) => thing.every((w, j) => words[i + j] !== undefined && sameFamily(words[i + j], w))),
  );
}

/** The first row that adds a label for forbidden content, quoted with its line, or null. */
export function bannedRow(
  reading: Reading,
  banned: Banned,
  labels: readonly string[],
  reads: (rule: number) => boolean,
): { line: number; quote: string } | null {
  if (labels.length < 2) return null;
  const declared = new Set(labels);
  const rows = reading.rules.flatMap((rule) => {
    const head = ROW_HEAD.exec(reading.text.slice(rule.start, rule.end))?.[1];
    return head ? [{ rule, head }] : [];
  });
  if (new Set(rows.filter((r) => declared.has(r.head)).map((r) => r.head)).size < 2) return null;
  for (const { rule, head } of rows) {
    if (declared.has(head) || !reads(rule.index)) continue;
    // The case: the row's words after its colon, through the rules its line is cut into.
    const colon = reading.tokens.findIndex((t, i) => i >= rule.from && i < rule.to && t.text === ":");
    let to = rule.to;
    for (let r = rule.index + 1; reading.rules[r]?.line === rule.line && reading.rules[r].segment === rule.segment; r++)
      to = reading.rules[r].to;
    const words = reading.tokens.slice(colon + 1, to).filter(isWord);
    if (words.length === 0 || words.some((t) => t.negated || REFUSALS.has(t.lower))) continue;
    // The label alone names it only over a case: "FORMAT: line <n>: <RULE>: <message>" heads the reply's shape.
    const spec = reading.tokens.slice(colon + 1, to).some((t) => /^[<{[:]$/.test(t.text));
    const said = [...(spec ? [] : head.toLowerCase().split("_")), ...words.map((t) => t.lower)];
    if (names(said, banned)) return { line: rule.line, quote: quoteRule(reading, rule) };
  }
  return null;
}
