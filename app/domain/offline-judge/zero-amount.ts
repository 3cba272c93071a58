import type { Token } from "./reading";

/**
 * A price of nothing is an amount, not a negation:
 *
 *     EU roaming costs nothing extra on Unlimited plans and £2.25 a day on all other plans.
 *     Delivery is charged nothing on orders over £50.      Returns are at no extra cost for faulty items.
 *
 * "nothing" as what a verb of pricing costs (cost, charge, pay, bill), and "no" before a charge, cost or fee, say
 * that the amount is zero. Their reach ends with the amount ("no extra charge" is still a charge refused): what
 * follows (the plan it applies to, the price elsewhere) is a fact the prompt states, affirmed. The same words after any other verb keep their force: "add nothing", "invent no
 * discounts", "no charges may be promised".
 */

/** Verbs whose object is an amount. */
const PRICING = new Set(["cost", "charge", "pay", "bill"]);
/** Nouns that name an amount paid. */
const AMOUNTS = new Set(["cost", "costs", "charge", "charges", "fee", "fees", "surcharge", "surcharges"]);
const EXTRA = new Set(["extra", "additional", "added"]);

/** "costs nothing", "is charged nothing", "pays nothing extra": the verb of pricing before "nothing". */
function pricedNothing(tokens: Token[], i: number, from: number): boolean {
  if (tokens[i].lower !== "nothing" || i <= from) return false;
  const verb = tokens[i - 1];
  return PRICING.has(verb.lemma) && (verb.pos === "VERB" || verb.pos === "AUX" || verb.pos === "NOUN");
}

/** "no extra cost", "no charge", "at no additional fee": "no" before the amount it sets to zero; the amount's end. */
function noAmount(tokens: Token[], i: number, to: number): number {
  if (tokens[i].lower !== "no") return -1;
  let k = i + 1;
  if (k < to && EXTRA.has(tokens[k].lower)) k++;
  if (k >= to || !AMOUNTS.has(tokens[k].lower)) return -1;
  // "no charges may be promised", "no fee is to be added": a predicate after the noun makes it a prohibition.
  const next = tokens[k + 1];
  return next && k + 1 < to && (next.pos === "AUX" || next.pos === "VERB") ? -1 : k + 1;
}

/**
 * The word at `i` says an amount of zero: the end (exclusive) of what it negates, which is only the amount's own
 * words ("no extra charge"), or `i + 1` for "nothing"; -1 when it is an ordinary negation.
 */
export function zeroAmount(tokens: Token[], i: number, from: number, to: number): number {
  if (tokens[i].quoted) return -1;
  if (pricedNothing(tokens, i, from)) return i + 1;
  return noAmount(tokens, i, to);
}
