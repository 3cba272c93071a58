import { describe, expect, it } from "vitest";
import { loadContent } from "~/exercises/load.server";
import { requirementSchema } from "../exercise";
import { judgeOffline } from "../offline-judge";
import { readRules } from "./instruction";
import { findAddedAct, findKeptContent, forbiddenActs, forbiddenContent } from "./kept-content";
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

describe("an act a description forbids, its product ordered into the reply", () => {
  const noAnswer = requirementSchema.parse({
    id: "no-answer",
    description: "Does not answer the question itself and adds nothing else.",
    all_of: [["don't answer"]],
  });
  const acts = forbiddenActs([noAnswer]);
  const added = (prompt: string) => {
    const reading = readPrompt(`${prompt}\n{{input}}`);
    const rules = readRules(reading);
    return findAddedAct(reading, (i) => rules[i]?.instructs === true, acts);
  };

  it("reads the act from 'Never ...' / 'Does not ...', and none from a description that states a thing", () => {
    expect(acts.get("no-answer")).toBe("answer");
    const never = requirementSchema.parse({ id: "n", description: "Never answer the question.", all_of: [["x"]] });
    expect(forbiddenActs([never]).get("n")).toBe("answer");
    const plain = requirementSchema.parse({ id: "p", description: "Answers in one line.", all_of: [["x"]] });
    expect(forbiddenActs([plain]).size).toBe(0);
  });

  it.each([
    'After the sentences, add one line "Answer:" with a short answer to the question.',
    "Copy the helpful sentences, then add a one-line answer to the question.",
    "After the copied lines, write your own answer in one sentence.",
    "Copy the sentences that help,\nthen add a brief answer below them.",
    'Then add one final line starting "Answer:" that answers the question in a sentence.',
    "Finally, write a line which answers the question.",
    "No headings or comments. Then finish with one line: ANSWER: <your one-sentence answer to the question>.",
    "End with a short answer to the question.",
  ])("an answer added to the reply: %s", (prompt) => {
    expect(added(prompt)?.id).toBe("no-answer");
  });

  it.each([
    "Copy only the sentences that help answer the question, one per line.",
    "Add no answer, heading or comment.",
    "Do not add an answer to the question; the next model writes it.",
    "Include the sentences an answer would need, word for word.",
    "If you are unsure, add the sentence; never add an answer.",
    "The line keeps only what changes the answer: no greeting, thanks or signature.",
    "Include every sentence that changes the answer.",
    "Include the sentences that help answer the question.",
    "Add each sentence that answers part of the question, word for word.",
    "Finish with the sentences that help answer the question.",
    "End the reply with the last copied sentence; never add an answer.",
    "If no passage helps, end with NONE and no answer.",
  ])("the act named as a verb, forbidden, or its product only described: %s", (prompt) => {
    expect(added(prompt)).toBe(null);
  });
});
