import type { PhraseHit } from "./phrases";
import type { Reading } from "./reading";

/**
 * "Exactly three lines, even if the brief asks for more": "even if" concedes a situation the rule holds in anyway;
 * it grants nothing. A breaker that reads its words as a condition that licenses something ("if the brief asks for
 * more options, give them") is not said there. (A breaker that names the concession itself, "even if only loosely
 * related", opens with "even" and is read as written.)
 */
const CONDITIONS = new Set(["if", "when", "whenever", "though"]);

export function concededCondition(reading: Reading, hit: PhraseHit): boolean {
  const first = reading.tokens[hit.from];
  return (
    first !== undefined && CONDITIONS.has(first.lower) && hit.from > 0 && reading.tokens[hit.from - 1].lower === "even"
  );
}
