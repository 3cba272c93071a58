import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { boundSlots, loosensBound, turnsBound } from "./turned-bound";

/** A limit turned round. Our own wordings on the exercises whose descriptions bound a quantity, with look-alikes. */

const SURCHARGE = "Fuel surcharge at most 6% of the freight charge.";
const WORDS = "Each subject line at most 8 words.";
const RETURNS = "Returns within 30 days of delivery.";

describe("boundSlots: the figure, its unit and its side, from a requirement's description", () => {
  it("reads bounds set in words that only set bounds", () => {
    expect(boundSlots(SURCHARGE)).toEqual([{ value: 6, side: "ceiling", unit: "%", thing: ["fuel", "surcharge"] }]);
    expect(boundSlots(WORDS)).toEqual([{ value: 8, side: "ceiling", unit: "word", thing: ["line"] }]);
    expect(boundSlots(RETURNS)).toEqual([{ value: 30, side: "ceiling", unit: "day", thing: ["return"] }]);
    // the reply's own length: the declared task reads it
    expect(boundSlots("At most three clauses.")).toEqual([]);
  });

  it("reads no bound where a comparison names a case", () => {
    expect(boundSlots("Payment terms net 45 days; terms shorter than 45 days are held.")).toEqual([]);
    expect(boundSlots("An invoice over €25,000 needs CFO approval (hold).")).toEqual([]);
    expect(boundSlots("Flag functions longer than 50 lines.")).toEqual([]);
  });
});

describe("turnedBound: the same figure bounded from the other side", () => {
  it.each([
    [SURCHARGE, "- the fuel surcharge must be at least 6% of the freight charge."],
    [SURCHARGE, "Conditions: amounts in EUR; the fuel surcharge is at least 6% of freight."],
    [SURCHARGE, "Fuel surcharge: 6% or more of the freight charge."],
    [SURCHARGE, "The surcharge must be no less than 6 percent of freight."],
    [WORDS, "Each subject line needs a minimum of 8 words."],
    [RETURNS, "Returns are accepted after at least 30 days."],
  ])("turned (%s): %s", (description, prompt) => {
    expect(turnsBound(description, prompt)).toBe(true);
  });

  it.each([
    [SURCHARGE, "HOLD if the fuel surcharge is over 6% of freight."],
    [SURCHARGE, "Hold if the surcharge is at least 6% and no approval is attached."],
    [SURCHARGE, "Fuel surcharge: max 6% of freight."],
    [SURCHARGE, "Fuel surcharge no more than 6% of the freight charge; at least 2% is normal."],
    [SURCHARGE, "Payment terms: at least 6% interest on late payment is charged by the carrier."],
    [WORDS, "Subject lines of up to 8 words, each at least 3 words long."],
    [RETURNS, "Returns within 30 days of delivery; refunds take at least 5 days."],
  ])("kept (%s): %s", (description, prompt) => {
    expect(turnsBound(description, prompt)).toBe(false);
  });

  it("fails the requirement on the exercise, and keeps the reference's wording", () => {
    expect(
      mustFailures(
        "compress-long-context",
        referenceWith("compress-long-context", "The fuel surcharge must be at least 6% of the freight charge."),
      ),
    ).toContain("(contradicted)");
    expect(
      mustFailures(
        "compress-long-context",
        referenceWith("compress-long-context", "Hold when the fuel surcharge is more than 6% of freight."),
      ),
    ).toBe("");
  });
});

describe("loosened bound: a limit from the same side past the brief's figure", () => {
  it.each([
    [WORDS, "Write exactly three subject lines for this brief, one per line, no more than 12 words each."],
    [WORDS, "Each subject line: at most 10 words."],
    [SURCHARGE, "The fuel surcharge may be up to 10% of the freight charge."],
  ])("loosened (%s): %s", (description, prompt) => {
    expect(loosensBound(description, prompt)).toBe(true);
  });

  it.each([
    // a tighter limit keeps the brief's
    [WORDS, "Each subject line at most 6 words."],
    // another thing's limit in the same sentence
    [
      "Subject line at most 45 characters.",
      "Write one subject line of at most 45 characters and one preview line of at most 90 characters.",
    ],
    // a case, not a limit
    [SURCHARGE, "HOLD if the fuel surcharge is over 10% of freight."],
  ])("kept (%s): %s", (description, prompt) => {
    expect(loosensBound(description, prompt)).toBe(false);
  });

  it("fails the word limit on the exercise and keeps the reference", () => {
    expect(
      mustFailures(
        "subject-lines-no-preamble",
        referenceWith("subject-lines-no-preamble", "Each subject line may run to no more than 12 words."),
      ),
    ).toContain("(contradicted)");
    expect(
      mustFailures(
        "subject-lines-no-preamble",
        referenceWith("subject-lines-no-preamble", "Aim for 5 to 6 words; never more than 8 words."),
      ),
    ).toBe("");
  });
});

describe("changedBound: a compound shortened to its first word as a template line's label", () => {
  const SUBJECT = "Subject line at most 45 characters.";
  it.each([
    "Output:\nSubject: <max 90 characters>\nPreview: <max 45 characters>\nNothing else.",
    "Subject: up to 90 characters\nPreview: up to 45 characters",
  ])("the limits swapped between the lines: %s", (prompt) => {
    expect(loosensBound(SUBJECT, prompt)).toBe(true);
  });

  it.each([
    "Output:\nSubject: <max 45 characters>\nPreview: <max 90 characters>\nNothing else.",
    "Subject: at most 45 characters. Preview line: at most 90 characters.",
    "Subject: max 40 characters\nPreview: max 90 characters",
  ])("each line keeps its own limit: %s", (prompt) => {
    expect(loosensBound(SUBJECT, prompt)).toBe(false);
  });
});
