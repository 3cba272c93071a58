import type { Token } from "./reading";

/**
 * Verbs coordinated with the one at `verb` that share its object: "invent or infer nothing", "add, change or drop no
 * facts" give "nothing" to every verb of the run, so each is forbidden. The run must open its clause (after "please",
 * "and" or "then"): in "Record what was said and invent nothing" the verb before "and" has its own object.
 */
const COORDINATORS = new Set(["or", "and", ",", "nor"]);
const LEAD_INS = new Set(["please", "and", "then", "so", "also"]);

export function coordinatedVerbs(tokens: Token[], verb: number, from: number): number[] {
  const verbs: number[] = [];
  let k = verb - 1;
  while (k - 1 >= from && COORDINATORS.has(tokens[k].lower) && tokens[k - 1].pos === "VERB") {
    // ("add, or change", "add, and drop": a comma before the conjunction.)
    verbs.push(k - 1);
    k -= 2;
    if (k >= from && tokens[k].text === "," && COORDINATORS.has(tokens[k + 1]?.lower ?? "")) continue;
  }
  while (k >= from && LEAD_INS.has(tokens[k].lower)) k--;
  return k < from ? verbs : [];
}
