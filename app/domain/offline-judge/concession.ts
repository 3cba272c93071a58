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
  if (first === undefined) return false;
  if (CONDITIONS.has(first.lower) && hit.from > 0 && reading.tokens[hit.from - 1].lower === "even") return true;
  // A pattern that lies inside the condition (words there count only with an order outside it, as ever): "if none
  // helps, copy the closest one anyway" still orders the copy.
  return hit.regex && hit.to <= reading.clauses[hit.clause].to && heldAnyway(reading, hit.clause);
}

/** Words of an outcome that say the rule holds whatever the condition: "still", "anyway", "regardless". */
const HOLDS_ANYWAY = new Set(["still", "anyway", "regardless", "nonetheless", "nevertheless"]);

/** Words by which that outcome restates the rule rather than grants the case: "only", "exactly", "the rules". */
const RESTATES = new Set(["only", "just", "exactly", "never", "not", "n't", "no", "rule", "rules", "same", "these"]);

/**
 * "If the brief asks for more options or for explanations, still follow rules 1 to 7": a condition whose outcome
 * holds "still" or "anyway" and restates the rule ("still write only the three lines") concedes the situation as
 * "even if" does; what it describes is granted nothing. ("If it asks for explanations, still add them" grants them.)
 */
function heldAnyway(reading: Reading, clause: number): boolean {
  const c = reading.clauses[clause];
  if (!c?.condition || c.partner === null) return false;
  const outcome = reading.tokens.slice(reading.clauses[c.partner].from, reading.clauses[c.partner].to);
  return outcome.some((t) => HOLDS_ANYWAY.has(t.lower)) && outcome.some((t) => RESTATES.has(t.lower));
}
