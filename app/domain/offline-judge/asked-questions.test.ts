import { describe, expect, it } from "vitest";
import { CASCADE_ESCALATE_BODY, exerciseBySlug } from "../../../test/support/judge-exercise";
import { ruleTexts } from "../../../test/support/judge-rules";
import { judgeOffline } from "../offline-judge";
import { askedQuestionRules } from "./asked-questions";

const asked = (prompt: string) => ruleTexts(prompt, askedQuestionRules);

describe("a question in the model's own voice orders nothing; its answer does (asked-questions.ts)", () => {
  it("knows a FAQ question, after a list mark, a number or a label", () => {
    expect(asked("- Can I skip confirmation if it's urgent? No.")).toEqual([
      "- Can I skip confirmation if it's urgent?",
    ]);
    expect(asked("- Should I pick LOW if I'm unsure? No, never. Pick ESCALATE.")).toHaveLength(1);
    expect(asked("Q: Do I need to explain my answer? No.")).toHaveLength(1);
    expect(asked("3. May we add a greeting? No.")).toHaveLength(1);
    expect(asked("What if the clause is in French and looks harmless? Reply ESCALATE anyway.")).toHaveLength(1);
  });

  it("leaves requests, suggestions, self-checks and statements alone", () => {
    expect(asked("Could you add a one-line reason after the label?")).toEqual([]);
    expect(asked("Can I ask you to add a reason after the label?")).toEqual([]);
    expect(asked("What if you added a short reason after the label?")).toEqual([]);
    expect(asked("Why not explain the label in a sentence?")).toEqual([]);
    expect(asked("Can I explain my reasoning. Yes.")).toEqual([]);
    expect(asked("I can explain my reasoning?")).toEqual([]);
  });

  it("reads a question answered yes as the order it grants", () => {
    expect(asked("Can I add a short reason after the label? Sure, one line.")).toEqual([]);
    expect(asked("- Should I explain my answer? Yes: one sentence.")).toEqual([]);
    expect(asked("Q: May we add a greeting? Absolutely.")).toEqual([]);
    expect(asked("Can I add a greeting? Go ahead.")).toEqual([]);
    // Answered no, or by another order, it stays a question.
    expect(asked("Can I add a short reason after the label? No, never.")).toHaveLength(1);
    expect(asked("Should I explain the label? Please don't.")).toHaveLength(1);
    expect(asked("What if the clause is in French? Reply ESCALATE.")).toHaveLength(1);
  });
});

describe("a FAQ question cannot break the rule it asks about (judge)", () => {
  const exercise = exerciseBySlug("cascade-escalate");
  const body = CASCADE_ESCALATE_BODY;
  const failures = (prompt: string) => judgeOffline(prompt, exercise).mustFailures;

  it("passes a good prompt whose FAQ asks about breaking a rule and answers no", () => {
    const faq = [
      "FAQ:",
      "- Should I explain my answer? No. Just the single word, please.",
      "- Should I pick LOW if I'm unsure? No, never. Pick ESCALATE.",
    ].join("\n");
    expect(failures(`${body}\n\n${faq}\n\nClause: {{input}}`)).toEqual([]);
  });

  it("still fails a prompt whose FAQ grants what the rule forbids", () => {
    const faq = "FAQ:\n- Can I add a short reason after the label? Sure, one line.";
    expect(failures(`${body}\n\n${faq}\n\nClause: {{input}}`).join(" ")).toContain("(contradicted)");
  });

  it("still fails a prompt whose answer reverses the rule", () => {
    const faq = "FAQ:\n- Should I pick LOW if I'm unsure? Yes: if unsure, answer LOW.";
    const reversed = body.replace("Never guess: when in doubt, ESCALATE, not LOW. ", "");
    expect(failures(`${reversed}\n\n${faq}\n\nClause: {{input}}`).join(" ")).toContain("(contradicted)");
  });
});
