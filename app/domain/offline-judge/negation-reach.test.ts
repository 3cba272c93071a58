import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith, requirementStatus } from "../../../test/support/judge-exercise";
import { referenceReplacing } from "../../../test/support/reference-replacing";
import { readPrompt } from "./reading";

const negated = (text: string, word: string) =>
  readPrompt(text).tokens.find((t) => t.lower === word.toLowerCase())?.negated;
const judged = (slug: string, start: string, line: string) => mustFailures(slug, referenceReplacing(slug, start, line));

describe("where a negation reaches (polarity.ts)", () => {
  it("reads 'outside' before a bare noun as an adjective, not a reference point", () => {
    const text = "The answer is based solely on the excerpts, never on outside knowledge or guesses.";
    expect(negated(text, "knowledge")).toBe(true);
    expect(negated(text, "guesses")).toBe(true);
    // ("nothing outside the JSON": the JSON is where, not what, it forbids.)
    expect(negated("Write nothing outside the JSON.", "json")).toBe(false);
    expect(negated("Use no facts outside the excerpts.", "excerpts")).toBe(false);
  });

  it("ends a negation opened inside a template slot at the slot's close", () => {
    const text = "<IT question, at most 12 words, no answer> or NONE (if no IT question)";
    expect(negated(text, "answer")).toBe(true);
    expect(negated(text, "none")).toBe(false);
    expect(negated("No answer, no NONE.", "none")).toBe(true);
  });

  it("reads 'no X without Y' as asking for Y: the two negations cancel", () => {
    expect(negated("No claim without a citation.", "citation")).toBe(false);
    expect(negated("Nothing without its source label.", "label")).toBe(false);
    // ...but each alone still forbids, and a "no" before it stays on its own noun.
    expect(negated("Answer without citations.", "citations")).toBe(true);
    expect(negated("No citations, no labels.", "labels")).toBe(true);
    expect(negated("Write no citation without being asked.", "citation")).toBe(true);
  });

  it("reads what a winner beats or wins over as the side refused", () => {
    expect(negated("The newer date wins over the older date.", "older")).toBe(true);
    expect(negated("A 2025 page beats a 2023 page.", "2023")).toBe(true);
    expect(negated("The newer date wins over the older date.", "newer")).toBe(false);
    // ("over" as a figure's side stays one: "invoices over 25,000 need the CFO".)
    expect(negated("Invoices over 25,000 need the CFO.", "25,000")).toBe(false);
  });

  it("reads 'none' before an irregular participle as its subject: 'none left out'", () => {
    expect(negated("Every id exactly once, none left out, none combined.", "left")).toBe(true);
    expect(negated("Never leave out a review.", "leave")).toBe(true);
  });
});

describe("a second predicate after a refused list (polarity.ts)", () => {
  it("reads 'and points to' after 'gives no ... advice' as a second predicate when its form agrees with the verb", () => {
    const third = "It gives no investment, legal or tax advice and points them to an advisor instead.";
    expect(negated(third, "advice")).toBe(true);
    expect(negated(third, "advisor")).toBe(false);
    expect(negated("Give no tax advice and point to an advisor.", "advisor")).toBe(false);
    expect(negated("It contains no tax advice and points such questions to an advisor.", "advisor")).toBe(false);
  });

  it("keeps a noun list under the 'no' when the forms do not agree or no verb governs it", () => {
    expect(negated("Add no greetings and points of view.", "points")).toBe(true);
    expect(negated("No refunds and returns to the store.", "store")).toBe(true);
    expect(negated("It gives no tips and tricks.", "tricks")).toBe(true);
  });

  it("reads a participle phrase after the comma as done alongside, not refused", () => {
    const text = "It gives no investment, legal or tax advice, referring such questions to an advisor.";
    expect(negated(text, "advice")).toBe(true);
    expect(negated(text, "advisor")).toBe(false);
    expect(negated("Never give tax advice, pointing them to an advisor instead.", "advisor")).toBe(false);
  });

  it("keeps a list of -ing forms under its negation", () => {
    expect(negated("No guessing, inventing facts or padding.", "facts")).toBe(true);
    expect(negated("No guessing, inventing facts or padding.", "padding")).toBe(true);
  });
});

describe("a second predicate after a refused list (judge)", () => {
  const advice = (line: string) => judged("keep-the-safety-rules", "3. No investment", line);
  it("covers no-advice said as a description with 'and points to an advisor'", () => {
    expect(advice("It gives no investment, legal or tax advice and points to an advisor instead.")).not.toMatch(
      /advice/i,
    );
  });
  it("still fails when the advisor is refused too or the advice is allowed", () => {
    expect(advice("It gives investment, legal or tax advice and points to an advisor only if asked.")).toMatch(
      /advice/i,
    );
  });
});

