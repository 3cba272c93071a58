import { describe, expect, it } from "vitest";
import { fixFirst } from "./next-steps";

type R = Parameters<typeof fixFirst>[0];
const base = (): R => ({
  judge: {
    requirements: [
      { id: "a", description: "Keep the order number", covered: true, reason: "found" },
      { id: "b", description: "Say the refund amount", covered: true, reason: "found" },
    ],
    format: { required: true, found: true, reason: "found" },
    gaming: { keywordList: false, injection: null, reasons: [] },
  },
  checks: [
    { id: "c1", label: "Has {{input}}", kind: "contains", required: true, passed: true, detail: "ok" },
    { id: "c2", label: "Under 150 tokens", kind: "max_tokens", required: false, passed: false, detail: "180" },
  ],
  score: { passed: true } as R["score"],
  tokens: { prompt: 90, baseline: 400, par: 80, inputPerCall: 0, outputPerCall: 0 },
});

describe("fixFirst", () => {
  it("puts gaming first, then failed required checks, then uncovered requirements, at most three", () => {
    const r = base();
    r.score = { passed: false } as R["score"];
    r.judge.gaming = { keywordList: true, injection: null, reasons: ["a bare keyword list"] };
    r.checks[0] = { ...r.checks[0], passed: false, detail: "no placeholder" };
    r.judge.requirements[1] = { ...r.judge.requirements[1], covered: false, reason: "not mentioned" };
    r.judge.format = { required: true, found: false, reason: "no format" };
    const items = fixFirst(r);
    expect(items).toHaveLength(3);
    expect(items[0]).toMatch(/not for the grader: a bare keyword list/);
    expect(items[1]).toBe("Has {{input}}: no placeholder");
    expect(items[2]).toBe("Cover this: Say the refund amount (not mentioned)");
    expect(fixFirst(r, 10)[3]).toMatch(/format/);
  });

  it("puts a contradicted essential requirement before a missing one, and a 'should' last", () => {
    const r = base();
    r.judge.requirements = [
      { id: "s", description: "Nice to have", covered: false, reason: "absent", level: "should", status: "missing" },
      { id: "m", description: "Missing must", covered: false, reason: "absent", level: "must", status: "missing" },
      {
        id: "c",
        description: "Contradicted must",
        covered: false,
        reason: "opposite",
        level: "must",
        status: "contradicted",
        contradiction: { line: 4, quote: "x" },
      },
    ];
    expect(fixFirst(r)).toEqual([
      "Your prompt says the opposite of: Contradicted must (line 4)",
      "Cover this: Missing must (absent)",
      "Cover this: Nice to have (absent)",
    ]);
  });

  it("ignores failed optional checks and, for a pass, points at the tokens above par", () => {
    expect(fixFirst(base())).toEqual(["Passed. To score higher, cut 10 more tokens to reach par (80)."]);
  });

  it("says nothing for a pass at or under par", () => {
    const r = base();
    r.tokens = { ...r.tokens, prompt: 80 };
    expect(fixFirst(r)).toEqual([]);
  });
});
