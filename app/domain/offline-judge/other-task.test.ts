import { describe, expect, it } from "vitest";
import { loadContent } from "~/exercises/load.server";
import { judgeOffline } from "../offline-judge";
import { readRules } from "./instruction";
import { detectOtherTask, taskVocabulary } from "./other-task";
import { readPrompt } from "./reading";

/**
 * A prompt that asks for another job than the exercise's, with the brief's requirements name-dropped around it. The
 * probes below were written from the briefs of exercises whose evaluation prompts were never tuned on (T4–T6's), not
 * from any writer's sentence.
 */

const other = (prompt: string, ownWords: string) => {
  const reading = readPrompt(prompt);
  return detectOtherTask(reading, readRules(reading), taskVocabulary([ownWords]))?.made ?? null;
};

describe("another job: the rule", () => {
  const labelling = "Classify the ticket as billing, bug or other. Reply with the label only.";

  it("finds an order to make a kind of text the exercise never names", () => {
    expect(
      other("Write a short apology email to the customer. Labels: billing, bug, other.\n{{input}}", labelling),
    ).toBe("apology");
    expect(other("Please draft a blog post about this ticket (billing, bug or other).\n{{input}}", labelling)).toBe(
      "blog",
    );
    expect(other("Turn the ticket into one upbeat tweet; label only.\n{{input}}", labelling)).toBe("tweet");
    expect(other("Rate the ticket's urgency from 1 to 5. Labels: billing, bug, other.\n{{input}}", labelling)).toBe(
      "Rate",
    );
  });

  it("leaves the exercise's own kind of text, under any of its names, alone", () => {
    const summary = "Summarise the ticket in 3 bullets for the agent.";
    expect(other("Write a summary of the ticket in three bullets.\n{{input}}", summary)).toBeNull();
    expect(other("Give a recap of the ticket in three bullets.\n{{input}}", summary)).toBeNull();
    expect(other("Summarise the ticket in 3 bullets.\n{{input}}", summary)).toBeNull();
    const subject = "Write one subject line and one preview line.";
    expect(other("Compose the headline and the teaser.\n{{input}}", subject)).toBeNull();
  });

  it("reads a forbidden, conditional or pointed-at kind of text as asking for nothing", () => {
    expect(other("Label the ticket. Do not write an email or a summary.\n{{input}}", labelling)).toBeNull();
    expect(other("If the customer asks for an email, answer other.\n{{input}}", labelling)).toBeNull();
    expect(other("Give the label of this message: billing, bug or other.\n{{input}}", labelling)).toBeNull();
    expect(other("Return your analysis as the label only.\n{{input}}", labelling)).toBeNull();
    expect(other("Keywords: email, memo, tweet.\n{{input}}", labelling)).toBeNull();
  });

  it("has nothing to compare with when the exercise gives no words of its own", () => {
    const reading = readPrompt("Write a memo.\n{{input}}");
    expect(detectOtherTask(reading, readRules(reading), new Set())).toBeNull();
  });
});

