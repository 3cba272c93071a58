import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { readPrompt } from "./reading";

const negated = (text: string, word: string) =>
  readPrompt(text).tokens.find((t) => t.lower === word.toLowerCase())?.negated;

describe("'leave X out': the particle after its object still forbids it (polarity.ts)", () => {
  it("forbids the object between 'leave' and 'out'/'off'", () => {
    expect(negated("Leave weak matches out even if that leaves one or two.", "weak")).toBe(true);
    expect(negated("Leave the greeting off.", "greeting")).toBe(true);
  });

  it("keeps the object when a negation cancels it, and a 'leave' with no particle", () => {
    expect(negated("Never leave any review out.", "review")).toBe(false);
    expect(negated("Leave the order number as it is.", "order")).toBe(false);
    expect(negated("Leave room out of the box.", "room")).toBe(false);
  });

  it("reads 'leave weak matches out' as no padding (judge), and 'keep them in' still breaks it", () => {
    const rerank = (line: string) =>
      mustFailures("rerank-top-three", referenceReplacing("rerank-top-three", "Fewer if", line));
    expect(rerank("Leave weak matches out even if that leaves one or two. If none is relevant, reply NONE.")).toBe("");
    expect(
      rerank("Keep weak matches in even if that leaves only loosely related ones. If none is relevant, reply NONE."),
    ).not.toBe("");
  });
});

describe("'nothing else' as a subject is one clause (reading.ts)", () => {
  const clauses = (text: string) => {
    const r = readPrompt(text);
    return r.clauses.map((c) =>
      r.tokens
        .slice(c.from, c.to)
        .map((t) => t.text)
        .join(" "),
    );
  };

  it("keeps 'Nothing else is replaced' whole and forbids its verb", () => {
    expect(clauses("Nothing else is replaced.")).toEqual(["Nothing else is replaced ."]);
    expect(negated("Nothing else is replaced: order numbers remain.", "replaced")).toBe(true);
  });

  it("still opens a clause at 'else' meaning 'otherwise' and after a fronted phrase", () => {
    expect(clauses("Write the label, else write NONE.")).toHaveLength(2);
    expect(clauses("Include it for bedding; for everyone else leave it out.")).toHaveLength(3);
  });

  it("reads the declarative 'nothing else is replaced' as keeping the rest (judge); 'everything else is' still breaks", () => {
    const redact = (line: string) =>
      mustFailures("redact-on-nano", referenceReplacing("redact-on-nano", "Keep order", line));
    expect(redact("Nothing else is replaced: order numbers and product names remain.")).toBe("");
    expect(redact("Everything else is replaced, order numbers and product names too.")).not.toBe("");
  });
});
