import { describe, expect, it } from "vitest";
import { exerciseBySlug, mustFailures } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { judgeOffline } from "../offline-judge";
import { jammedRun } from "./jammed-terms";

describe("jammed terms: a chain of terms is a run, pairs in a sentence are not (jammed-terms.ts)", () => {
  it("needs a chain of jammed joins, or terms for most of the words", () => {
    expect(jammedRun(3, 6, 1, 14, 30)).toBe(false);
    expect(jammedRun(3, 6, 2, 14, 30)).toBe(true);
    expect(jammedRun(3, 4, 1, 20, 30)).toBe(true);
    expect(jammedRun(2, 2, 2, 20, 20)).toBe(false);
  });
});

describe("jammed terms (judge)", () => {
  const due = (line: string) =>
    mustFailures("few-shot-diet", referenceReplacing("few-shot-diet", "TASK: short imperative", line));

  it("reads declarative field lines whose noun phrases join two requirements' words as the rules", () => {
    for (const line of [
      "TASK is a short imperative. DUE is a YYYY-MM-DD date, or none when the note sets no deadline; a relative deadline becomes a date counted from the meeting date that heads the note. OWNER is none when nobody is named. Output only that line.",
      "TASK is a short imperative. DUE is a YYYY-MM-DD date, or none when the notes set no deadline; a relative deadline becomes a date counted from the meeting date. Write none for a missing owner. Output only that line.",
    ])
      expect(due(line), line).toBe("");
  });

  it("still reads a truncated prompt followed by chained terms as a list of terms", () => {
    const exercise = exerciseBySlug("compress-ticket-summary");
    for (const prompt of [
      "Summarise the ticket for the agent bullets three problem tried wants order number copied exactly ESCALATE cancel chargeback\n{{input}}",
      "Write a summary that is short summary bullets problem tried wants order number exactly ESCALATE lawyer\n{{input}}",
    ])
      expect(judgeOffline(prompt, exercise).gaming.keywordList, prompt).toBe(true);
  });
});
