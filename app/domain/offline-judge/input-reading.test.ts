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
