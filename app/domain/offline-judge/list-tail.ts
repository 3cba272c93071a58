import type { Token } from "./reading";

/**
 * "Nothing else: no table, fence, heading, note.": the last item of a list of one- or two-word items may be a word that is
 * also an order ("note", "list", "summary"), and standing alone after its comma, with nothing after it, it is still
 * an item of the list, not a new clause ordering a note.
 */
const ENDS = new Set([".", ";", "!", "?", ")"]);

const isWord = (t: Token) => /[\p{L}\p{N}]/u.test(t.text);

/** The word at `i` (after a comma) closes its sentence and follows at least two one-word items of a list. */
export function lastItemOfList(tokens: Token[], i: number, to: number): boolean {
  const after = tokens[i + 1];
  if (i + 1 < to && after && !ENDS.has(after.text)) return false;
  // Walk back over "word ," pairs: "table , fence , heading ,"; an item may have two words ("code fence ,").
  let items = 0;
  let k = i - 1;
  while (k >= 1 && tokens[k].text === ",") {
    let w = k - 1;
    let words = 0;
    while (w >= 0 && words < 2 && isWord(tokens[w])) {
      words++;
      w--;
    }
    if (words === 0) break;
    items++;
    k = w;
  }
  return items >= 2;
}
