import { describe, expect, it } from "vitest";
import { exerciseBySlug, mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { readPrompt } from "./reading";
import { selfReferenceTokens } from "./self-reference";

const aside = (prompt: string) => {
  const reading = readPrompt(prompt);
  const tokens = selfReferenceTokens(reading);
  return reading.tokens.filter((t) => tokens.has(t.index)).map((t) => t.lower);
};

describe("self-reference: words about the prompt itself (self-reference.ts)", () => {
  it("finds back-references, places in the prompt and framing openers", () => {
    expect(aside("Only write the lines, in the input order, as explained above.")).toEqual([
      "as",
      "explained",
      "above",
    ]);
    expect(aside("As I mentioned before, keep it short.")).toEqual(["as", "i", "mentioned", "before"]);
    expect(aside("Describe the product whose data is at the end of this prompt.")).toEqual([
      "at",
      "the",
      "end",
      "of",
      "this",
      "prompt",
    ]);
    expect(aside("Please note that three is a maximum.")).toEqual(["please", "note", "that"]);
    expect(aside("Keep in mind that price alone is OK.")).toEqual(["keep", "in", "mind", "that"]);
  });

  it("leaves orders that use the same words alone", () => {
    expect(aside("Explain your choice in one sentence.")).toEqual([]);
    expect(aside("Add a note at the end of the reply.")).toEqual([]);
    expect(aside("Write the label as explained: one word.")).toEqual(["as", "explained"]);
    expect(aside("Add a short note that explains the label.")).toEqual([]);
  });
});

describe("self-reference: wordy good prompts keep their rules, reversals still fail (judge)", () => {
  it("reads three other wordings as breaking nothing", () => {
    // batch-the-reviews: nothing else in the reply; "explained" is not an explanation.
    expect(
      mustFailures(
        "batch-the-reviews",
        referenceWith("batch-the-reviews", "Nothing else in the reply, as already explained."),
      ),
    ).toBe("");
    // rerank-top-three: ids only; "note" is not a note.
    expect(
      mustFailures(
        "rerank-top-three",
        referenceWith("rerank-top-three", "Please note that three is a limit, not a target."),
      ),
    ).toBe("");
    // bounded-output: the opening; "the end of this prompt" is where the data sits.
    expect(
      mustFailures(
        "bounded-output",
        exerciseBySlug("bounded-output").reference_solution.replace(
          "Write a product description",
          "Write a product description, for the product whose data is given at the end of this prompt,",
        ),
      ),
    ).toBe("");
  });

  it("still fails three flawed prompts that ask for what the frame's words name", () => {
    expect(
      mustFailures(
        "batch-the-reviews",
        referenceWith("batch-the-reviews", "After the lines, explain each label briefly."),
      ),
    ).toContain("(contradicted)");
    expect(
      mustFailures(
        "rerank-top-three",
        referenceWith("rerank-top-three", "Please note that each id needs a short note on why it fits."),
      ),
    ).toContain("(contradicted)");
    expect(
      mustFailures(
        "bounded-output",
        referenceWith("bounded-output", "Put the product name at the end of the description."),
      ),
    ).toContain("(contradicted)");
  });
});