describe("where a negation reaches (judge)", () => {
  it("reads 'never on outside knowledge or guesses' as excerpts only; using outside knowledge still breaks it", () => {
    const cite = (line: string) => judged("cite-dont-quote", "Answer the question", line);
    expect(
      cite(
        "Answer the question in at most two sentences, based solely on the excerpts, never on outside knowledge or guesses.",
      ),
    ).toBe("");
    expect(cite("Answer the question in at most two sentences, using the excerpts and outside knowledge.")).not.toBe(
      "",
    );
  });

  it("reads a slot '<..., no answer> or NONE' as the fallback kept; 'never NONE' still breaks it", () => {
    const cache = (line: string) => judged("normalise-for-semantic-cache", "Output only", line);
    expect(cache("Output: <the IT question, at most 12 words, no answer> or NONE (if there is no IT question).")).toBe(
      "",
    );
    expect(
      cache(
        "Output: <the IT question, at most 12 words, no answer>, never NONE (answer even if there is no IT question).",
      ),
    ).not.toBe("");
  });

  it("reads 'none left out, none combined' as no skipping; 'spam left out' still breaks it", () => {
    const batch = (line: string) => judged("batch-the-reviews", "Output one line", line);
    expect(
      batch(
        "Output one line per review, in the input order, every id exactly once, none left out, none combined: <id>;<label>;<topic>",
      ),
    ).toBe("");
    expect(
      batch(
        "Output one line per review, in the input order; duplicates left out and spam left out: <id>;<label>;<topic>",
      ),
    ).not.toBe("");
  });

  it("reads 'lack' as 'without': what is lacked is negated, the verb itself is not", () => {
    const text = "Flag it if it costs over £75 and lacks proof of purchase, or if alcohol is on it.";
    expect(negated(text, "proof")).toBe(true);
    expect(negated(text, "lacks")).toBe(false);
    expect(negated(text, "alcohol")).toBe(false);
    expect(
      judged(
        "cut-unused-context",
        "needs_review is",
        "needs_review is true if it costs over £75 and lacks proof of purchase, or it includes alcohol; else false.",
      ),
    ).toBe("");
    // The look-alike: having the proof is not lacking it.
    expect(
      judged(
        "cut-unused-context",
        "needs_review is",
        "needs_review is true if it costs over £75 and has proof of purchase, or it includes alcohol; else false.",
      ),
    ).not.toBe("");
  });
});

describe("a stated winner keeps the rule; the winner swapped reverses it (judge)", () => {
  const slug = "grounded-docs-assistant";
  const line = (text: string) => mustFailures(slug, referenceWith(slug, text));

  it("passes 'the newer date wins over the older date' and fails it turned round", () => {
    expect(line("Look at the dates; the newer date wins over the older date.")).toBe("");
    expect(line("A 2025 page beats a 2023 page.")).toBe("");
    expect(line("When chunks conflict, the older date wins over the newer date.")).toContain("(contradicted)");
    expect(line("When chunks conflict, the older page beats the newer one.")).toContain("(contradicted)");
  });
});

describe("descriptions of the reply: a relative clause, a list of participles, a condition (polarity.ts)", () => {
  it("ends a verb of leaving out with its object gapped at the sentence's own predicate", () => {
    expect(negated("Whatever the email leaves out is null, never a guess.", "null")).toBe(false);
    expect(negated("Whatever the email leaves out is null, never a guess.", "guess")).toBe(true);
    expect(negated("A value the email omits is null.", "null")).toBe(false);
    // An order keeps its object under the verb: "leave out the greeting", "omit the total".
    expect(negated("Leave out the greeting and null.", "null")).toBe(true);
    expect(negated("Omit null values.", "null")).toBe(true);
  });

  it("keeps a list of participles after 'none is' under the 'none', but not a new predicate", () => {
    const text = "None is guessed, defaulted or taken from what is typical.";
    expect(negated(text, "taken")).toBe(true);
    expect(negated(text, "typical")).toBe(true);
    expect(negated("No refunds or take them to the store.", "store")).toBe(false);
  });

  it("reads 'instead of' after a negation inside a condition as refusing what follows", () => {
    expect(negated("Use null whenever a value is not in the email instead of guessing.", "guessing")).toBe(true);
    // A negation of the order itself still turns it round: "never write null rather than a guess" asks for the guess.
    expect(negated("If a value is missing, never write null rather than a guess.", "guess")).toBe(false);
    expect(negated("Never write null if a value is missing rather than guess.", "guess")).toBe(true);
  });
});

