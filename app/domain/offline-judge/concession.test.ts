import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";

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
});
