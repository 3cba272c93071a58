import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { identifierHead, phraseIdentifierHead } from "./identifier-nouns";

describe("identifier nouns: another head for the same identifier (identifier-nouns.ts)", () => {
  it("reads a prompt's 'reference', 'ref' or 'tag' after a noun as an identifier's head", () => {
    const noun = (lower: string) => ({ lower, pos: "NOUN" });
    expect(identifierHead({ lower: "references", lemma: "reference", pos: "NOUN" }, noun("incident"))).toBe(true);
    expect(identifierHead({ lower: "tags", lemma: "tag", pos: "NOUN" }, noun("hardware"))).toBe(true);
    expect(identifierHead({ lower: "ref", lemma: "ref", pos: "NOUN" }, { lower: "po", pos: "PROPN" })).toBe(true);
  });

  it("leaves a head with no thing before it, a verb 'tag', and the prompt's own 'number' and 'id'", () => {
    expect(identifierHead({ lower: "reference", lemma: "reference", pos: "NOUN" }, { lower: "the", pos: "DET" })).toBe(
      false,
    );
    expect(identifierHead({ lower: "tag", lemma: "tag", pos: "VERB" }, { lower: "and", pos: "CCONJ" })).toBe(false);
    expect(identifierHead({ lower: "number", lemma: "number", pos: "NOUN" }, { lower: "order", pos: "NOUN" })).toBe(
      false,
    );
  });

  it("reads an author's compound head, not a bare one or one after an article", () => {
    expect(phraseIdentifierHead("number", "number", "ticket")).toBe(true);
    expect(phraseIdentifierHead("id", "id", "device")).toBe(true);
    expect(phraseIdentifierHead("number", "number", undefined)).toBe(false);
    expect(phraseIdentifierHead("number", "number", "every")).toBe(false);
    expect(phraseIdentifierHead("number", "numbers", "reference")).toBe(false);
  });
});

describe("identifier nouns (judge)", () => {
  const normalise = (line: string) =>
    mustFailures(
      "normalise-for-semantic-cache",
      referenceReplacing("normalise-for-semantic-cache", "Remove greetings", line),
    );

  it("covers strip-personal when the ticket and asset identifiers take other heads", () => {
    expect(
      normalise(
        "Remove greetings, thank-yous, signatures and emotion. Remove names, email addresses, employee ids, device tags and incident references.",
      ),
    ).toBe("");
  });

  it("still fails a prompt that names the identifiers with no order to remove them, or drops one", () => {
    expect(
      normalise(
        "Remove greetings, thank-yous, signatures and emotion. Names, email addresses and incident references stay.",
      ),
    ).not.toBe("");
    expect(
      normalise("Remove greetings, thank-yous, signatures and emotion. Remove names, email addresses and device tags."),
    ).not.toBe("");
  });
});
