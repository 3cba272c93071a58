import type { Reading, Token } from "./reading";

/**
 * Rows that map one of the exercise's declared labels to the case it stands for, the label first:
 *
 *     - [EMAIL] for email addresses          [PHONE] for phone numbers          SKIP for spam or empty reviews
 *
 * Such a row is notation for "write [EMAIL] for email addresses": it orders as surely as a sentence does, though it
 * has no verb. The label must be one the exercise declares (its task's labels), standing first on the row (after a
 * list marker, in brackets or not), with "for" and a short case after it; a row of other words ("Email for support")
 * or a label refused ("never [EMAIL] for ...") is no such row.
 */

const WORD = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD.test(t.text);
/** Past this many words a row is a sentence, read as one. */
const MAX_ROW_WORDS = 10;

export function labelRows(reading: Reading, labels: readonly string[]): Set<number> {
  const rows = new Set<number>();
  if (labels.length === 0) return rows;
  const declared = new Set(labels);
  for (const rule of reading.rules) {
    let i = rule.from;
    // The list marker and an opening bracket.
    while (i < rule.to && !isWord(reading.tokens[i]) && ["-", "*", "•", "["].includes(reading.tokens[i].text)) i++;
    const label = reading.tokens[i];
    if (!label || !declared.has(label.text) || label.negated) continue;
    let k = i + 1;
    if (reading.tokens[k]?.text === "]") k++;
    if (reading.tokens[k]?.lower !== "for" || k + 1 >= rule.to) continue;
    const words = reading.tokens.slice(rule.from, rule.to).filter(isWord).length;
    if (words <= MAX_ROW_WORDS) rows.add(rule.index);
  }
  return rows;
}
