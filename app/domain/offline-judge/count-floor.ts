import type { Token } from "./reading";

/**
 * Which side of a count a prompt puts the reply on: a floor ("at least 60 words", "60 words or more", "no fewer than
 * 3 sentences", "a minimum of 5 items", "more than 60 words", "60+ words") or a ceiling ("at most", "up to", "no more
 * than", "fewer than", "60 words max", "or fewer").
 *
 * The declared task caps the reply ("count: { max: 60 }"): a floor at or past the cap is the limit made a minimum, a
 * reply of the cap's size or more, which is the brief's rule turned round (declared-task.ts). A floor under the cap
 * ("at least one sentence, at most three") keeps it.
 */

export type CountBound = "floor" | "ceiling";

const isWord = (t: Token) => /[\p{L}\p{N}]/u.test(t.text);
const NEGATIONS = new Set(["no", "not", "never", "n't"]);
const MORE = new Set(["more", "longer", "greater", "over", "above", "beyond", "exceeding", "past"]);
const LESS = new Set(["fewer", "less", "shorter", "under", "below", "within", "max", "maximum"]);

/** Up to `n` words before token `i` in its rule, nearest first. */
function before(tokens: Token[], i: number, n: number): string[] {
  const out: string[] = [];
  for (let k = i - 1; k >= 0 && out.length < n; k--) {
    const t = tokens[k];
    if (t.rule !== tokens[i].rule || /^[.;:!?]$/.test(t.text)) break;
    if (isWord(t)) out.push(t.lower);
  }
  return out;
}

/** Up to `n` words after token `i` in its rule, nearest first. */
function after(tokens: Token[], i: number, n: number): string[] {
  const out: string[] = [];
  for (let k = i + 1; k < tokens.length && out.length < n; k++) {
    const t = tokens[k];
    if (t.rule !== tokens[i].rule || /^[.;:!?,]$/.test(t.text)) break;
    if (isWord(t)) out.push(t.lower);
  }
  return out;
}

/** The side the words around a count (its number at `number`, its unit at `unit`) put the reply on, or null. */
export function countBound(tokens: Token[], number: number, unit: number): CountBound | null {
  const [w1, w2, w3] = before(tokens, number, 3);
  // "a minimum of 60", "min 60", "at least 60", "at most 60", "up to 60".
  if (w1 === "least" && w2 === "at") return "floor";
  if ((w1 === "of" && (w2 === "minimum" || w2 === "min")) || w1 === "minimum" || w1 === "min") return "floor";
  if ((w1 === "most" && w2 === "at") || (w1 === "to" && w2 === "up")) return "ceiling";
  if ((w1 === "of" && (w2 === "maximum" || w2 === "max")) || w1 === "maximum" || w1 === "max") return "ceiling";
  // "more than 60", "no fewer than 60" (a floor); "no more than 60", "fewer than 60" (a ceiling).
  const comparator = w1 === "than" ? w2 : w1;
  const negated = NEGATIONS.has(w1 === "than" ? (w3 ?? "") : (w2 ?? ""));
  if (comparator && (MORE.has(comparator) || LESS.has(comparator))) {
    const floor = MORE.has(comparator) !== negated;
    return floor ? "floor" : "ceiling";
  }
  // "60+ words"
  const plus = tokens[number + 1];
  if (plus?.text === "+" && plus.start === tokens[number].end) return "floor";
  // "60 words or more", "60 words minimum", "60 words max", "60 words or fewer".
  const [a1, a2] = after(tokens, unit, 2);
  if (a1 === "minimum" || a1 === "min" || a1 === "plus") return "floor";
  if (a1 === "maximum" || a1 === "max") return "ceiling";
  if (a1 === "or" && a2 && MORE.has(a2)) return "floor";
  if (a1 === "or" && a2 && LESS.has(a2)) return "ceiling";
  return null;
}

/** Whether a count of `n` on that side goes against a declared cap: a floor at or past it. */
export function floorPastCap(bound: CountBound | null, n: number, max: number | undefined): boolean {
  return bound === "floor" && max !== undefined && n >= max;
}
