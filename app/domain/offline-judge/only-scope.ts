import type { Token } from "./reading";

/**
 * "only" or "alone" at the end of a phrase restricts the noun before it ("the lines only", "JSON alone"), unless a
 * preposition follows it: then it restricts what follows. "Base every line only on offers in the brief" says where
 * the lines come from, not that the reply is the lines only; "use the label only for spam" says when.
 */

const RESTRICTING = new Set(["only", "alone", "solely", "just"]);
const PREPOSITIONS = new Set(
  "on from in with to for about by if when where after before within under over at as".split(" "),
);

/** Whether the phrase's last token `last` ("only") restricts the words after it rather than the phrase. */
export function restrictsWhatFollows(tokens: readonly Token[], last: number): boolean {
  const t = tokens[last];
  if (!t || !RESTRICTING.has(t.lower)) return false;
  const next = tokens[last + 1];
  return next !== undefined && next.rule === t.rule && PREPOSITIONS.has(next.lower);
}
