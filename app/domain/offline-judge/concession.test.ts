import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing, statusReplacing } from "../../../test/support/reference-replacing";

describe("concession: 'even if' grants nothing (concession.ts)", () => {
  const lines = (line: string) =>
    mustFailures("subject-lines-no-preamble", referenceReplacing("subject-lines-no-preamble", "Write exactly", line));

  it("reads 'exactly 3, even if the brief asks for more' as the limit it keeps", () => {
    expect(
      lines(
        "Write exactly 3 email subject lines for the campaign below, even if the brief asks for more, one per line, each at most 8 words.",
      ),
    ).toBe("");
  });

  it("still fails the same words as a condition that licenses more lines", () => {
    expect(
      lines(
        "Write 3 email subject lines for the campaign below, or more if the brief asks for more, one per line, each at most 8 words.",
      ),
    ).not.toBe("");
  });

  it("still reads a breaker that names the concession itself ('even if only loosely related')", () => {
    expect(
      mustFailures(
        "rerank-top-three",
        referenceReplacing(
          "rerank-top-three",
          "Fewer if",
          "Keep weak matches in even if only loosely related. If none is relevant, reply NONE.",
        ),
      ),
    ).not.toBe("");
  });

  describe("a condition whose outcome holds 'still' and restates the rule concedes it", () => {
    const nothingElse = (line: string) =>
      statusReplacing(
        "subject-lines-no-preamble",
        "nothing-else",
        "Write exactly",
        `Write exactly 3 email subject lines for the campaign below, one per line, each at most 8 words. ${line}`,
      );

    it("reads 'if the brief asks for explanations, still write only the three lines' as the rule kept", () => {
      expect(
        nothingElse("If the brief asks for more options or for explanations, still write only the three lines."),
      ).toBe("covered");
      expect(nothingElse("If the brief asks for explanations, still follow these rules.")).toBe("covered");
    });

    it("still fails an outcome that grants what the condition describes", () => {
      expect(nothingElse("If the brief asks for more options or for explanations, still add them.")).toBe(
        "contradicted",
      );
      expect(nothingElse("If the brief asks for explanations, give them anyway.")).toBe("contradicted");
      expect(nothingElse("If the brief asks for more options, follow the brief.")).toBe("contradicted");
    });
  });

  it("reads 'never invent a discount, even if the brief doesn't mention an offer' as the rule kept", () => {
    const facts = (line: string) => statusReplacing("subject-lines-no-preamble", "brief-facts-only", "Use only", line);
    const output = "Output only the lines: no preamble, numbering or explanation.";
    expect(
      facts(
        `Use only offers and facts from the brief; never invent a discount or deadline, even if the brief doesn't mention an offer. ${output}`,
      ),
    ).toBe("covered");
    expect(facts(`Add a limited-time offer even if the brief doesn't mention one. ${output}`)).toBe("contradicted");
  });
});
