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
    String.raw`|remember|just\s+to\s+remind\s+you(?:\s+once\s+more)?|once\s+more|again|tl;?dr` +
    // "Just to recap:", "To go over it once more:", "Final checklist: three sentences max, ..."
    String.raw`|just\s+to\s+(?:recap|sum\s+up|summari[sz]e)|to\s+go\s+over\s+(?:it|this|that|them|everything|the\s+rules)(?:\s+(?:once\s+more|again|one\s+more\s+time))?` +
    String.raw`|(?:final\s+|quick\s+)?check\s*-?\s*list)\s*[:,\-–—]`,
  "i",
);

/**
 * A last check before the reply goes over the rules once more ("Before you reply, please double-check the guidelines
 * above: three sentences at most, ...", "Before replying, make sure your answer is three sentences or fewer, ...").
 */
const FINAL_CHECK = new RegExp(
  String.raw`^\W*before\s+(?:you\s+(?:reply|answer|respond|send|finish|submit)|(?:replying|answering|responding|sending|finishing|submitting))` +
    String.raw`\s*[,:]\s*(?:please\s+)?(?:double[\s-]?check|check|make\s+sure|ensure|verify|confirm)\b`,
  "i",
);
/** A heading over the recap's lines: "FINAL CHECKLIST", "Summary", "Quick reminder:". */
const HEADING = /^\W*(?:final\s+|quick\s+)?(?:check\s*-?\s*list|checks?|recap|summary|reminders?)\W*$/i;

/** Indexes of the rules that are recaps. */
export function recapRules(reading: Reading): Set<number> {
  const out = new Set<number>();
  const text = (i: number) => reading.text.slice(reading.rules[i].start, reading.rules[i].end);
  for (const rule of reading.rules) {
    // "Thank you! To summarise: ...": a courtesy before it does not hide it.
    const said = text(rule.index).replace(/^\W*(?:thank\s+you|thanks)\b[^:.!]*[.!]\s*/i, "");
    // Under the heading, or on the line after one that reads as plain prose ("FINAL CHECKLIST").
    const prev = reading.rules[rule.index - 1];
    const under =
      (rule.heading !== null && HEADING.test(text(rule.heading))) ||
      (prev !== undefined && prev.line < rule.line && HEADING.test(text(prev.index)));
    if (under || OPENER.test(said) || FINAL_CHECK.test(said)) out.add(rule.index);
  }
  return out;
}
