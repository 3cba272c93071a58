import type { Token } from "./reading";

/**
 * A condition set between commas after its outcome, then the other outcome:
 *
 *     The reply is either LGTM, when nothing breaks the rules, or one line per finding.
 *     Answer with the label, if one fits, or NONE.
 *
 * The ", or ..." closes the condition: what follows is the alternative to the outcome before the condition, not one
 * more case of it, so the condition's words (and its negation: "nothing breaks") end at that comma. Only a verbless
 * phrase is an outcome; ", or a test fails" goes on with the condition. A condition that lists its cases with commas
 * ("if it mentions fire, smoke, or sparks") is not set between two commas, and keeps its list.
 */

const WORD_CHAR = /[\p{L}\p{N}]/u;
const CONDITIONS = new Set(["if", "when", "whenever", "unless", "where", "once"]);

function finiteVerb(t: Token): boolean {
  if (t.pos === "AUX") return true;
  return t.pos === "VERB" && !(t.lemma !== t.lower && /(?:ing|ed|en)$/.test(t.lower));
}

/** `i` is the "or" after the comma that closes a condition `opened` (its first token) set after a comma. */
export function alternativeAfterCondition(tokens: Token[], i: number, to: number, opened: number): boolean {
  const or = tokens[i];
  if (or.lower !== "or" || tokens[i - 1]?.text !== ",") return false;
  // The condition follows its outcome and a comma: ", when nothing breaks the rules".
  if (tokens[opened - 1]?.text !== "," || !CONDITIONS.has(tokens[opened].lower)) return false;
  // That comma before "or" is the condition's first.
  for (let k = opened + 1; k < i - 1; k++) if (tokens[k].text === ",") return false;
  // The alternative has no verb of its own up to its end: "one line per finding in the form ...".
  let words = 0;
  for (let k = i + 1; k < to; k++) {
    const t = tokens[k];
    if (/^[,.;!?]$/.test(t.text)) break;
    if (!WORD_CHAR.test(t.text)) continue;
    if (CONDITIONS.has(t.lower) || finiteVerb(t)) return false;
    words++;
  }
  return words > 0;
}
