/**
 * When terms jammed together with no separator make a rule a run of keywords, and when they are only a sentence's
 * noun phrases:
 *
 *     bullets three problem tried wants order number copied exactly ESCALATE      (a run: terms chained)
 *     DUE is a YYYY-MM-DD date, or none when the note sets no deadline; a relative deadline becomes a date counted
 *     from the meeting date that heads the note.                                   (a sentence: pairs, apart)
 *
 * A declarative spec puts two requirements' words side by side as a modifier and its noun ("a YYYY-MM-DD date",
 * "none when", "meeting date"), each pair apart from the next, among the sentence's own words. A word list chains
 * them: three terms or more in a row. Jammed joins that never chain count as a run only when the requirements'
 * terms are most of the rule's words.
 */
export function jammedRun(jammed: number, gaps: number, longestChain: number, covered: number, words: number): boolean {
  if (jammed < 3 || jammed * 2 < gaps) return false;
  return longestChain >= 2 || covered >= 0.6 * words;
}
