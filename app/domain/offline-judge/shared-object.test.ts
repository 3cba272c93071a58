import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { readPrompt } from "./reading";

const negated = (text: string, word: string) =>
  readPrompt(text).tokens.find((t) => t.lower === word.toLowerCase())?.negated;

describe("shared object: coordinated verbs share 'nothing' or 'no ...' (shared-object.ts)", () => {
  it("forbids every verb of a run that opens its clause", () => {
    expect(negated("Record solely what was said; invent or infer nothing.", "invent")).toBe(true);
    expect(negated("Record solely what was said; invent or infer nothing.", "infer")).toBe(true);
    expect(negated("Please invent or assume no discounts.", "invent")).toBe(true);
  });

  it("leaves a verb with its own object before 'and' affirmed", () => {
    expect(negated("Record what was said and invent nothing.", "said")).toBe(false);
    expect(negated("Record what was said and invent nothing.", "record")).toBe(false);
    expect(negated("Summarise the chat and add no facts.", "summarise")).toBe(false);
  });
});

describe("shared object (judge)", () => {
  const chat = (line: string) =>
    mustFailures("summarise-chat-history", referenceReplacing("summarise-chat-history", "Only what", line));
  const rest = ' Write "medical reason" instead of any health detail. Skip greetings and small talk.';

  it("reads 'invent or infer nothing' as 'only what the chat states'", () => {
    expect(chat(`Record only what the chat states; invent or infer nothing.${rest}`)).toBe("");
  });

  it("still fails an order to guess beside a forbidden invention", () => {
    expect(chat(`Guess what the chat leaves out and invent nothing else.${rest}`)).not.toBe("");
    expect(chat(`Only what the chat states; guess or infer whatever is missing.${rest}`)).not.toBe("");
  });
});
