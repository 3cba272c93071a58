import { describe, expect, it } from "vitest";
import { mustFailures, requirementStatus } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { readPrompt } from "./reading";
import { saysOnlyGiven, unsaidExclusions } from "./unsaid-content";

const found = (text: string) => {
  const reading = readPrompt(text);
  return unsaidExclusions(reading).map(([from, to]) =>
    reading.text.slice(reading.tokens[from].start, reading.tokens[to - 1].end),
  );
};

describe("unsaid content: only what the source says, said by ruling out the unsaid (unsaid-content.ts)", () => {
  it("reads 'nothing'/'no <noun>' restricted by a negated verb of saying, with or without the verb", () => {
    expect(found("Record nothing the transcript doesn't state.")).toEqual(["nothing the transcript doesn't state"]);
    expect(found("State nothing the transcript doesn't.")).toEqual(["nothing the transcript doesn't"]);
    expect(found("Use no figure that the notes do not explicitly give.")).toEqual([
      "no figure that the notes do not explicitly give",
    ]);
    expect(found("Nothing the customer didn’t write; keep it short.")).toEqual(["Nothing the customer didn’t write"]);
  });

  it("reads a condition of the unsaid followed by an order to leave it out", () => {
    expect(found("If the chat doesn't state it, leave it out.")).toEqual([
      "If the chat doesn't state it, leave it out",
    ]);
    expect(found("If the email does not mention it, don't include it.")).toHaveLength(1);
  });

  it("leaves look-alikes that say something else: an order to add the unsaid, another verb, a fallback", () => {
    expect(found("Add details the chat doesn't state.")).toEqual([]);
    expect(found("Include nothing the customer doesn't need.")).toEqual([]);
    expect(found("If the chat doesn't state it, write null.")).toEqual([]);
    expect(found("If the chat doesn't state it, guess.")).toEqual([]);
  });

  it("finds the requirements whose phrases say 'only what is stated' or 'never invent', not 'only' or 'stated' alone", () => {
    expect(saysOnlyGiven(["only what", "don't add"])).toBe(true);
    expect(saysOnlyGiven(["don't invent", "no guessing"])).toBe(true);
    expect(saysOnlyGiven(["only", "nothing else"])).toBe(false);
    expect(saysOnlyGiven(["stated", "given", "null"])).toBe(false);
    expect(saysOnlyGiven(["if", "when", "only if"])).toBe(false);
  });
});

describe("unsaid content (judge)", () => {
  const summary = (line: string) =>
    mustFailures(
      "summarise-chat-history",
      referenceReplacing(
        "summarise-chat-history",
        "Only what the chat states",
        `${line} Write "medical reason" instead of any health detail. Skip greetings, thanks and small talk.`,
      ),
    );

  it("covers only-the-chat with 'nothing the transcript doesn't state' and its conditional form", () => {
    for (const line of [
      "Record nothing the transcript doesn't state.",
      "Put down nothing the conversation does not contain.",
      "If the chat doesn't mention it, leave it out.",
    ])
      expect(summary(line), line).toBe("");
  });

  it("fails the same shape that adds the unsaid, and a prompt that drops the rule", () => {
    expect(summary("Add any background the transcript doesn't state."), "adds").not.toBe("");
    expect(summary("If the chat doesn't mention it, fill it in from context."), "fills in").not.toBe("");
    expect(summary("Keep it tidy."), "dropped").not.toBe("");
  });
});

describe("every part of the reply traced to the source (unsaid-content.ts)", () => {
  it("reads 'every statement/fact/claim ... comes from / is taken from / is based on the <source>'", () => {
    expect(found("Every statement in it comes from the ticket.")).toEqual([
      "Every statement in it comes from the ticket",
    ]);
    expect(found("Every fact comes from the ticket, and any order number appears exactly.")).toEqual([
      "Every fact comes from the ticket",
    ]);
    expect(found("Each claim must be drawn directly from the notes.")).toHaveLength(1);
    expect(found("All details are stated in the email.")).toHaveLength(1);
  });

  it("leaves the same shape with another source, a negated 'every', or a thing of the reply that is no content", () => {
    expect(found("Every fact comes from your own knowledge.")).toEqual([]);
    expect(found("Every statement comes from the internet.")).toEqual([]);
    expect(found("Not every statement comes from the ticket.")).toEqual([]);
    expect(found("Every order number comes from the ticket.")).toEqual([]);
    expect(found("Every figure is given in euros.")).toEqual([]);
  });
});

describe("every part of the reply traced to the source (judge)", () => {
  const ticket = (line: string) =>
    requirementStatus(
      "compress-ticket-summary",
      "no-invention",
      `The summary of the ticket below is at most three bullets: the problem, what was tried, what the customer wants. Order numbers appear exactly as written. ${line} When the customer threatens to cancel or mentions a chargeback or legal action, the summary ends with a line ESCALATE.\n\n{{input}}`,
    );

  it("covers ticket-only with 'every statement comes from the ticket' in three wordings", () => {
    for (const line of [
      "Every statement in the summary comes from the ticket.",
      "Every fact comes from the ticket itself.",
      "Each point is taken strictly from the ticket.",
    ])
      expect(ticket(line), line).toBe("covered");
  });

  it("still fails the rule dropped, traced to the model's own knowledge, or the same shape with an order to fill gaps", () => {
    expect(ticket(""), "dropped").toBe("missing");
    expect(ticket("Every statement comes from your own knowledge of such cases."), "own knowledge").not.toBe("covered");
    expect(ticket("Every fact comes from the ticket; fill gaps with plausible details."), "fills gaps").toBe(
      "contradicted",
    );
  });
});
