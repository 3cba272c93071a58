import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";
import { requirementSchema } from "../exercise";
import { judgeOffline } from "../offline-judge";
import { labelCases } from "./case-handling";

type Spec = Record<string, unknown>;

/** A small made-up exercise: its requirements and its closed labels. */
const exercise = (labels: string[], ...specs: Spec[]) => ({
  requirements: specs.map((s, i) => requirementSchema.parse({ id: `r${i}`, ...s })),
  format_instruction: false,
  unused_context: [],
  task: { action: "classify" as const, output: "label" as const, labels },
});

const status = (prompt: string, ex: Parameters<typeof judgeOffline>[1], k = 0) =>
  judgeOffline(prompt, ex).requirements[k].status;

const contracts = exercise(
  ["HIGH", "LOW", "ESCALATE"],
  {
    description: "The named cases escalate (a document not given, not in English).",
    names_only: true,
    topic: [
      ["schedule", "annex", "another document", "other document"],
      ["English", "language", "foreign"],
    ],
    all_of: [["ESCALATE"]],
  },
  {
    description: "ESCALATE when not sure.",
    together: true,
    all_of: [["ESCALATE"], ["unsure", "not sure", "ambiguous", "in doubt"]],
  },
);
const questions = exercise(["NONE"], {
  description: "NONE when there is no IT question.",
  together: true,
  topic: [["NONE"]],
  all_of: [["no IT question", "not an IT question", "no question"]],
});
const accounts = exercise(["ACCOUNT_SPECIFIC"], {
  description: "Questions that need the customer's own account get exactly ACCOUNT_SPECIFIC.",
  together: true,
  all_of: [["ACCOUNT_SPECIFIC"], ["own account", "their balance", "balance", "card status"]],
});
const tickets = exercise(["ESCALATE"], {
  description: "Adds an ESCALATE line when the customer threatens to cancel or mentions a chargeback.",
  all_of: [["ESCALATE"], ["cancel", "chargeback"]],
});

describe("labelCases: the cases a description sends to one label", () => {
  it("reads the label and the case groups where the label is the outcome", () => {
    expect(labelCases(contracts.requirements[0], ["HIGH", "LOW", "ESCALATE"])).toEqual({
      label: "ESCALATE",
      groups: [0, 1],
    });
    expect(labelCases(questions.requirements[0], ["NONE"])).toEqual({ label: "NONE", groups: [1] });
    expect(labelCases(accounts.requirements[0], ["ACCOUNT_SPECIFIC"])).toEqual({
      label: "ACCOUNT_SPECIFIC",
      groups: [1],
    });
  });

  it("reads none where the label is the thing described, refused, a note or a key name", () => {
    const parse = (description: string) =>
      requirementSchema.parse({ id: "r", description, all_of: [["TODO"], ["ticket"]] });
    expect(labelCases(parse("Flag a TODO without a ticket id."), ["TODO"])).toBeNull();
    expect(labelCases(parse("Never guess; unsure is never LOW."), ["LOW"])).toBeNull();
    expect(labelCases(parse("An invoice over €25,000 needs CFO approval (hold)."), ["HOLD"])).toBeNull();
    expect(labelCases(parse("Subject line at most 45 characters."), ["Subject"])).toBeNull();
  });
});

