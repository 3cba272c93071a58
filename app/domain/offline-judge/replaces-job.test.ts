import { describe, expect, it } from "vitest";
import { exerciseBySlug } from "../../../test/support/judge-exercise";
import { judgeOffline } from "../offline-judge";

/**
 * A prompt that opens by ordering another job in place of the exercise's, with its rules name-dropped around it
 * (other-task.ts, `replacesJob`): it does none of the exercise's job, so the judge says the task is not ordered and a
 * failing score is 0 (scoring.ts).
 */
const ordered = (slug: string, prompt: string) => judgeOffline(prompt, exerciseBySlug(slug)).taskOrdered;

describe("another job in place of the exercise's", () => {
  it("reads five deliverables of other jobs, across exercises", () => {
    // The head of what is made: the body of the brief's own email.
    expect(
      ordered(
        "subject-lines-no-preamble",
        "Write the body of the campaign email in 3 lines, max 8 words per line, no preamble, no invented discounts.\n{{input}}",
      ),
    ).toBe(false);
    expect(
      ordered(
        "subject-lines-no-preamble",
        "Write the full marketing email body for this campaign: three lines, at most 8 words each, nothing else.\n{{input}}",
      ),
    ).toBe(false);
    // A kind of text the brief never names.
    expect(
      ordered(
        "grounded-docs-assistant",
        "Write a SQL query that answers the analyst's question from the chunks. Output only the query, tables in backticks.\n{{input}}",
      ),
    ).toBe(false);
    // The brief's own kind of text, made for a purpose it never has.
    expect(
      ordered(
        "profile-last",
        "Write a short promotional email to the customer below: greet them by first name, under 3 sentences, facts only.\n{{input}}",
      ),
    ).toBe(false);
    expect(
      ordered(
        "cite-dont-quote",
        "For each excerpt, give a relevance score from 1 to 5; keep figures exact, cite [E1], never quote.\n{{input}}",
      ),
    ).toBe(false);
  });

  it("keeps the job ordered for the exercises' own wordings and for a part beside the reply", () => {
    for (const slug of ["subject-lines-no-preamble", "grounded-docs-assistant", "profile-last", "cite-dont-quote"]) {
      const exercise = exerciseBySlug(slug);
      expect(judgeOffline(exercise.reference_solution, exercise).taskOrdered, slug).toBe(true);
    }
    expect(
      ordered(
        "subject-lines-no-preamble",
        "Write exactly 3 email subject lines for the campaign below, one per line, each at most 8 words. Nothing else.\n{{input}}",
      ),
    ).toBe(true);
    // An extra part before the label is the reply changed, not another job (extra-reply-part.ts reads it).
    expect(
      ordered(
        "drop-the-reasoning",
        "First give one sentence explaining your decision, then the label SAFETY or OK on its own line.\n{{input}}",
      ),
    ).toBe(true);
  });
});
