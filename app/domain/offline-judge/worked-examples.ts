import type { Reading } from "./reading";

/**
 * Worked examples: a sentence that opens "For example," or "For instance," and tells how one case is read:
 *
 *     For example, a review saying that a kettle is ugly or arrived late is not a safety issue, but a review saying
 *     that the handle burned the customer's hand is definitely a safety issue.
 *     For instance, "see you Friday" in the notes of a Tuesday meeting means the Friday of that week.
 *
 * It illustrates a rule given elsewhere; it orders nothing, so its words alone never break a requirement (an emphasis
 * such as "definitely" is not a threshold). It may still state a rule and cover it, and a case it binds to the
 * opposite value ("For example, an unsure review is OK") contradicts the rule (case-bindings.ts). An example that gives an order or a
 * condition ("For example, if you are unsure, answer OK"; "For instance, add a reason") stays an order.
 */
const OPENER = /^\W*(?:for\s+(?:example|instance)|as\s+an\s+example|e\.\s?g\.|to\s+illustrate)\s*[,:]/i;
const ORDERS = /\b(?:if|when|whenever|unless|please|you|must|should|always|never|do\s+not|don'?t)\b/i;

/** Indexes of the rules that are worked examples. */
export function workedExampleRules(reading: Reading): Set<number> {
  const out = new Set<number>();
  for (const rule of reading.rules) {
    const text = reading.text.slice(rule.start, rule.end);
    const opener = OPENER.exec(text);
    if (!opener) continue;
    const rest = text.slice(opener[0].length);
    // An order right after the opener ("For example, add ...") or anywhere in it ("if ...", "you must").
    const first = reading.tokens.slice(rule.from, rule.to).find((t) => t.start >= rule.start + opener[0].length);
    if (first && first.pos === "VERB" && first.lower === first.lemma) continue;
    if (ORDERS.test(rest)) continue;
    out.add(rule.index);
  }
  return out;
}
