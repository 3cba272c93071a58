/**
 * A column of bare terms, one per line, is a bag of words, not a wrapped sentence:
 *
 *     3
 *     subject lines
 *     ≤8 words
 *     one per line
 *
 * Hard-wrapped prose has long lines; four or more short lines in a row (three words at most, no sentence
 * punctuation) are each a line of their own, so the reading sees the list for what it is (`instruction.ts` then
 * reads a column of terms as a keyword list) instead of joining them into one telegraphic "sentence".
 */

const MIN_RUN = 4;
const MAX_WORDS = 3;
const MAX_CHARS = 30;

function isShort(body: string): boolean {
  const trimmed = body.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_CHARS || /[.!?;:,]["')\]]?$/.test(trimmed)) return false;
  return trimmed.split(/\s+/).length <= MAX_WORDS;
}

/** For each line (by index), whether it stands in a column of short lines; one pass over the lines. */
export function columnLines(text: string, lines: readonly { start: number; end: number }[]): boolean[] {
  const out = new Array<boolean>(lines.length).fill(false);
  let runStart = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && isShort(text.slice(lines[i].start, lines[i].end))) continue;
    if (i - runStart >= MIN_RUN) out.fill(true, runStart, i);
    runStart = i + 1;
  }
  return out;
}
