import { describe, expect, it } from "vitest";
import { exerciseBySlug } from "../../../test/support/judge-exercise";
import { judgeOffline } from "../offline-judge";

/**
 * An order to reply to the input's sender where the exercise's job is not replying (reply-job.ts): the judge fails it
 * as not doing the exercise's job and marks the task as not ordered, so a failing score is 0 (scoring.ts).
 */
const otherJob = (slug: string, prompt: string) => {
  const v = judgeOffline(prompt, exerciseBySlug(slug));
  return v.taskOrdered === false && v.mustFailures.some((m) => m.startsWith("Does this exercise's job"));
};

describe("a reply to the sender ordered in place of the exercise's job", () => {
  it("reads a reply, a response or an answer to the customer or employee as another job", () => {
    expect(
      otherJob(
        "compress-ticket-summary",
        "Draft a polite response to the customer about their order, in at most 3 bullets, with the order number exactly as written; ESCALATE on legal threats.\n{{input}}",
      ),
    ).toBe(true);
    expect(
      otherJob(
        "summarise-chat-history",
        "Go through the conversation below and then compose the assistant's answer to the employee: Goal, Facts, Done, Open in mind, 80 words at most.\n{{input}}",
      ),
    ).toBe(true);
    expect(
      otherJob(
        "route-to-nano",
        "From the ticket below, write a one-line reply to the user from billing, bug, account, feature_request or other.\n{{input}}",
      ),
    ).toBe(true);
  });

  it("leaves a reply that someone else writes, one that is forbidden, and exercises whose job is replying alone", () => {
    const summary =
      "Summarise the ticket for the agent in at most 3 bullets (problem, tried, wants) so the agent can write a reply to the customer. Copy the order number exactly; invent nothing; add ESCALATE on cancel, chargeback or legal action.\n{{input}}";
    expect(otherJob("compress-ticket-summary", summary)).toBe(false);
    expect(
      otherJob(
        "compress-ticket-summary",
        "Summarise the ticket for the agent in at most 3 bullets: problem, tried, wants. The agent then reads it and writes the reply to the customer. Copy the order number exactly; invent nothing; add ESCALATE on cancel, chargeback or legal action.\n{{input}}",
      ),
    ).toBe(false);
    expect(
      otherJob(
        "compress-ticket-summary",
        "Summarise the ticket for the agent in at most 3 bullets: problem, tried, wants. Do not write a reply to the customer. Copy the order number exactly; invent nothing; add ESCALATE on cancel, chargeback or legal action.\n{{input}}",
      ),
    ).toBe(false);
    expect(
      otherJob(
        "keep-the-safety-rules",
        "Write a polite reply to the customer in at most 80 words. Never ask for a PIN, password, one-time code, CVV or full card number.\n{{input}}",
      ),
    ).toBe(false);
  });

  it("never flags an exercise's reference solution", () => {
    for (const slug of [
      "compress-ticket-summary",
      "summarise-chat-history",
      "prune-retrieved-passages",
      "route-to-nano",
    ]) {
      const exercise = exerciseBySlug(slug);
      expect(otherJob(slug, exercise.reference_solution), slug).toBe(false);
    }
  });
});
