import { describe, expect, it } from "vitest";
import { exerciseBySlug } from "../../../test/support/judge-exercise";
import { judgeOffline } from "../offline-judge";

/**
 * The prompt's first order is another job than the exercise declares (opening-action.ts): the judge fails it as not
 * doing the exercise's job and marks the task as not ordered, so a failing score is 0 (scoring.ts).
 */
const verdict = (slug: string, prompt: string) => judgeOffline(prompt, exerciseBySlug(slug));
const otherJob = (slug: string, prompt: string) => {
  const v = verdict(slug, prompt);
  return v.taskOrdered === false && v.mustFailures.some((m) => m.startsWith("Does this exercise's job"));
};

describe("a first order for another job than the declared one", () => {
  it("reads five such openings across exercises", () => {
    expect(
      otherJob(
        "redact-on-nano",
        "Classify the intent of the customer message as refund, delivery or other. Keep [EMAIL], [PHONE] and [CARD] in mind; no notes.\n{{input}}",
      ),
    ).toBe(true);
    expect(
      otherJob(
        "rerank-top-three",
        "Answer the lawyer's question in two sentences from the clauses, citing at most three ids, most relevant first.\n{{input}}",
      ),
    ).toBe(true);
    expect(
      otherJob(
        "normalise-for-semantic-cache",
        "You are the IT helpdesk. Answer the employee's question below in 12 words or fewer; call apps VPN, MFA and Outlook.\n{{input}}",
      ),
    ).toBe(true);
    expect(
      otherJob(
        "cascade-escalate",
        "Summarise this contract clause in two plain-English sentences. Mind HIGH, LOW, ESCALATE, uncapped liability.\n{{input}}",
      ),
    ).toBe(true);
    expect(
      otherJob(
        "compress-long-context",
        "Translate the carrier invoice below into Dutch, keeping the PO number, EUR amounts and APPROVE or HOLD.\n{{input}}",
      ),
    ).toBe(true);
  });

  it("leaves replying, neighbouring jobs, steps under a condition and the references alone", () => {
    // A verb of replying with a value or a shape.
    expect(otherJob("drop-the-reasoning", "Read the review. Then answer SAFETY or OK, nothing else.\n{{input}}")).toBe(
      false,
    );
    expect(
      otherJob(
        "compact-tool-descriptions",
        'Answer each step with one JSON tool call: {"tool": ..., "args": {...}}. Use only the five tools listed.\n{{input}}',
      ),
    ).toBe(false);
    // Rewriting a note into the line shape is extracting it; a translation under a condition is a step.
    expect(
      otherJob(
        "few-shot-diet",
        "Rewrite the meeting-note line as `OWNER | TASK | DUE`, dates as YYYY-MM-DD.\n{{input}}",
      ),
    ).toBe(false);
    expect(
      otherJob(
        "cascade-escalate",
        "You label supplier clauses. If the clause is not in English, translate it first and rate it HIGH or LOW.\n{{input}}",
      ),
    ).toBe(false);
    for (const slug of ["redact-on-nano", "rerank-top-three", "normalise-for-semantic-cache", "cascade-escalate"]) {
      const exercise = exerciseBySlug(slug);
      expect(judgeOffline(exercise.reference_solution, exercise).taskOrdered, slug).toBe(true);
    }
  });
});

describe("a participle or a verb with its -s is no first order", () => {
  it("reads past background that tells what is done to the input", () => {
    const exercise = exerciseBySlug("meeting-action-items");
    const prompt = `Our meetings are recorded and summarised into notes by a tool.\n${exercise.reference_solution}`;
    expect(otherJob("meeting-action-items", prompt)).toBe(false);
  });

  it("still reads an order in its base form after such background", () => {
    expect(
      otherJob(
        "meeting-action-items",
        "Our meetings are recorded and transcribed. Summarise the meeting below in three bullets; JSON array, owner, task, due, priority.\n{{input}}",
      ),
    ).toBe(true);
  });
});

describe("a gerund that opens a sentence is its subject, no first order", () => {
  it("reads past 'Paraphrasing is dangerous here' in a prompt that prunes passages", () => {
    const exercise = exerciseBySlug("prune-retrieved-passages");
    const prompt = `Paraphrasing is dangerous here, because a rewrite can turn an exact figure into a vague one.\n${exercise.reference_solution}`;
    expect(otherJob("prune-retrieved-passages", prompt)).toBe(false);
  });

  it("still reads the base form after it as another job", () => {
    expect(
      otherJob(
        "prune-retrieved-passages",
        "Paraphrasing is risky. Paraphrase the helpful passages into a friendly two-sentence answer; label [P1], NONE.\n{{input}}",
      ),
    ).toBe(true);
  });
});
