import type { Reading } from "./reading";

/**
 * Courtesies: thanks for the help, greetings, praise and good wishes, which wordy prompts open and close with:
 *
 *     Thank you for helping our project management office today.
 *     Thanks so much for your careful work!
 *     We are truly grateful for your help with this very important task.
 *     We know you will do a wonderful job. Good luck!
 *
 * They are waste (waste.ts counts their filler), and they order nothing, so their words ("today", "work", "careful")
 * never break a requirement. Thanks for something the reply should do ("Thanks for adding a reason after the label")
 * is not a courtesy but a request, and stays an order: only thanks for helping, for the reader's work, time or care
 * count here.
 */
const HELP = String.raw`(?:(?:all\s+)?(?:your|the)\s+(?:(?:kind|careful|hard|great|valuable|continued)\s+)?(?:help|work|time|effort|efforts|care|patience|attention|assistance|support|diligence)|(?:helping|assisting|working\s+with\s+us|taking\s+the\s+time|taking\s+this\s+on|doing\s+this)(?=[\s,.!]))`;
const COURTESY = new RegExp(
  String.raw`^\W*(?:` +
    // "Thank you (so much) for helping ...", "Thanks a lot for your careful work", "Many thanks in advance."
    String.raw`(?:thank\s+you|thanks|many\s+thanks)(?:\s+(?:so|very|again|much|a\s+lot|a\s+million|in\s+advance))*(?:\s+for\s+${HELP}[^.!?\n]*)?\s*[.!,]?\s*$` +
    // "We are (truly / so) grateful (for your help ...)", "We (really) appreciate your help ..."
    String.raw`|(?:we|i)\s+(?:are|am|'re|'m)\s+(?:(?:so|very|truly|really|deeply|most)\s+)*(?:grateful|thankful)\b(?:\s+for\s+${HELP})?[^.!?\n]*[.!]?\s*$` +
    String.raw`|(?:we|i)\s+(?:(?:really|truly|greatly|very\s+much)\s+)?appreciate\s+${HELP}[^.!?\n]*[.!]?\s*$` +
    // "We know you will do a wonderful job", "I'm sure you'll do great", "Good luck!", "Hello!", "Have a nice day"
    String.raw`|(?:we|i)\s+(?:know|are\s+sure|am\s+sure|'m\s+sure|'re\s+sure|trust|hope)\s+(?:that\s+)?you(?:\s+will|'ll)\s+do\s+(?:a\s+)?(?:(?:great|good|wonderful|excellent|fantastic|brilliant|fine)\s+)?(?:job|work)?\b[^.!?\n]*[.!]?\s*$` +
    String.raw`|(?:good\s+luck|hello|hi(?:\s+there)?|hey|greetings|have\s+a\s+(?:great|nice|good)\s+day)\b[^.!?\n]{0,20}[.!]?\s*$` +
    ")",
  "i",
);

/** Indexes of the rules that are courtesies. */
export function courtesyRules(reading: Reading): Set<number> {
  const out = new Set<number>();
  for (const rule of reading.rules) if (COURTESY.test(reading.text.slice(rule.start, rule.end))) out.add(rule.index);
  return out;
}
