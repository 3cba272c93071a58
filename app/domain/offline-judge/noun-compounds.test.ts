import { describe, expect, it } from "vitest";
import { referenceWith, requirementStatus } from "../../../test/support/judge-exercise";
import { compoundVariants } from "./noun-compounds";

/** A few-shot-diet rewrite whose only line about relative dates is `anchor`. */
const diet = (anchor: string) =>
  [
    "Give back one line, OWNER | TASK | DUE, and nothing else.",
    "TASK is a short command that starts with a verb. DUE is a date written YYYY-MM-DD.",
    anchor,
    "If nobody is named or no deadline is given, write none in that field.",
    "",
    "{{input}}",
  ].join("\n");

describe("an event's time said as an of-phrase or a relative clause (noun-compounds.ts)", () => {
  it("gives an event-time compound its of-phrase and the event's relative clauses", () => {
    expect(compoundVariants(["NOUN", "NOUN"], ["meeting", "date"]).map((v) => v.by.join(" "))).toEqual([
      "head of modifier",
      "head modifier be hold",
      "head modifier take place",
      "head modifier happen",
      "head modifier occur",
    ]);
  });

  it("leaves alone other compounds (a verb and its object read out of context), and longer runs of nouns", () => {
    expect(compoundVariants(["NOUN", "NOUN"], ["estimate", "value"])).toEqual([]);
    expect(compoundVariants(["NOUN", "NOUN"], ["order", "number"])).toEqual([]);
    expect(compoundVariants(["NOUN", "NOUN", "NOUN"], ["team", "meeting", "date"])).toEqual([]);
    expect(compoundVariants(["ADJ", "NOUN"], ["current", "date"])).toEqual([]);
  });

  it("reads the meeting's date said as 'the day of the meeting' or 'the day the meeting was held / took place'", () => {
    for (const anchor of [
      'Work out phrases like "by Friday" from the day of the meeting, given first in the notes.',
      'Turn phrases like "by Friday" into a date, counting from the day the meeting was held (the first line).',
      'For wording like "end of month", count from the day the meeting took place, stated at the start.',
    ])
      expect(requirementStatus("few-shot-diet", "relative-dates", diet(anchor)), anchor).toBe("covered");
  });

  it("does not take another day said in the same shape for the meeting's date, nor let a reversal pass", () => {
    for (const anchor of [
      'Turn phrases like "by Friday" into a date, counting from the day you read the notes.',
      'Turn phrases like "by Friday" into a date, counting from the day the notes were sent.',
    ])
      expect(requirementStatus("few-shot-diet", "relative-dates", diet(anchor)), anchor).not.toBe("covered");
    expect(
      requirementStatus(
        "few-shot-diet",
        "relative-dates",
        diet('Count phrases like "by Friday" from today\'s date, not from the day the meeting was held.'),
      ),
    ).not.toBe("covered");
  });

  it("does not read a verb and its object as a compound: 'value instead of estimating' is no 'estimate values'", () => {
    const prompt = referenceWith(
      "line-items-stop-rule",
      "Use null for any missing or unreadable value instead of estimating.",
    );
    expect(requirementStatus("line-items-stop-rule", "null-not-estimate", prompt)).toBe("covered");
  });
});
