import type { Reading } from "./reading";

/**
 * Words about the prompt itself, which wordy prompts wrap around their rules:
 *
 *     Only write the lines, one per review, in the input order, as explained above.
 *     Write a short description of the product whose data is provided at the end of this prompt.
 *     Please note that three is a maximum and not a target.
 *     Keep in mind that complaints about price alone are OK.
 *
 * "as explained above" points back at a rule already given; it asks for no explanation. "at the end of this prompt"
 * says where the data sits, not where anything goes in the reply. "Please note that" and "keep in mind that" frame the
 * rule that follows; the rule is read as before, but the frame's own words ("note", "explained", "end") neither cover
 * nor break a requirement.
 */

const SAID = String.raw`(?:explained|mentioned|described|stated|noted|listed|shown|said|outlined|specified|defined|set\s+out|instructed|requested|asked|discussed|covered)`;
const WHERE = String.raw`(?:above|below|earlier|before|previously|here|in\s+(?:the\s+)?(?:rules|instructions|list|steps)\s+(?:above|below))`;
const PATTERNS = [
  // "as explained above", "as already mentioned", "as I said before", "as described in the rules above"
  String.raw`\bas\s+(?:(?:i|we)\s+(?:have\s+)?|(?:already|previously)\s+|was\s+|is\s+)?${SAID}(?:\s+${WHERE})?(?=\s*[,.;:!)]|\s*$|\s+(?:and|so|then)\b)`,
  String.raw`\bas\s+(?:(?:i|we)\s+(?:have\s+)?|(?:already|previously)\s+)?${SAID}\s+${WHERE}`,
  // "at the end of this prompt", "at the top of the message", "in the middle of these instructions"
  String.raw`\b(?:at|in|to|near)\s+the\s+(?:very\s+)?(?:end|top|bottom|start|beginning|middle|foot)\s+of\s+(?:this|the|my|our|these)\s+(?:prompt|message|instructions?|text|page)\b`,
  // "Please note that", "keep in mind that", "bear in mind that", "be aware that", "it is worth noting that"
  String.raw`(?:^|(?<=[\n.;:!?]\s*)|\b(?:and|also|but|so)\s+)(?:(?:please|also|just|kindly)\s+)*(?:note|keep\s+in\s+mind|bear\s+in\s+mind|be\s+aware|remember|it\s+is\s+worth\s+noting|it'?s\s+worth\s+noting)\s+that\b`,
];
const SELF_REFERENCE = new RegExp(PATTERNS.join("|"), "gim");

/** Indexes of the tokens that are words about the prompt itself. */
export function selfReferenceTokens(reading: Reading): Set<number> {
  const out = new Set<number>();
  for (const m of reading.flatText.matchAll(SELF_REFERENCE)) {
    const from = m.index;
    const to = from + m[0].length;
    for (const t of reading.tokens) if (t.start >= from && t.end <= to) out.add(t.index);
  }
  return out;
}
