import type { Reading } from "./reading";

/**
 * A recap restates the rules in a few words ("To recap: JSON Lines, plain numbers, no totals, null for unreadable
 * values, then END."). Squeezed into one list, its items lose the words that scoped them, so what a recap seems to
 * break a rule it restates already covers: a requirement instructed outside the recap is not contradicted by it.
 * Where the recap is the only place a requirement is found, it counts as any rule does (offline-judge.ts).
 */
const OPENER = new RegExp(
  String.raw`^\W*(?:to\s+(?:recap|sum\s+up|summari[sz]e)(?:\s+(?:once\s+more|again|the\s+(?:most\s+important\s+)?(?:points|rules)(?:\s+once\s+more)?))?` +
    String.raw`|in\s+(?:short|summary|brief|sum|a\s+nutshell)|(?:a\s+)?(?:quick\s+)?(?:recap|summary|reminder)(?:\s+of\s+(?:all\s+)?(?:the\s+)?rules)?` +
    String.raw`|remember|just\s+to\s+remind\s+you(?:\s+once\s+more)?|once\s+more|again|tl;?dr)\s*[:,\-–—]`,
  "i",
);

/** Indexes of the rules that are recaps. */
export function recapRules(reading: Reading): Set<number> {
  const out = new Set<number>();
  for (const rule of reading.rules) {
    // "Thank you! To summarise: ...": a courtesy before it does not hide it.
    const text = reading.text.slice(rule.start, rule.end).replace(/^\W*(?:thank\s+you|thanks)\b[^:.!]*[.!]\s*/i, "");
    if (OPENER.test(text)) out.add(rule.index);
  }
  return out;
}