describe("'free of' as 'without' (polarity.ts)", () => {
  it("negates what a thing is free of or from, and not 'feel free to'", () => {
    expect(negated("The voice is plain and warm, free of hype words.", "hype")).toBe(true);
    expect(negated("Keep it free from jargon.", "jargon")).toBe(true);
    expect(negated("The voice is plain and warm, free of hype words.", "warm")).toBe(false);
    expect(negated("Feel free to add hype words.", "hype")).toBe(false);
  });

  it("reads 'free of charge' as a price of nothing, not as refusing what follows", () => {
    expect(negated("Offer a replacement free of charge within 5 days.", "replacement")).toBe(false);
    expect(negated("Offer a replacement free of charge within 5 days.", "days")).toBe(false);
    expect(negated("Repairs are free of cost and take 5 days.", "take")).toBe(false);
    expect(negated("Keep it free of hype and charge nothing extra.", "hype")).toBe(true);
  });
});

describe("'free of' as 'without' (judge)", () => {
  const voice = (line: string) =>
    requirementStatus(
      "bounded-output",
      "voice",
      `Write a product description of at most 60 words, opening with the product name and its main benefit. Use only facts in the data below. ${line}\n\nProduct data:\n{{input}}`,
    );

  it("covers the voice said as 'plain and warm, free of hype'", () => {
    expect(voice("The voice is plain and warm, free of hype words.")).toBe("covered");
    expect(voice("Keep the tone plain and warm and free from hype.")).toBe("covered");
  });

  it("still fails hype allowed in the same shape, and the voice dropped", () => {
    expect(voice("The voice is plain and warm; feel free to add hype words.")).toBe("contradicted");
    expect(voice("")).toBe("missing");
  });
});

describe("descriptions of the reply: null said as what the unsaid is (judge)", () => {
  const email = (line: string) =>
    requirementStatus(
      "json-not-prose",
      "null-missing",
      `The reply is one JSON object and nothing more: order_id exactly as the email writes it, product, issue (damaged, missing, wrong_item, late or other) and wants (refund, replacement, info or other). ${line}\n\nEmail: {{input}}`,
    );
  const contract = (line: string) =>
    mustFailures("contract-fields-null", referenceReplacing("contract-fields-null", "Use null for anything", line));

  it("covers null-for-missing said with a relative clause, 'instead of guessing' and a list of refused participles", () => {
    for (const line of [
      "Whatever the email leaves out is null, never a guess.",
      "A value the email leaves out is null, not an estimate.",
      "Use null whenever a value is not in the email instead of guessing.",
    ])
      expect(email(line), line).toBe("covered");
    expect(
      contract(
        "Every value the contract does not state is null; none is guessed, defaulted or taken from what is typical.",
      ),
    ).toBe("");
  });

  it("still fails the same shapes that ask for the guess, and the rule dropped", () => {
    expect(email("Whatever the email leaves out is your best guess, never null.")).not.toBe("covered");
    expect(email("Whenever a value is not in the email, guess it instead of using null.")).not.toBe("covered");
    expect(email(""), "dropped").toBe("missing");
    expect(contract("Every value the contract does not state is null; some are taken from what is typical.")).not.toBe(
      "",
    );
  });
});

describe("'whereas' opens a clause of its own after a comma (reading.ts)", () => {
  it("ends a negation before the contrast 'whereas' brings", () => {
    const text = "Flag to-do markers lacking a tracker reference, whereas a TODO with one passes.";
    expect(negated(text, "reference")).toBe(true);
    expect(negated(text, "todo")).toBe(false);
    // (a negation inside the contrast is its own)
    expect(negated("Flag long routines, whereas layout is never flagged.", "flagged")).toBe(true);
  });
});

describe("'NONE OF:' as a forbidding label (label-polarity.ts)", () => {
  it("forbids what 'NONE OF:' introduces, as 'NEVER:' does", () => {
    const line = "NONE OF: preamble, numbering, explanations, tips";
    expect(negated(line, "preamble")).toBe(true);
    expect(negated(line, "tips")).toBe(true);
    const prompt = `OUTPUT: 3 subject lines, one per line\nMAX: 8 words each\n${line}\nFACTS: from brief only; no invented offers or deadlines\nBRIEF: {{input}}`;
    expect(requirementStatus("subject-lines-no-preamble", "nothing-else", prompt)).toBe("covered");
  });

  it("still reads 'ONE OF:' and a list under 'ALLOWED:' as affirmed", () => {
    expect(negated("ONE OF: preamble, numbering", "preamble")).toBe(false);
    expect(negated("ALLOWED: preamble, numbering, tips", "tips")).toBe(false);
  });
});
