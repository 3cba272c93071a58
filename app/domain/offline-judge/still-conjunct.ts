import type { Token } from "./reading";

/**
 * An item that says a state still holds is affirmed; a negation before it does not reach it:
 *
 *     Goods may come back within 30 days, never worn and with their labels still on.
 *     ... provided they haven't been worn or used and the labels are still on.
 *     ... in new condition, never worn, labels still on.
 *
 * "still" says that a state goes on, and English refuses one with "no longer", not with a "not" said before it. So
 * after "and", "but" or a comma, an item whose words reach "still" before the next break is a predicate of its own.
 * A negation inside the item starts afresh ("and still not labelled"); "whether ... and whether ... still" is one
 * question the negation governs.
 */

const COORDINATORS = new Set(["and", "but", ","]);
/** Where the item ends without a "still" of its own. */
const BREAKS = new Set([
  ",",
  ";",
  ".",
  ":",
  "and",
  "or",
  "but",
  "whether",
  "if",
  "not",
  "no",
  "never",
  "n't",
  "without",
]);
/** How far after its coordinator an item's "still" may stand: "and with their labels still on". */
const REACH = 5;

/** The coordinator at `i` opens an item that says a state still holds. */
export function stillConjunct(tokens: readonly Token[], i: number, to: number): boolean {
  if (!COORDINATORS.has(tokens[i].lower)) return false;
  for (let k = i + 1; k < to && k <= i + REACH; k++) {
    const w = tokens[k].lower;
    if (w === "still") return !tokens[k].quoted;
    if (BREAKS.has(w)) return false;
  }
  return false;
}
