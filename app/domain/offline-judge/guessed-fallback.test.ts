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

describe("guessedFallback: another value put in the empty case's place", () => {
  const NO_DATE = "none when there is no due date.";
  const DUE = "due is YYYY-MM-DD for a deadline the notes state, otherwise null.";

  it("reads the value a description puts first, before the absence", () => {
    expect(fallbackSlot(NO_DATE)).toEqual({ value: "none" });
    expect(fallbackSlot("NONE when there is no IT question.")).toEqual({ value: "NONE" });
    // the value is not first: "only END when there are no line items" is the reply's shape
    expect(
      fallbackSlot("Ends with a line END and nothing after it; only END when there are no line items."),
    ).toBeNull();
  });

  it.each([
    [NO_DATE, "DUE is YYYY-MM-DD; if no due date is mentioned, use the meeting date itself."],
    [NO_DATE, "If the notes give no deadline, take the date of the meeting."],
    [DUE, "due: the stated deadline, or meeting date + 7 days if none was set"],
    [DUE, "due: where none is stated, the meeting date plus 14 days."],
  ])("a value put in (%s): %s", (description, prompt) => {
    expect(guessed(description, prompt)).toBe(true);
  });

  it.each([
    [NO_DATE, "DUE is YYYY-MM-DD; if no due date is mentioned, use none."],
    [NO_DATE, "If no due date is given, write none; use the meeting date only to work out relative dates."],
    [
      DUE,
      "due: the stated deadline; if none was set, null. Use the meeting date + 7 days only when the notes say 'next week'.",
    ],
    [DUE, "due: YYYY-MM-DD; if no deadline is stated, leave it null."],
  ])("the brief's value kept (%s): %s", (description, prompt) => {
    expect(guessed(description, prompt)).toBe(false);
  });
});

describe("guessedFallback: a condition with no comma ends where an imperative opens its outcome", () => {
  const DUE = "due is YYYY-MM-DD for a deadline the notes state, otherwise null.";
  it.each([
    [DUE, "due (YYYY-MM-DD; use the stated deadline, and if none is stated use the date one week after the meeting)"],
    [DUE, "due: the deadline as stated; if no deadline is mentioned set the meeting date plus seven days"],
    [OWNER, "owner: the name as written; if nobody took it on use the meeting's chair"],
  ])("a value put in the empty case's place (%s): %s", (description, prompt) => {
    expect(guessed(description, prompt)).toBe(true);
  });

  it.each([
    [DUE, "due (YYYY-MM-DD; use the stated deadline, and if none is stated use null)"],
    [DUE, "due: if the notes use a weekday name, work out the date from the meeting date; if none is stated, null"],
    [OWNER, "owner: the name as written; if they use a nickname keep it; if nobody took it on, null"],
  ])("the brief's value kept, or a condition's own verb (%s): %s", (description, prompt) => {
    expect(guessed(description, prompt)).toBe(false);
  });
});

describe("guessedFallback: the empty case after its outcome, or written as a label", () => {
  const DUE = "due is YYYY-MM-DD for a deadline the notes state, worked out from the meeting date, otherwise null.";
  const NO_DATE = "none when there is no due date.";
  it.each([
    [
      DUE,
      "- due: YYYY-MM-DD; the stated deadline (from the meeting date), or the meeting date + 7 days when none was set",
    ],
    [DUE, "due: the stated deadline, or the meeting date plus a week when none is stated"],
    [DUE, "due: the stated deadline; your best estimate when no deadline is mentioned"],
    [NO_DATE, "OWNER | TASK | DUE. No owner: none. No due date: use the meeting date itself."],
    [OWNER, "owner: as written. Without an owner: the attendee best placed to do it."],
  ])("another value for the empty case (%s): %s", (description, prompt) => {
    expect(guessed(description, prompt)).toBe(true);
  });

  it.each([
    // the brief's value after it, the same shapes
    [DUE, "due: the stated deadline, or null when none is stated"],
    [DUE, "due: the stated deadline, null when none was set"],
    [NO_DATE, "OWNER | TASK | DUE. No owner: none. No due date: none."],
    [NO_DATE, "No due date: write none; never use the meeting date."],
    // "when" after an order says how, not what the empty case gets
    [DUE, "Use the meeting date to work out weekdays when no year is given; due is null when no deadline is stated."],
    // a label that is no empty case
    [NO_DATE, "Note: use the meeting date at the top to resolve 'Friday'. No due date: none."],
  ])("the brief's value kept (%s): %s", (description, prompt) => {
    expect(guessed(description, prompt)).toBe(false);
  });
});

describe("guessedFallback: a quoted reply for an unanswered question", () => {
  const NOT_IN = 'Replies "Not in the excerpts." when the excerpts do not answer the question.';
  const NOT_DOC = 'Replies "Not documented. Ask in #data-help." when no chunk answers the question.';

  it("reads the quoted reply as the empty case's value", () => {
    expect(fallbackSlot(NOT_IN)).toEqual({ value: "Not in the excerpts." });
    expect(fallbackSlot(NOT_DOC)).toEqual({ value: "Not documented. Ask in #data-help." });
  });

  it.each([
    [
      NOT_IN,
      'If they don\'t answer it, give the closest related figure, cited; say "Not in the excerpts." only if they hold none.',
    ],
    [NOT_IN, "When the excerpts do not answer the question, estimate from the nearest figure."],
    [NOT_DOC, "If no chunk answers it, give your best guess from general knowledge."],
  ])("a guess in its place (%s): %s", (description, prompt) => {
    expect(guessed(description, prompt)).toBe(true);
  });

  it.each([
    [NOT_IN, 'If the excerpts don\'t answer it, reply "Not in the excerpts." and never give the closest figure.'],
    [NOT_IN, "If the excerpts do not answer it, say Not in the excerpts"],
    [NOT_IN, "If they answer only part, give that part; if they don't answer it at all, Not in the excerpts."],
    [NOT_DOC, "If no chunk answers it, reply: Not documented. Ask in #data-help. Never guess."],
  ])("the quoted reply kept (%s): %s", (description, prompt) => {
    expect(guessed(description, prompt)).toBe(false);
  });
});
