import { describe, expect, it } from "vitest";
import { exerciseBySlug, mustFailures } from "../../../test/support/judge-exercise";

const LINE_FORMAT = "One line in the shape OWNER | TASK | DUE.";

/** few-shot-diet's reference with its first line said otherwise. */
const withOpening = (line: string) => {
  const [, ...rest] = exerciseBySlug("few-shot-diet").reference_solution.split("\n");
  return [line, ...rest].join("\n");
};

describe("compounds: the second half of a hyphenated compound is not a word of its own (compounds.ts)", () => {
  it("reads five wordings of one delimited line as one line", () => {
    for (const line of [
      "Turn the meeting-notes line into one pipe-separated line: OWNER | TASK | DUE",
      "Turn the notes into a single pipe-separated line, OWNER | TASK | DUE.",
      "Output one bar-separated line: OWNER | TASK | DUE",
      "One pipe-separated line comes out: OWNER | TASK | DUE",
      "Write one pipe-delimited, space-separated line: OWNER | TASK | DUE",
    ])
      expect(mustFailures("few-shot-diet", withOpening(line)), line).toBe("");
  });

  it("still fails three look-alikes that ask for separate lines or another separator", () => {
    for (const line of [
      "Turn the notes into separate lines: OWNER, TASK and DUE each on its own.",
      "Turn the notes into three lines: OWNER, then TASK, then DUE.",
      "Turn the notes into one tab-separated line: OWNER, TASK, DUE.",
    ])
      expect(mustFailures("few-shot-diet", withOpening(line)), line).toContain(LINE_FORMAT);
  });
});
