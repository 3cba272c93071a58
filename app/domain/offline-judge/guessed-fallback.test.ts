import { describe, expect, it } from "vitest";
import { fallbackSlot } from "./fallback-value";
import { guessedFallback } from "./guessed-fallback";
import { readPrompt } from "./reading";

const OTHER = "other when nothing fits.";
const OWNER = "owner is the name as written in the notes, or null; never a suggested owner.";
const NULL = "Anything the email does not state is null, never guessed.";
const UNKNOWN = "UNKNOWN when the data does not support one cause; never a guess.";

function guessed(description: string, prompt: string): boolean {
  const slot = fallbackSlot(description);
  if (!slot) throw new Error(`no fallback in ${description}`);
  return guessedFallback(readPrompt(prompt), slot, () => true) !== null;
}

describe("guessedFallback: the empty case answered with a guess instead of the brief's value", () => {
  it.each([
    [OTHER, "If no value clearly fits product or topic, choose the closest one rather than falling back."],
    [OWNER, "owner: the name as written in the notes; if nobody took it on, the attendee best placed to do it;"],
    [OWNER, "- owner: the person's name as written; if nobody volunteered, the attendee best placed to do it"],
    [
      "due is YYYY-MM-DD for a deadline the notes state, otherwise null.",
      "due (YYYY-MM-DD; use the deadline in the notes, and where none was agreed, default to one week after the meeting)",
    ],
    [NULL, "product (the product name; if not named, your best guess from the description)"],
    [UNKNOWN, "If the data supports no cause, pick the most likely one."],
    [OTHER, "When nothing matches, use the nearest queue."],
    // nobody said as "unassigned"; a pick by description where the value is null
    [OWNER, "owner: name as in the notes; if unassigned, the attendee best placed to do it"],
    [OWNER, "owner: the name as written; if nobody took it on, the attendee whose area it falls in;"],
    [OWNER, "- owner: as written; when an item is unclaimed, whoever raised it"],
  ])("a guess (%s): %s", (description, prompt) => {
    expect(guessed(description, prompt)).toBe(true);
  });

  it.each([
    [OTHER, "If nothing fits, use other rather than the closest value."],
    [OWNER, "owner: as written; if nobody took it on, null (never guess the best person)."],
    [NULL, "If the email does not state it, null; don't guess."],
    [UNKNOWN, "If the data supports no single cause, UNKNOWN; never pick the most likely."],
    [OTHER, "If nothing fits, other. Put the best match first when several fit."],
    [NULL, "If no order number is given, write null instead of a likely guess."],
    [OWNER, "owner: name as in the notes; if unassigned, null (do not pick the attendee best placed)."],
    [OWNER, "owner: the person whose name the notes give; if nobody took it on, null."],
    [OTHER, "If nothing fits, other; whichever value fits best otherwise."],
  ])("no guess (%s): %s", (description, prompt) => {
    expect(guessed(description, prompt)).toBe(false);
  });
});
