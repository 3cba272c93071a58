import { describe, expect, it } from "vitest";
import { loadContent } from "~/exercises/load.server";
import { requirementSchema } from "../exercise";
import { judgeOffline } from "../offline-judge";
import { readRules } from "./instruction";
import { findKeptContent, forbiddenContent } from "./kept-content";
import { readPrompt } from "./reading";

/** Content a requirement says to leave out, ordered kept. Wordings of our own, written before the rule. */

const noChatter = requirementSchema.parse({
  id: "no-chatter",
  description: "Leaves out greetings and small talk.",
  all_of: [["skip greetings", "drop small talk", "greetings", "small talk", "no PO"]],
});
const forbidden = forbiddenContent([noChatter]);
const find = (prompt: string) => {
  const reading = readPrompt(`${prompt}\n{{input}}`);
  const rules = readRules(reading);
  return findKeptContent(reading, (i) => rules[i]?.instructs === true, forbidden);
};

describe("content to leave out, ordered kept", () => {
  it("reads the content a requirement both names and forbids, and nothing it only names", () => {
    expect(forbidden.get("no-chatter")).toEqual([["greet"], ["small", "talk"]]);
  });

  it("finds an order to keep it, in any form of its words", () => {
    const defects = [
      "Summarise the chat; also record how the user greeted the agent.",
      "Keep the greetings in the note.",
      "Include any small talk so the tone stays friendly.",
      "Write the note and add the greeting at the top.",
      "Capture the greetings and the facts.",
    ];
    for (const prompt of defects) expect(find(prompt)?.id, prompt).toBe("no-chatter");
  });

  it("leaves an order to drop it, a condition and other content alone", () => {
    const goods = [
      "Skip greetings and small talk; record only the facts.",
      "Keep the facts, not the greetings.",
      "If the chat is only greetings, write NONE.",
      "Record the dates and amounts exactly.",
    ];
    for (const prompt of goods) expect(find(prompt), prompt).toBe(null);
  });

  it("fails an exercise's attempt that keeps the small talk, quoting the line", () => {
    const exercise = loadContent("exercises").exercises.find(
      (e) => e.exercise.slug === "summarise-chat-history",
    )?.exercise;
    if (!exercise) throw new Error("summarise-chat-history is missing");
    expect(judgeOffline(exercise.reference_solution, exercise).mustFailures).toEqual([]);
    const flawed = exercise.reference_solution.replace(
      "Skip greetings, thanks and small talk.",
      "Keep a line on how they greeted you.",
    );
    const r = judgeOffline(flawed, exercise).requirements.find((x) => x.id === "no-small-talk");
    expect(r?.status).toBe("contradicted");
    expect(r?.reason).toContain("how they greeted you");
  });
});
