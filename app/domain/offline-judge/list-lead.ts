import type { Reading } from "./reading";

/**
 * The lead that states the outcome for a list of conditions: "Hold it if:" over the items, "Hold it for any of these:",
 * "An invoice is held if it: has no PO number; is not in EUR; ...". An item (or a semicolon branch after the colon)
 * that has no outcome of its own is one of the lead's conditions, so what it compares leads to the lead's outcome:
 *
 *     Hold it if:
 *     - payment terms longer than net 45 days          longer terms are held
 *
 * Only the lead's own words count, outside its condition ("A bill passes only if all of these hold:" has "hold" in the
 * condition: the outcome is "passes"). A lead that turns its list round ("Hold unless all of these are met:", "Hold if
 * any of these fails:", "Don't hold for:") says its items the other way, so it states no outcome for them here.
 */

const TURNS = new Set([
  "unless",
  "except",
  "otherwise",
  "fail",
  "fails",
  "failed",
  "failing",
  "unmet",
  "missing",
  "broken",
  "breaks",
  "break",
  "violate",
  "violates",
  "violated",
  "absent",
  "lacks",
  "lacking",
]);

const CONDITION_OPENERS = new Set(["if", "when", "whenever", "where", "once", "provided"]);

/**
 * The token indexes of the outcome a lead states for the branch starting at `from` of `rule`, or none. An item's own
 * "LABEL:" before the branch ("- HIGH: uncapped liability; renewal of 12 months or less") leads it as a heading does;
 * an item may have both ("Hold it if:" over "- payment terms: longer than net 45 days").
 */
export function listLead(reading: Reading, rule: number, from: number): number[] {
  const { tokens } = reading;
  const r = reading.rules[rule];
  const spans: [number, number][] = [];
  for (let k = from - 1; k > r.from; k--)
    if (tokens[k].text === ":") {
      spans.push([r.from, k]);
      break;
    }
  if (r.kind === "item" && r.heading !== null) {
    const h = reading.rules[r.heading];
    spans.push([h.from, h.to]);
  }
  return spans.flatMap((span) => leadOutcome(reading, span));
}

/** A lead's words outside its condition, or none when it turns its list round. */
function leadOutcome(reading: Reading, [from, to]: [number, number]): number[] {
  const out: number[] = [];
  let condition = false;
  for (let k = from; k < to; k++) {
    const t = reading.tokens[k];
    if (t.negated || TURNS.has(t.lower)) return [];
    // (However the tagger read "when": the words after it are the condition, not the outcome.)
    if (CONDITION_OPENERS.has(t.lower)) condition = true;
    if (condition || t.quoted || reading.clauses[t.clause]?.condition) continue;
    out.push(k);
  }
  return out;
}
