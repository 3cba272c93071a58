import { describe, expect, it } from "vitest";
import { exerciseBySlug } from "../../../test/support/judge-exercise";
import { judgeOffline } from "../offline-judge";
import { inputAsItem, termsBesideInput } from "./input-item";
import { readPrompt } from "./reading";

const item = (prompt: string) => inputAsItem(prompt, readPrompt(prompt)) !== null;
const gaming = (slug: string, prompt: string) => judgeOffline(prompt, exerciseBySlug(slug)).gaming.keywordList;

describe("the input placeholder as one item of a run of terms (input-item.ts)", () => {
  it("reads a run of terms that lists {{input}} as its last item, whatever the separator", () => {
    expect(item("billing, bug, account, feature_request, other, one word, lowercase, no explanation, {{input}}")).toBe(
      true,
    );
    expect(item("Brightwave; first name; 3 sentences; facts only; EU roaming; no promises; {{input}}")).toBe(true);
    expect(item("3 lines | 8 words max | no preamble | no numbering | brief facts only | {{input}}")).toBe(true);
    // A comma at a line's end runs the list on to the placeholder's line.
    expect(item("one label, lowercase, no reason, no punctuation, billing, bug, other,\n{{input}}")).toBe(true);
    // A name opens it; a few orders among the terms do not make it a sentence.
    expect(item("Harbour Bank, 80 words, polite, no PIN, no CVV, never guess, fraud line, {{input}}")).toBe(true);
  });

  it("leaves the input handed over by a label, a colon, a line of its own or an order's object alone", () => {
    expect(item("Output: one label | billing | bug | account | other\nNo explanation.\nTicket: {{input}}")).toBe(false);
    expect(item("label: billing / bug / other\nwords: 1\nInput: {{input}}")).toBe(false);
    expect(item("Reply with one label: billing, bug, account, feature_request, other.\n\n{{input}}")).toBe(false);
    expect(item("Summarise {{input}} in 80 words, third person, dates exact, no greetings, no small talk")).toBe(false);
    // YAML: a bar after a key opens a block; it separates nothing.
    expect(item("summary: 3 bullets max\nescalate: final line ESCALATE\nticket: |\n  {{input}}")).toBe(false);
    // Too few items to be a list: a sentence with a comma.
    expect(item("Here is the ticket, {{input}}")).toBe(false);
  });

  it("leaves a run opened by an order, or under an order elsewhere in the prompt, alone", () => {
    // One long line, commas and semicolons, the placeholder last: the order opening it makes the rest its constraints.
    expect(
      item(
        "Summarise the chat for the next agent: at most 80 words, third person; dates, amounts and references as written, no greetings, no small talk, {{input}}",
      ),
    ).toBe(false);
    expect(
      item(
        "Route the ticket below to one queue.\n\nbilling, bug, account, feature_request, other, one word, no explanation, {{input}}",
      ),
    ).toBe(false);
    // More than a third of the items order something: a telegraphic prompt, not a list.
    expect(
      item("read the ticket, pick one queue, write it in lowercase, add nothing else, billing, bug, other, {{input}}"),
    ).toBe(false);
  });
});

describe("the judge scores the placeholder listed among terms as gaming", () => {
  it("flags it on three exercises and keeps their reference solutions", () => {
    for (const [slug, prompt] of [
      [
        "route-to-nano",
        "billing, bug, account, feature_request, other, money billing, sign-in account, one label, no reasoning, {{input}}",
      ],
      [
        "summarise-chat-history",
        "HR handover, 80 words max, Goal, Facts, Done, Open, exact dates, amounts, references, no small talk; {{input}}",
      ],
      [
        "contract-fields-null",
        "one JSON object, parties as written, effective_date ISO, term_months int, notice_days int, null if absent,\n{{input}}",
      ],
    ]) {
      expect(gaming(slug, prompt), slug).toBe(true);
      const exercise = exerciseBySlug(slug);
      expect(judgeOffline(exercise.reference_solution, exercise).gaming.keywordList, slug).toBe(false);
    }
  });

  it("does not flag terse notation, a template or a spec that ends on `Input: {{input}}`", () => {
    for (const [slug, prompt] of [
      [
        "route-to-nano",
        "Task: route the support ticket.\nOutput: billing | bug | account | feature_request | other\nMoney matters: billing. Sign-in problems: account. Nothing fits: other.\nLabel only, no reasoning.\nInput: {{input}}",
      ],
      [
        "contract-fields-null",
        'Extract from the contract, as one JSON object and nothing else:\n{"parties": [names as written], "effective_date": "YYYY-MM-DD", "term_months": int, "auto_renews": bool, "notice_days": int, "governing_law": str}\nAny field the contract does not state: null, never a guess.\nContract: {{input}}',
      ],
    ])
      expect(gaming(slug, prompt), prompt).toBe(false);
  });
});

