import { describe, expect, it } from "vitest";
import { CASCADE_ESCALATE_BODY, exerciseBySlug } from "../../../test/support/judge-exercise";
import { ruleTexts } from "../../../test/support/judge-rules";
import { judgeOffline } from "../offline-judge";
import { recapRules } from "./recap";

const recaps = (prompt: string) => ruleTexts(prompt, recapRules);

describe("recap: a restatement of the rules (recap.ts)", () => {
  it("knows a recap by its opening words, after a courtesy too", () => {
    for (const line of [
      "To recap: JSON Lines, plain numbers, no totals, then END.",
      "To summarise once more: one line per review, and nothing else.",
      "In short, every invoice needs a PO number.",
      "Remember: at most three sentences, cite every claim.",
      "Thank you! To summarise: HIGH, LOW or ESCALATE, one word.",
    ])
      expect(recaps(line), line).toHaveLength(1);
    expect(recaps("Reply with one word. Never add a reason.")).toEqual([]);
    // The verb "recap" and "remember to" order; only the heading-like opening word is a recap.
    expect(recaps("Recap the previous conversation, then answer.")).toEqual([]);
    expect(recaps("Remember to answer in one word.")).toEqual([]);
  });
});

describe("recap: it cannot break what the prompt covers elsewhere (judge)", () => {
  const exercise = exerciseBySlug("cascade-escalate");
  const body = CASCADE_ESCALATE_BODY;
  const failures = (prompt: string) => judgeOffline(prompt, exercise).mustFailures;

  it("passes a good prompt whose squeezed recap reads, word by word, like a reversal", () => {
    const recap = "Thank you! To summarise: HIGH, LOW or ESCALATE, one word, and ESCALATE whenever in doubt.";
    expect(failures(`${body}\n${recap}\n\nClause: {{input}}`)).toEqual([]);
  });

  it("still fails a reversal in the body, recap or not", () => {
    const reversed = body.replace(
      "Answer with one word only, the label, no analysis:",
      "Answer with the label, then one sentence explaining why:",
    );
    expect(failures(`${reversed}\nTo recap: one label per clause.\n\nClause: {{input}}`).join(" ")).toContain(
      "label only",
    );
  });

  it("counts a recap as any rule where it is the only place the requirement is found", () => {
    const withoutLabelOnly = body.replace("Answer with one word only, the label, no analysis:", "Labels:");
    const recap = "To recap: the label, then a short analysis of the clause.";
    expect(failures(`${withoutLabelOnly}\n${recap}\n\nClause: {{input}}`).join(" ")).toContain("(contradicted)");
  });
});

describe("recap: restatements opened as a recap, a going-over or a checklist (recap.ts)", () => {
  it("knows them by their opening words", () => {
    for (const line of [
      "Thank you, DataBuddy! Just to recap: three sentences at most, citations, exact names in backticks.",
      "To go over it once more: three sentences, cited, relevant chunks only, newest wins.",
      "Checklist: three sentences max, chunks only, cite [D#], newest chunk wins.",
      "Final checklist: one word, no analysis.",
    ])
      expect(recaps(line), line).toHaveLength(1);
  });

  it("leaves orders to go over or check something alone", () => {
    expect(recaps("Go over the chunks once more before you answer.")).toEqual([]);
    expect(recaps("Check the list of tools: use only those.")).toEqual([]);
    expect(recaps("To go over the limit, add a second paragraph.")).toEqual([]);
  });
});

describe("recap: a final check and the lines under a checklist heading (recap.ts)", () => {
  it("knows a last check before the reply and the line under a 'FINAL CHECKLIST' heading", () => {
    expect(
      recaps("Before you reply, please double-check the guidelines above: three sentences at most, exact names."),
    ).toHaveLength(1);
    expect(recaps("Before replying, make sure your answer is three sentences or fewer.")).toHaveLength(1);
    expect(recaps("FINAL CHECKLIST\nThree sentences or fewer; chunks only; no memory recap.")).toEqual([
      "Three sentences or fewer; chunks only; no memory recap.",
    ]);
  });

  it("leaves an order given before the reply, and a line under another heading, alone", () => {
    expect(recaps("Before you reply, read every chunk.")).toEqual([]);
    expect(recaps("Before answering the question, check the dates of the chunks.")).toEqual([]);
    expect(recaps("RULES\nThree sentences or fewer.")).toEqual([]);
  });
});
