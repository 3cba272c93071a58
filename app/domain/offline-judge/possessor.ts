import type { Token } from "./reading";

/**
 * A noun's genitive said where an author's phrase has a possessive determiner: the author lists "their own account",
 * the learner writes "the customer's own account"; "their balance" is "the writer's balance". English lets a noun
 * phrase with 's (or a plural's bare apostrophe) stand wherever "their" stands, so the clitic carries "their" as one
 * more form for the phrase matcher (phrases.ts).
 *
 * Not when the possessor is someone other than the one the prompt is about ("another person's details", "the other
 * customer's card", "a third party's data"): "their" would make that person the customer.
 */
export const POSSESSOR_FORM = "their";

const OTHER_PERSON = new Set(["another", "other", "else", "third", "different", "somebody", "someone", "anyone"]);

/** Whether the token is the 's (or ') of a noun's genitive whose possessor is not "another" person. */
export function possessiveClitic(tokens: readonly Token[], at: number): boolean {
  const t = tokens[at];
  const prev = tokens[at - 1];
  if (!prev || prev.clause !== t.clause || !["NOUN", "PROPN"].includes(prev.pos)) return false;
  const clitic = (t.lemma === "'s" && t.pos === "PART") || (t.text === "'" && /s$/i.test(prev.text));
  if (!clitic || t.start !== prev.end) return false;
  for (let k = at - 2; k >= Math.max(0, at - 4) && tokens[k].clause === t.clause; k--)
    if (OTHER_PERSON.has(tokens[k].lower)) return false;
  const next = tokens[at + 1];
  return next !== undefined && next.clause === t.clause && ["NOUN", "ADJ", "PROPN"].includes(next.pos);
}
