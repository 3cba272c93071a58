import { describe, expect, it } from "vitest";
import { mustFailures, referenceOpenedWith } from "../../../test/support/judge-exercise";
import { ruleTexts } from "../../../test/support/judge-rules";
import { courtesyRules } from "./courtesy";

const courtesies = (prompt: string) => ruleTexts(prompt, courtesyRules);

describe("courtesy: thanks, greetings and good wishes (courtesy.ts)", () => {
  it("knows thanks for the help, gratitude, praise and greetings", () => {
    for (const line of [
      "Thank you for helping our project management office today.",
      "Thanks so much for your careful work!",
      "We are truly grateful for your help with this very important task.",
      "We really appreciate your time.",
      "We know you will do a wonderful job.",
      "Hello!",
      "Good luck!",
    ])
      expect(courtesies(line), line).toHaveLength(1);
  });

  it("reads thanks for what the reply should do as a request, not a courtesy", () => {
    expect(courtesies("Thanks for adding a reason after the label.")).toEqual([]);
    expect(courtesies("Thank you for keeping it to one line and using today's date.")).toEqual([]);
    expect(courtesies("Hello, please reply with one word.")).toEqual([]);
  });
});

describe("courtesy: wordy good prompts keep their rules, reversals still fail (judge)", () => {
  it("reads three other wordings as breaking nothing", () => {
    for (const line of [
      "Thanks so much for your careful work today!",
      "We are truly grateful for your help with these notes today.",
      "Hello! We know you will do a great job today.",
    ])
      expect(mustFailures("few-shot-diet", referenceOpenedWith("few-shot-diet", line)), line).toBe("");
  });

  it("still fails three flawed prompts whose thanks or greeting carries a reversed rule", () => {
    for (const line of [
      "Thanks for using today's date as the due date.",
      "Thanks for leaving relative dates as written, e.g. by Friday.",
      "Thank you! Use today's date for every relative deadline.",
    ])
      expect(mustFailures("few-shot-diet", referenceOpenedWith("few-shot-diet", line)), line).toContain(
        "(contradicted)",
      );
  });
});