describe("otherHandling: a case the exercise sends to a label, given an order of its own", () => {
  it.each([
    [contracts, "If the clause refers to a schedule that is not supplied, rate only the wording you can see."],
    [contracts, "- If it cites an annex you can't see, assume it holds standard terms and rate the clause as given"],
    [contracts, "When a clause is in a foreign language, translate it and then rate it."],
    [questions, "If the message holds no IT question, pass it through unchanged."],
    [accounts, "If the question is about their own balance, answer generally and point them to the app."],
    [tickets, "If the customer threatens to cancel, apologise and summarise as usual."],
    [
      questions,
      "If the message holds no IT question, pass it through unchanged; output NONE only for an empty message.",
    ],
    [questions, "If there is no IT question, keep the message as it is, NONE only when it is empty."],
  ])("handled another way: %#", (ex, prompt) => {
    expect(status(`Answer with the label only.\n${prompt}\n{{input}}`, ex)).toBe("contradicted");
  });

  it.each([
    [contracts, "If the clause refers to a schedule that is not supplied, answer ESCALATE."],
    [contracts, "If it cites an annex you can't see, treat it as ambiguous."],
    [contracts, "If it cites an annex you can't see, don't rate it. Anything like that is ESCALATE."],
    [questions, "NONE: output exactly this if the message holds no IT question."],
    [accounts, "When in doubt about their balance, flag it. Flag = reply ACCOUNT_SPECIFIC."],
    [tickets, "If the customer threatens to cancel, flag it for escalation."],
    [questions, "If the message holds no IT question, don't rewrite it; output NONE."],
    [questions, "If the message holds no IT question, don't rewrite it: NONE only, nothing else."],
  ])("still sent to the label: %#", (ex, prompt) => {
    expect(status(`Answer with the label only.\n${prompt}\n{{input}}`, ex)).not.toBe("contradicted");
  });

  // The row shape with the case first: a lead that names the case, a colon, then what to do.
  it.each([
    [accounts, "- Questions about their own balance: answer in one general sentence and point them to the app."],
    [accounts, "- Asks about their card status: politely decline in one sentence and answer the rest"],
    [contracts, "- Clauses that cite an annex: rate only the wording you can see."],
    [questions, "Messages with no IT question: pass them through unchanged."],
  ])("a case named before a colon, handled another way: %#", (ex, prompt) => {
    expect(status(`Answer with the label only.\n${prompt}\n{{input}}`, ex)).toBe("contradicted");
  });

  it.each([
    [accounts, "- Questions about their own balance: reply exactly ACCOUNT_SPECIFIC."],
    [accounts, "- Their balance or card status: ACCOUNT_SPECIFIC, nothing else."],
    [contracts, "- Clauses that cite an annex: ESCALATE."],
    [contracts, "- Clauses that cite an annex: treat them as ambiguous."],
    // The lead is an order of its own, not a case: what follows the colon is its detail.
    [accounts, "- Reply exactly ACCOUNT_SPECIFIC for their balance: write nothing else."],
    // A colon that ends the rule, completed by the next line.
    [questions, "No IT question at all, the whole reply is:\nNONE"],
  ])("a case named before a colon, still sent to the label: %#", (ex, prompt) => {
    expect(status(`Answer with the label only.\n${prompt}\n{{input}}`, ex)).not.toBe("contradicted");
  });
});

describe("case handling: a rule that ends in a colon is completed by the value on the next line", () => {
  const reusable = (value: string) =>
    [
      "Facts:",
      "1. Lost/stolen card: freeze it in the app. Replacement: free, arrives within 5 working days.",
      "2. Payment abroad: £4, arrives in 1-2 working days.",
      "",
      "Reply (max 60 words, facts only):",
      '<general answer with no name, account/card number, amount or date from the message, and no "as you mentioned">',
      "",
      "If it needs their own account data (balance, a payment, their card's status) or someone else's details, the whole reply is:",
      value,
      "",
      "Message: {{input}}",
    ].join("\n");
  const ACCOUNT = "Questions that need the customer's own account get exactly ACCOUNT_SPECIFIC.";

  it("reads the label alone on the next line as the case's reply", () => {
    expect(mustFailures("reusable-answers", reusable("ACCOUNT_SPECIFIC"))).not.toContain(ACCOUNT);
  });

  it("still fails another reply on the next line", () => {
    expect(mustFailures("reusable-answers", reusable("Please sign in to the app to check."))).toContain(ACCOUNT);
  });
});

describe("case handling: where the reply is a selection, leaving one item out is the selection", () => {
  const reply = (action: "select" | "classify") => ({
    ...exercise(["NONE"], {
      description: "Replies NONE when no passage helps answer the question.",
      together: true,
      topic: [["NONE"]],
      all_of: [["no passage", "nothing", "if no", "if none", "no help", "not help"]],
    }),
    task: { action, output: "lines" as const, labels: ["NONE"] },
  });
  const passages = reply("select");
  const ask = (rule: string) =>
    `Copy the sentences that help answer the question.\nFor each passage, ask: does it help? ${rule}\n{{input}}`;

  it.each(["If no, drop it.", "If it does not help, leave it out completely.", "If not, omit this passage."])(
    "one item left out: %s",
    (rule) => {
      expect(status(ask(rule), passages)).not.toBe("contradicted");
    },
  );

  it.each([
    "If no passage helps, drop them all and explain why.",
    "If nothing helps, leave it out and write a short apology instead.",
    "If none of them help, remove everything.",
  ])("the empty case still handled another way: %s", (rule) => {
    expect(status(ask(rule), passages)).toBe("contradicted");
  });

  it("a labelling task keeps 'drop it' for the case as another way", () => {
    expect(status(ask("If no, drop it."), reply("classify"))).toBe("contradicted");
  });
});

