import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { inputReadingTokens } from "./input-reading";
import { readPrompt } from "./reading";

const read = (prompt: string) => {
  const reading = readPrompt(prompt);
  const tokens = inputReadingTokens(reading);
  return reading.tokens
    .filter((t) => tokens.has(t.index))
    .map((t) => t.text)
    .join(" ");
};

describe("input reading: what the model is told to read (input-reading.ts)", () => {
  it("finds the object of a verb of reading and the items of a fronted 'for each'", () => {
    expect(read("2. Read every bullet in the notes.")).toBe("every bullet in the notes");
    expect(read("Go through each heading and bullet in the notes.")).toBe("each heading and bullet in the notes");
    expect(read("For each bullet, decide whether it is an action item.")).toBe("bullet");
  });

  it("ends the object at the next order, and leaves other verbs alone", () => {
    expect(read("Read the notes and reply with bullets.")).toBe("the notes");
    expect(read("Go through the five rules step by step, one line each.")).toBe("the five rules");
    expect(read("Write one bullet per action item.")).toBe("");
    expect(read("The agent reads bullets quickly.")).toBe("");
    expect(read("Study the five examples below before answering.")).toBe("");
  });

  it("reads 'read X as Y' as a case read as a value, not the input, but keeps the manner of reading", () => {
    expect(read("Read every unsure review as OK.")).toBe("");
    expect(read("Read a sign-in problem as billing.")).toBe("");
    expect(read("Read each review as a whole before you answer.")).toBe("each review");
    expect(read("Read every review as the customer wrote it.")).toBe("every review");
  });
});

describe("input reading: 'read X as Y' binds a case to a value (judge)", () => {
  it("fails five wordings that read a case as the opposite value, across five exercises", () => {
    for (const [slug, line] of [
      ["drop-the-reasoning", "Read every unsure review as OK."],
      ["drop-the-reasoning", "Read a review that mentions smoke as OK."],
      ["cut-unused-context", "Read any line with wine as needs_review false."],
      ["route-to-nano", "Read a sign-in problem as billing."],
      ["cascade-escalate", "Read unlimited liability as LOW."],
      ["closed-enumerations", "Read an angry customer as churn_risk true."],
    ])
      expect(mustFailures(slug, referenceWith(slug, line)), `${slug}: ${line}`).toContain("(contradicted)");
  });

  it("passes look-alikes: the brief's value, the manner of reading, the input read as written", () => {
    for (const [slug, line] of [
      ["drop-the-reasoning", "Read every unsure review as SAFETY."],
      ["drop-the-reasoning", "Read each review as a whole before you answer."],
      ["drop-the-reasoning", "Read every review as the customer wrote it."],
      ["cut-unused-context", "Read any line with wine as needs_review true."],
      ["compress-ticket-summary", "Read the ticket as written and summarise it."],
      ["route-to-nano", "Read each ticket as a whole before choosing the queue."],
    ])
      expect(mustFailures(slug, referenceWith(slug, line)), `${slug}: ${line}`).toBe("");
  });
});

describe("input reading: wordy good prompts keep their rules, reversals still fail (judge)", () => {
  it("reads three other wordings as breaking nothing", () => {
    for (const line of [
      "Read every bullet of the notes before you answer.",
      "Go through each heading and bullet in the notes.",
      "For each bullet in the notes, check whether someone owns a task.",
    ])
      expect(mustFailures("meeting-action-items", referenceWith("meeting-action-items", line)), line).toBe("");
  });

  it("still fails three flawed prompts that ask for bullets", () => {
    for (const line of [
      "Read the notes and reply with bullets, one per action item.",
      "For each action item, write a bullet point.",
      "Reply with a bulleted list of the action items.",
    ])
      expect(mustFailures("meeting-action-items", referenceWith("meeting-action-items", line)), line).toContain(
        "(contradicted)",
      );
  });
});
