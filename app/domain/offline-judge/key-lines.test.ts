import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { twoKeyLines } from "./key-lines";

describe("key lines: two lines that each open with a key and its relation are two rules (key-lines.ts)", () => {
  it("tells a key line from a wrapped sentence", () => {
    expect(
      twoKeyLines("label ∈ {POS, NEG}; SKIP = spam or not a review, topic other", "topic ∈ {delivery, other}"),
    ).toBe(true);
    expect(twoKeyLines("words ≤ 12", "tone: plain")).toBe(true);
    expect(twoKeyLines("Label each review as POS, NEG or MIXED, and if it is not a review", "use SKIP")).toBe(false);
  });
});

const TOPICS = "Topics delivery, quality, price, service, other.";
const batch = (...lines: string[]) => referenceReplacing("batch-the-reviews", "Labels:", ...lines);

describe("key lines: a negation on one key's line does not reach the next key (judge)", () => {
  it("reads five wordings of a set-notation spec as the rule", () => {
    for (const lines of [
      [
        "label ∈ {POS, NEG, MIXED, SKIP}; SKIP = empty, spam or not a review, topic other",
        "topic ∈ {delivery, quality, price, service, other}",
      ],
      // (the empty case named: "<text>" in the input's shape is no "no text")
      [
        "label ∈ {POS, NEG, MIXED, SKIP}; SKIP = empty or not a review",
        "topic ∈ {delivery, quality, price, service, other}",
      ],
      [
        "label = POS | NEG | MIXED | SKIP (SKIP: empty, spam, not a review)",
        "topic = delivery | quality | price | service | other",
      ],
      [
        "label ∈ POS, NEG, MIXED, SKIP; SKIP if empty, spam or no review at all",
        "topic ∈ delivery, quality, price, service, other",
      ],
      [
        "labels → POS, NEG, MIXED, or SKIP for empty, spam, not a review",
        "topics → delivery, quality, price, service, other",
      ],
    ]) {
      // (the SKIP line's topic said on its own line: what is tested is the set notation)
      const prompt = batch(...lines).replace(
        "Topic: delivery, quality, price, service or other.\n",
        "A SKIP line's topic is other.\n",
      );
      expect(mustFailures("batch-the-reviews", prompt), lines.join(" / ")).toBe("");
    }
  });

  it("still fails three look-alikes that refuse the topics or open them", () => {
    const base = ["label ∈ {POS, NEG, MIXED, SKIP}; SKIP = empty, spam or not a review, topic other"];
    for (const line of [
      "topic: never delivery, quality, price, service or other",
      "topic ∈ {delivery, quality, price}",
      "topic: in your own words",
    ]) {
      const prompt = batch(...base, line).replace("Topic: delivery, quality, price, service or other.\n", "");
      expect(mustFailures("batch-the-reviews", prompt), line).not.toBe("");
    }
    expect(
      mustFailures(
        "batch-the-reviews",
        batch(...base, "topic: never delivery, quality, price, service or other").replace(
          "Topic: delivery, quality, price, service or other.\n",
          "",
        ),
      ),
    ).toContain(TOPICS);
  });
});

describe("key lines: a key may join two names with a slash (key-lines.ts)", () => {
  it("reads 'quote/reproduce excerpts: never' as a key line of its own", () => {
    expect(
      twoKeyLines("cite: excerpt label after every figure/claim, e.g. [E2]", "quote/reproduce excerpts: never"),
    ).toBe(true);
    // (A sentence wrapped after a slash goes on: the second line is no key.)
    expect(twoKeyLines("Cite the label after every figure/claim and", "never quote the excerpts")).toBe(false);
  });

  it("refuses the slashed key with its value, and keeps a key that asks for quoting", () => {
    const cite = (line: string) =>
      [
        "task: answer the question from the excerpts below",
        "length: max 2 sentences",
        "cite: excerpt label after every figure/claim, e.g. [E2]",
        line,
        "figures: exactly as written, keep unit + period",
        "sources: excerpts only; no outside knowledge, no estimates",
        'not answered: reply "Not in the excerpts."',
        "partly answered: answer that part only, cited",
        "",
        "{{input}}",
      ].join("\n");
    expect(mustFailures("cite-dont-quote", cite("quote/reproduce excerpts: never"))).toBe("");
    expect(mustFailures("cite-dont-quote", cite("quote/reproduce excerpts: in full, before the answer"))).toContain(
      "Does not quote or reproduce the excerpts.",
    );
  });
});
