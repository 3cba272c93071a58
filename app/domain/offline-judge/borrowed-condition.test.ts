import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { outcomeWithoutComma } from "./condition-outcome";
import { readPrompt } from "./reading";

/** The empty case of a fallback label read as that label's situation (borrowed-condition.ts). */

const SELECTION = "Passes on only the sentences that help answer the question.";

describe("borrowed condition: the empty case of a fallback value orders no selection", () => {
  it("fails a prompt whose only selection words are the NONE fallback's situation", () => {
    for (const prompt of [
      "Copy the passages' sentences word for word, one per line, each starting with its passage label. If no passage helps answer the question, reply NONE. Don't answer the question.\n\n{{input}}",
      "Copy every sentence word for word, one per line, with its passage label ([P2]). When nothing is relevant to the question, reply NONE. No headings.\n\n{{input}}",
    ])
      expect(mustFailures("prune-retrieved-passages", prompt), prompt).toContain(SELECTION);
  });

  it("keeps a selection said beside the fallback, in the condition's outcome or in its own sentence", () => {
    for (const line of [
      "Copy only the sentences that help answer the question; if no passage helps answer it, reply NONE.",
      "The output is either NONE, when no passage helps answer the question, or only the sentences that do help.",
    ])
      expect(mustFailures("prune-retrieved-passages", referenceWith("prune-retrieved-passages", line)), line).toBe("");
  });

  it("reads conditions that name a case as before: the case is the rule", () => {
    expect(
      mustFailures(
        "cut-unused-context",
        'Classify the expense line below into exactly one category: travel, meals, software, office supplies, training or other. Set needs_review to true if the amount is over $75 and there is no receipt, or if the line includes alcohol; otherwise false. Reply with JSON only: {"category": "...", "needs_review": true or false}.\n\nExpense line:\n{{input}}',
      ),
    ).toBe("");
  });
});

describe("condition-outcome: a verb after 'help' is its bare infinitive, not the outcome's order", () => {
  const outcome = (prompt: string) => {
    const { tokens } = readPrompt(prompt);
    const at = outcomeWithoutComma(tokens, 0, tokens.length);
    return at === null ? null : tokens[at].text;
  };

  it("keeps 'helps answer the question' inside the condition", () => {
    expect(outcome("If no passage helps answer the question reply NONE.")).toBe("reply");
    expect(outcome("If nothing helps answer it")).toBeNull();
  });

  it("still opens an outcome without a comma", () => {
    expect(outcome("If the review mentions fire answer SAFETY.")).toBe("answer");
  });
});
