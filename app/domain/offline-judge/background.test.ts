import { describe, expect, it } from "vitest";
import { loadContent } from "~/exercises/load.server";
import { ruleTexts } from "../../../test/support/judge-rules";
import { judgeOffline } from "../offline-judge";
import { backgroundRules } from "./background";

const background = (prompt: string) => ruleTexts(prompt, backgroundRules);

describe("background: the writer's world, told (background.ts)", () => {
  it("reads every sentence of a paragraph that opens as background", () => {
    const told = background(
      "Some background: in the past we asked for a summary paragraph. A script pulled the details back out.\n\nReturn one JSON object.",
    );
    expect(told).toEqual([
      "Some background: in the past we asked for a summary paragraph.",
      "A script pulled the details back out.",
    ]);
    expect(background("Here is why the rules below matter: the drafting model writes the answer.")).toHaveLength(1);
    expect(
      background("A little context before the instructions. Until now this step wrote a recap email."),
    ).toHaveLength(2);
  });

  it("reads a paragraph opened 'About the input:' as telling what the input is", () => {
    expect(
      background(
        'ABOUT THE INPUT: The block below has three parts. The first line starting with "Memory:" is a short note.\n\nAnswer in three sentences.',
      ),
    ).toHaveLength(2);
    // An order under it stays one; "about" elsewhere opens nothing.
    expect(background("About the input: you must cite the chunk behind each claim.")).toEqual([]);
    expect(background("About the memory note: it is a short note.")).toEqual([]);
  });

  it("keeps a sentence that orders outright an order, even inside background", () => {
    const told = background(
      "Why this matters: our tool reads the line automatically. So please output only the one line. You must never add a note.",
    );
    expect(told).toEqual(["Why this matters: our tool reads the line automatically."]);
    expect(background("Background: we need structured data, not prose.")).toEqual([]);
    expect(background("Context: we would like one JSON object.")).toEqual([]);
    // A want of the company's, its systems' or its people's is a request too.
    for (const want of [
      "Our team prefers a one-sentence reason after the label.",
      "Our analysts need a short explanation after the label.",
      "The team wants the reasoning written out before the label.",
      "Some background: our reviewers prefer a sentence of reasoning.",
    ])
      expect(background(want), want).toEqual([]);
  });

  it("reads a sentence about the company, its systems or other people as background", () => {
    expect(background("Our code only reads clause ids, so anything else you write is wasted.")).toHaveLength(1);
    expect(background("The code takes the clause ids you return and passes them to a drafting model.")).toHaveLength(1);
    expect(background("We use you for this task because it needs careful reasoning.")).toHaveLength(1);
    expect(background("Our analysts check every figure against the excerpts.")).toHaveLength(1);
  });

  it("leaves orders and specs of the reply alone", () => {
    for (const order of [
      "Return one JSON object and nothing else.",
      "The reply is one line: OWNER | TASK | DUE.",
      "Our brand voice is plain and warm, with no hype.",
      "Refunds within 5-7 business days, to the original payment method only.",
      "Never add a reason after the label.",
      "We need every invoice to show a PO number.",
    ])
      expect(background(order), order).toEqual([]);
  });
});

describe("background states but never breaks a rule (judge)", () => {
  const exercise = loadContent().exercises.find((e) => e.exercise.slug === "json-not-prose")?.exercise;
  if (!exercise) throw new Error("no json-not-prose exercise");
  const spec = [
    "Return one JSON object and nothing else, with these keys:",
    "- order_id: copied exactly as written, or null",
    "- product: the product named, or null",
    "- issue: damaged, missing, wrong_item, late or other",
    "- wants: refund, replacement, info or other",
    "Use null for anything the email does not say; never guess.",
    "",
    "{{input}}",
  ].join("\n");

  it("passes a good spec after a history of the old prose summaries", () => {
    const prompt = `Some background: in the past we asked for a friendly summary paragraph of each email, and a script pulled the details back out of the prose. Our parser kept failing on it.\n\n${spec}`;
    expect(judgeOffline(prompt, exercise).mustFailures).toEqual([]);
  });

  it("still fails a want of the team's that asks for the prose back", () => {
    const prompt = `${spec.replace("{{input}}", "")}Our agents prefer a one-sentence summary after the JSON.\n{{input}}`;
    expect(judgeOffline(prompt, exercise).mustFailures.join(" ")).toContain("(contradicted)");
  });

  it("still fails a background paragraph that orders the prose back", () => {
    const prompt = `Some background: our agents like to read a short summary. So please add a one-sentence summary after the JSON.\n\n${spec}`;
    expect(judgeOffline(prompt, exercise).mustFailures.join(" ")).toContain("(contradicted)");
  });
});
