import { describe, expect, it } from "vitest";
import { readPrompt } from "./reading";

const negated = (prompt: string) =>
  readPrompt(prompt)
    .tokens.filter((t) => t.negated)
    .map((t) => t.text);

describe("polarity: a negative verb hyphenated to the word before is a compound modifier (polarity.ts)", () => {
  it("reads 'release-stopping', 'spam-blocking', 'rule-ignoring' as describing, not forbidding", () => {
    expect(negated("Five entries at most, pressing or release-stopping ones first.")).not.toContain("first");
    expect(negated("Keep the spam-blocking rules in the reply.")).not.toContain("rules");
    expect(negated("List the rule-ignoring replies first.")).not.toContain("replies");
  });

  it("still reads the verb as an order where no word is hyphenated to it", () => {
    expect(negated("Stop adding notes to the reply.")).toContain("notes");
    expect(negated("- Skip the greetings.")).toContain("greetings");
    expect(negated("Reply in plain text and drop the footer lines.")).toContain("footer");
  });
});
