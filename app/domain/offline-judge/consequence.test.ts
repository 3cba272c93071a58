import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { readPrompt } from "./reading";

const consequences = (prompt: string) => {
  const reading = readPrompt(prompt);
  return reading.clauses
    .filter((c) => c.reason)
    .map((c) =>
      reading.tokens
        .slice(c.from, c.to)
        .map((t) => t.text)
        .join(" "),
    );
};

describe("consequence: what would go wrong, told to justify a rule (consequence.ts)", () => {
  it("reads a harm that a subject could, would or might cause as a reason", () => {
    expect(consequences("Honesty matters, and an invented certification could get us into real trouble.")).toEqual([
      "and an invented certification could get us into real trouble .",
    ]);
    expect(consequences("Weak matches would only distract the drafting model.")).toHaveLength(1);
    expect(consequences("A made-up deadline might mislead our customers.")).toHaveLength(1);
  });

  it("leaves requests, rules and permissions alone", () => {
    expect(consequences("It would be great if you added a short note.")).toEqual([]);
    expect(consequences("The reply will be one line.")).toEqual([]);
    expect(consequences("You could add a reason after the label.")).toEqual([]);
    expect(consequences("A longer description may be up to 200 words.")).toEqual([]);
    expect(consequences("The issue may also be broken or defective.")).toEqual([]);
  });
});

describe("consequence: wordy good prompts keep their rules, reversals still fail (judge)", () => {
  it("reads three other wordings as breaking nothing", () => {
    for (const line of [
      "Honesty is our core value: an invented spec might cost us a customer's trust.",
      "Accuracy matters to us; invented materials would confuse shoppers.",
      "Remember that any invented certification could land us in legal trouble.",
    ])
      expect(mustFailures("bounded-output", referenceWith("bounded-output", line)), line).toBe("");
    expect(
      mustFailures(
        "compress-ticket-summary",
        referenceWith("compress-ticket-summary", "A guessed detail could send the agent in the wrong direction."),
      ),
    ).toBe("");
  });

  it("still fails three flawed prompts that order what the consequence warns against", () => {
    for (const line of [
      "If the data is thin, invent plausible specs; an empty description could cost us sales.",
      "Add typical materials and certifications even when the data does not list them.",
      "Fill in plausible details where the data is missing.",
    ])
      expect(mustFailures("bounded-output", referenceWith("bounded-output", line)), line).toContain("(contradicted)");
  });
});