describe("otherLabelBound: a case the exercise sends to a label, bound to another of its labels", () => {
  const reviews = exercise(["POS", "NEG", "MIXED", "SKIP"], {
    description: "SKIP for an empty review, spam, or text that is not a review.",
    names_only: true,
    topic: [
      ["empty", "blank"],
      ["spam", "not a review", "non-review", "junk"],
    ],
    all_of: [["SKIP"]],
  });
  const ask = (rule: string) => `Label each review POS, NEG, MIXED or SKIP, one line per review.\n${rule}\n{{input}}`;

  it.each([
    "- SKIP only for an empty review (spam and non-review text count as NEG)",
    "- Spam or text that is not a review counts as negative: NEG with topic other.",
    "Junk is NEG.",
    "Blank lines → MIXED; spam → SKIP.",
    "Label spam as NEG.",
    // A verb of labelling, then the case, then the label: "label X NEG", over a description of the case.
    "Label spam or text that isn't a product review NEG with topic other.",
    "Mark any junk MIXED.",
  ])("sent to another label: %s", (rule) => {
    expect(status(ask(rule), reviews)).toBe("contradicted");
  });

  it.each([
    "- SKIP for an empty review, spam or non-review text.",
    "- Spam or text that is not a review counts as SKIP, never NEG.",
    "- Spam → SKIP; a broken lid → NEG.",
    "- Empty, spam or not a review: SKIP (not NEG).",
    "- A review that is not spam is POS, NEG or MIXED; spam is SKIP.",
    '- Never write "spam is NEG"; spam is SKIP.',
    "Label spam or text that isn't a product review SKIP with topic other.",
    "Label empty reviews SKIP, never NEG.",
    "Never label spam NEG; it is SKIP.",
    "Label spam SKIP or NEG? SKIP.",
  ])("still sent to the label: %s", (rule) => {
    expect(status(ask(rule), reviews)).not.toBe("contradicted");
  });
});

describe("otherLabelBound: another label that takes the case in", () => {
  const reviews = exercise(["SAFETY", "OK"], {
    description: "Complaints about quality, delivery or price alone are OK.",
    together: true,
    all_of: [["quality", "delivery", "price"], ["OK"]],
  });
  const ask = (rule: string) => `Answer with one word, SAFETY or OK.\n${rule}\n{{input}}`;

  it.each([
    "SAFETY covers any injury or hazard (fire, smoke, choking) and also complaints about quality, delivery or price.",
    "SAFETY: an injury, a hazard, or a complaint about price.",
    "SAFETY includes late delivery and poor quality.",
  ])("taken in by another label: %s", (rule) => {
    expect(status(ask(rule), reviews)).toBe("contradicted");
  });

  it.each([
    "SAFETY covers any injury or hazard (fire, smoke), even if the review also complains about price.",
    "SAFETY covers injuries and hazards; complaints about quality, delivery or price are OK.",
    "SAFETY for an injury or hazard. Complaints about quality, delivery or price alone: OK.",
    "SAFETY for an injury or hazard; OK for quality, delivery or price.",
    "SAFETY when a hazard is described, whether or not the price was fair. Quality, delivery or price alone is OK.",
  ])("kept for the label: %s", (rule) => {
    expect(status(ask(rule), reviews)).not.toBe("contradicted");
  });
});

describe("otherLabelBound: what is not the brief's case", () => {
  const clauses = exercise(["HIGH", "LOW", "ESCALATE"], {
    description: "ESCALATE when not sure (ambiguous, a document not given).",
    together: true,
    all_of: [["ESCALATE"], ["unsure", "ambiguous", "otherwise", "anything else"]],
  });
  const ask = (rule: string) => `Reply with one word.\n${rule}\n{{input}}`;

  it.each([
    "ESCALATE if the wording is ambiguous. Otherwise it is HIGH when liability is unlimited, and LOW when not.",
    "ESCALATE when unsure. Anything else: HIGH if liability is unlimited, LOW if not.",
  ])("a case that means what the rules before it left: %s", (rule) => {
    expect(status(ask(rule), clauses)).not.toBe("contradicted");
  });

  it.each([
    "If you are unsure whether it is HIGH or LOW, answer ESCALATE.",
    "When it is ambiguous if the clause is HIGH, reply ESCALATE.",
    "Unsure cases, where it could be HIGH or LOW: ESCALATE.",
  ])("a question about the case, or a choice between labels, binds it to neither: %s", (rule) => {
    expect(status(ask(rule), clauses)).not.toBe("contradicted");
  });

  it.each([
    "An ambiguous clause is LOW.",
    "HIGH covers unlimited liability and ambiguous wording.",
    "Clauses where you are unsure are HIGH.",
  ])("the case itself, sent elsewhere: %s", (rule) => {
    expect(status(ask(rule), clauses)).toBe("contradicted");
  });
});