describe("a prompt that is nothing but a run of terms beside its input (input-item.ts)", () => {
  const beside = (prompt: string) => termsBesideInput(prompt, readPrompt(prompt)) !== null;

  it("reads a comma run of terms, or a long unpunctuated line of them, with {{input}} on its own line", () => {
    expect(beside("one label, billing, bug, account, feature_request, other, no reasoning\n{{input}}")).toBe(true);
    expect(beside("{{input}}\n\nthree lines, 8 words max, no preamble, no numbering, brief facts only")).toBe(true);
    expect(
      beside(
        "{{input}}\nGoal Facts Done Open 80 words max dates amounts references exactly as written only chat no greetings no small talk",
      ),
    ).toBe(true);
  });

  it("leaves specs, sentences, orders with their objects and bulleted rules alone", () => {
    // Notation: keys with their colons, arrows, bars.
    expect(beside("LABELS: billing | bug | account | other\nOUTPUT: label only\nTICKET: {{input}}")).toBe(false);
    expect(beside("refund, invoice -> billing\nlogin, password -> account\nnone fit -> other\n{{input}}")).toBe(false);
    // Terse sentences: a full stop between parts.
    expect(
      beside("Three subject lines, one per line, 8 words tops. Just the lines, no numbers, no notes.\n{{input}}"),
    ).toBe(false);
    // An order with its object, commas or not.
    expect(beside("Using the passages, write a short answer, two sentences, cite labels, no quotes\n{{input}}")).toBe(
      false,
    );
    expect(beside("Route the ticket below, one label, no reasoning, billing, bug, other\n{{input}}")).toBe(false);
    // A heading and bullets, or a second paragraph.
    expect(beside("Subject lines:\n- three\n- 8 words max\n- no preamble\n- no numbering\n{{input}}")).toBe(false);
    // A sentence with its grammar, however long and unpunctuated.
    expect(
      beside(
        "Classify each review in the batch below as POS NEG MIXED or SKIP and give its topic as one of the five topics\n{{input}}",
      ),
    ).toBe(false);
  });

  it("scores such a prompt as gaming and keeps a terse spec with its input", () => {
    expect(
      gaming(
        "keep-the-safety-rules",
        "80 words, polite, no PIN, no CVV, no advice, fraud 0800 123 456, advisor\n{{input}}",
      ),
    ).toBe(true);
    expect(
      gaming(
        "route-to-nano",
        "LABELS: billing | bug | account | feature_request | other\nmoney -> billing; sign-in -> account; none fit -> other\nOUTPUT: label only, no reasoning\nTICKET: {{input}}",
      ),
    ).toBe(false);
  });
});

describe("a column of terms stacked line by line beside the input (input-item.ts)", () => {
  const beside = (prompt: string) => termsBesideInput(prompt, readPrompt(prompt)) !== null;
  it("reads short lines of terms with the placeholder last as a list of terms", () => {
    expect(
      beside(
        "static prefix first\ngreet first name\nUnlimited EU roaming included\n£2.25 a day\nbills 1st of month\nApril price change\nagent for cancel / change plan\nonly facts\nmax 3 sentences\n{{input}}",
      ),
    ).toBe(true);
  });
  it("still reads a hard-wrapped paragraph or lines of orders as instructions", () => {
    expect(
      beside(
        "Greet the customer by first name and answer from their profile\nwith roaming, price and billing facts only, in three sentences\nhanding cancellations to an agent\n{{input}}",
      ),
    ).toBe(false);
    expect(
      beside(
        "Greet the customer by first name\nAnswer from the profile facts only\nKeep it to three sentences\nSend cancellations to an agent\nNever promise a discount\n{{input}}",
      ),
    ).toBe(false);
  });
});

describe("input item: the separator before the placeholder is read on its last two lines only (speed)", () => {
  it("finds a comma ending the line before, even after many lines, and no separator across a blank line", () => {
    const terms = "one label, lowercase, no reason, no punctuation, billing, bug, other";
    expect(item(`${terms},\r\n{{input}}`)).toBe(true);
    expect(item(`${terms} / {{input}}`)).toBe(true);
    // A blank line between them hands the input over on a line of its own.
    expect(item(`${terms},\n\n{{input}}`)).toBe(false);
    expect(item(`${terms}\n{{input}}`)).toBe(false);
  });
});
