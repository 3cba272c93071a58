import type { PhraseHit } from "./phrases";
import type { Reading } from "./reading";

/**
 * A verb under a modal of hypothesis ("would", "could", "might") describes what something would do, not what the
 * model is told to do: "if answering would reveal another person's details, output ACCOUNT_SPECIFIC" names a case;
 * only "reveal their details" orders it. A breaker's words found there ask for nothing (coverage.ts).
 *
 * Not when the model is the subject ("you would reveal it", "you could share them"): that says what it may do.
 */
const HYPOTHETICAL = new Set(["would", "could", "might", "'d"]);
const ADDRESSEE = new Set(["you", "we", "i"]);

export function hypotheticalHit(reading: Reading, hit: PhraseHit): boolean {
  const { tokens } = reading;
  const first = tokens[hit.from];
  if (first.pos !== "VERB") return false;
  let k = hit.from - 1;
  // One adverb may sit between: "would likely reveal", "could otherwise expose".
  if (k >= 0 && tokens[k].pos === "ADV" && !tokens[k].negated) k--;
  const modal = tokens[k];
  if (!modal || modal.clause !== first.clause || !HYPOTHETICAL.has(modal.lower)) return false;
  const subject = tokens[k - 1];
  return !(subject && subject.clause === first.clause && ADDRESSEE.has(subject.lower));
}
