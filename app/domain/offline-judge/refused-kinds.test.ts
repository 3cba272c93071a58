import { describe, expect, it } from "vitest";
import { requirementStatus } from "../../../test/support/judge-exercise";
import { readPrompt } from "./reading";

const negated = (text: string, word: string) =>
  readPrompt(text).tokens.find((t) => t.lower === word.toLowerCase())?.negated;

const safety = (line: string) =>
  [
    "ROLE: draft Harbour Bank chat reply (agent reviews)",
    "SECRETS: never ask for / repeat / store PIN, password, one-time code, CVV, full card no.",
    line,
    "REPLY: polite, plain English, max 80 words",
    "MESSAGE TEXT: {{input}}",
  ].join("\n");

/** "ADVICE: no investment/legal/tax": the key refused with the kinds its value names (refused-kinds.ts). */
describe("a key whose value refuses kinds of it", () => {
  it("reads 'ADVICE: no investment/legal/tax' as no investment, legal or tax advice", () => {
    expect(negated("ADVICE: no investment/legal/tax -> refer to advisor", "advice")).toBe(true);
    expect(negated("ADVICE: no investment/legal/tax -> refer to advisor", "refer")).toBe(false);
    for (const line of [
      "ADVICE: no investment/legal/tax -> refer to advisor",
      "ADVICE: no investment/legal/tax; refer to an advisor.",
    ])
      expect(requirementStatus("keep-the-safety-rules", "no-advice", safety(line)), line).toBe("covered");
  });

  it("leaves a key whose value names things of their own, or gives the kinds, as it is", () => {
    expect(negated("OUTPUT: no preamble, one line", "output")).toBe(false);
    expect(negated("OUTPUT: no preamble/notes", "output")).toBe(false);
    expect(negated("ADVICE: investment/legal/tax -> refer to advisor", "advice")).toBe(false);
    // (the advice allowed, or the "no" dropped, is no refusal)
    expect(
      requirementStatus(
        "keep-the-safety-rules",
        "no-advice",
        safety("ADVICE: investment/legal/tax -> refer to advisor"),
      ),
    ).not.toBe("covered");
    expect(
      requirementStatus(
        "keep-the-safety-rules",
        "no-advice",
        safety("ADVICE: give general investment/legal/tax advice"),
      ),
    ).not.toBe("covered");
  });
});
