import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { synonymTag } from "./synonyms";

describe("synonyms: 'single' is a count of one (synonyms.ts)", () => {
  it("tags 'single' and 'one' alike, by part of speech", () => {
    expect(synonymTag("single", "single", "ADJ")).toBe(synonymTag("one", "one", "NUM"));
    expect(synonymTag("one", "one", "PRON")).toBeNull();
  });
});

const ONE = "Exactly one category per expense line.";
const cut = (line: string) => referenceReplacing("cut-unused-context", "Categorise", line);

describe("synonyms: one category said with 'single' (judge)", () => {
  it("reads five wordings as exactly one category", () => {
    for (const line of [
      "Which single bucket does this expense belong in: travel, meals, software, office supplies, training (courses, conferences) or other?",
      "Put this expense line in a single bucket: travel, meals, software, office supplies, training (courses, conferences), other.",
      "Give the expense line one single category: travel, meals, software, office supplies, training (courses, conferences), other.",
      "Assign a single label to this expense: travel, meals, software, office supplies, training (courses, conferences), other.",
      "Choose the single best category for this expense: travel, meals, software, office supplies, training (courses, conferences), other.",
    ])
      expect(mustFailures("cut-unused-context", cut(line)), line).toBe("");
  });

  it("still fails three look-alikes that allow several categories", () => {
    for (const line of [
      "List every category that applies to this expense: travel, meals, software, office supplies, training (courses, conferences), other.",
      "Give all the matching categories for this expense as an array: travel, meals, software, office supplies, training, other.",
      "Which buckets does this expense belong in (travel, meals, software, office supplies, training, other)? Return both if two fit.",
    ])
      expect(mustFailures("cut-unused-context", cut(line)), line).toContain(ONE);
  });
});