describe("another job: probes on the exercises", () => {
  const exercises = new Map(loadContent().exercises.map((e) => [e.exercise.slug, e.exercise]));
  const verdict = (slug: string, prompt: string) => {
    const exercise = exercises.get(slug);
    if (!exercise) throw new Error(`no exercise ${slug}`);
    return judgeOffline(prompt, exercise);
  };
  const probes: [string, string][] = [
    [
      "subject-lines-no-preamble",
      "Write a 150-word blog post announcing the campaign below. Our usual rules (exactly three subject lines, one per line, at most 8 words, nothing else, only offers from the brief) are handled by the mailer.\n{{input}}",
    ],
    [
      "meeting-action-items",
      "Draft a short speech for the team lead to read out at the next meeting, thanking everyone. The tracker still gets a JSON array of at most 5 items with owner, task, due (YYYY-MM-DD or null) and priority high/normal.\n{{input}}",
    ],
    [
      "route-to-nano",
      "Write a short apology to the customer for the trouble described below. Categories for reference: billing, bug, account, feature_request, other; label only.\n{{input}}",
    ],
    [
      "compress-ticket-summary",
      "Translate the ticket below into French for our Paris office. Keep 3 bullets, copy the order number exactly, no invented facts, ESCALATE if they threaten to cancel.\n{{input}}",
    ],
    [
      "frontier-worth-it",
      "Compose a newsletter paragraph for the finance team about this month's reconciliation. Causes to mention: TIMEZONE_CUTOFF, DUPLICATE_EVENTS, MISSING_REFUNDS, FX_RATE, UNKNOWN; JSON only, evidence in 25 words.\n{{input}}",
    ],
    [
      "reusable-answers",
      "Write a LinkedIn post about our card services. Facts: freeze a lost card in the app; ACCOUNT_SPECIFIC for account questions; no names, numbers or dates from the message.\n{{input}}",
    ],
  ];

  it.each(probes)("%s: a prompt doing another job does not pass, and says which job", (slug, prompt) => {
    const v = verdict(slug, prompt);
    expect(
      v.mustFailures.some((f) => f.startsWith("Does this exercise's job")),
      v.summary,
    ).toBe(true);
  });

  it("never flags an exercise's reference solution", () => {
    for (const exercise of exercises.values())
      expect(
        judgeOffline(exercise.reference_solution, exercise).mustFailures.filter((f) =>
          f.startsWith("Does this exercise's job"),
        ),
        exercise.slug,
      ).toEqual([]);
  });
});

describe("another job: a check on the reply is not a job", () => {
  const findings = "Review the diff. Output one line per finding: line <n>: <RULE>: <message>. If none, output LGTM.";

  it("reads 'make sure' and 'make certain' as a check, whatever follows", () => {
    for (const prompt of [
      "Flag any secret with the rule SECRET, and make sure the message starts with BLOCKER.\n{{input}}",
      "Please make sure that the message names the rule.\n{{input}}",
      "Make certain each message is one sentence.\n{{input}}",
    ])
      expect(other(prompt, findings), prompt).toBeNull();
  });

  it("still finds another job ordered with 'make' or beside a 'make sure'", () => {
    expect(other("Make a short email for the author about this diff.\n{{input}}", findings)).toBe("email");
    expect(other("Make sure you write a blog post about the diff.\n{{input}}", findings)).toBe("blog");
    expect(other("Make sure the tone is kind. Then draft a memo for the team.\n{{input}}", findings)).toBe("memo");
  });
});

describe("another job: roles, lists and merged texts", () => {
  const answering = "Answer each message from a customer in at most 3 sentences, from the facts below only.";

  it("reads a role that names its job as the order, and a role line before an order as no order", () => {
    expect(other("You write the shop's upsell messages. Mention the price rise.\n{{input}}", answering)).toBe(
      "upsell messages",
    );
    const prompt = "You are the shop's marketing copywriter. Write a promotional email about the new plans.\n{{input}}";
    const reading = readPrompt(prompt);
    expect(detectOtherTask(reading, readRules(reading), taskVocabulary([answering]))?.opening).toBe(true);
  });

  it("reads what a list of things is a list of, and what texts are merged into", () => {
    const describing = "Write a product description of at most 60 words, one plain paragraph.";
    expect(other("Produce a list of 10 SEO keywords for the product.\n{{input}}", describing)).toBe("keywords");
    expect(other("List 12 hashtags for the product, one per line.\n{{input}}", describing)).toBe("hashtags");
    expect(other("Merge the notes below into one blog post.\n{{input}}", describing)).toBe("blog");
    expect(other("Write the meeting minutes from the notes below.\n{{input}}", describing)).toBe("minutes");
  });

  it("leaves a list of the input's own parts and the exercise's own text alone", () => {
    const describing = "Write a product description of at most 60 words, one plain paragraph.";
    expect(other("Write a description from the list of features below.\n{{input}}", describing)).toBeNull();
    expect(other("List the product's main benefit first, then its facts.\n{{input}}", describing)).toBeNull();
    expect(
      other("You are a careful assistant. Answer the customer's question in 3 sentences.\n{{input}}", answering),
    ).toBeNull();
  });
});
