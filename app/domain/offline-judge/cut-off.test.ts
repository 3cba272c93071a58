import { describe, expect, it } from "vitest";
import { exerciseBySlug } from "../../../test/support/judge-exercise";
import { judgeOffline } from "../offline-judge";
import { cutOffTerms, quote } from "./cut-off";
import { readPrompt } from "./reading";

const cut = (prompt: string) => cutOffTerms(prompt, readPrompt(prompt)) !== null;

describe("an instruction broken off mid-sentence, then terms (cut-off.ts)", () => {
  it("reads five ways of breaking off and heaping terms, across exercises", () => {
    // After a blank line: a sentence does not run on across a paragraph.
    expect(cut("Write a product description of at most\n\n60 words. name benefit first. facts only.\n{{input}}")).toBe(
      true,
    );
    // Items split by dots, slashes or bars.
    expect(
      cut(
        "Answer the analyst's question in at most two sentences, using only the\ncite [E#] · no quote · exact figures · partial\n{{input}}",
      ),
    ).toBe(true);
    expect(
      cut(
        "Turn the meeting note into an action item in the\nOWNER | TASK | DUE — YYYY-MM-DD — none — imperative\n{{input}}",
      ),
    ).toBe(true);
    // An order left without its object, then a run of terms with next to no grammar.
    expect(
      cut(
        "For the campaign below, write\nthree subject lines one per line at most 8 words no preamble no numbering no invented discount\n{{input}}",
      ),
    ).toBe(true);
    // A heap introduced as keywords.
    expect(
      cut(
        "You will receive a batch of customer reviews. For each review, please\n\nkeywords: id, label, topic, POS, NEG, input order\n{{input}}",
      ),
    ).toBe(true);
    expect(
      cut(
        "You are the returns assistant. When a customer asks about\n30 days delivery unused tags final sale refund original payment 5-7 business days colleague\n{{input}}",
      ),
    ).toBe(true);
  });

  it("reads a line left unfinished before a heap that calls itself keywords, and a literal's bars as no notation", () => {
    expect(
      cut(
        "Redact the message below. Replace every email address with [EMAIL], every phone\nkeywords: [PHONE] [CARD] [ACCOUNT], keep order numbers, no notes\n{{input}}",
      ),
    ).toBe(true);
    expect(
      cut(
        "Each line below is a review written as `id | text`. For every line, in the same\n\nid;label;topic order SKIP POS NEG MIXED delivery price other never merge\n{{input}}",
      ),
    ).toBe(true);
    // A spec whose next label is "Rules:" or "TERMS:" is notation going on, not a heap announced.
    expect(
      cut("CURRENCY: EUR only\nTERMS: net 45 days from the invoice date, no early-payment discount\n{{input}}"),
    ).toBe(false);
  });

  it("leaves hard-wrapped prose, wrapped notation and a placeholder at a line's end alone", () => {
    expect(
      cut(
        "Reply SAFETY if the review reports an injury or a\nhazard (fire, burning, overheating, smoke, electric shock, sparks), else OK.\n{{input}}",
      ),
    ).toBe(false);
    expect(
      cut(
        "If no owner is mentioned, write none for the\ndue date. Output only the single action item line, in the OWNER | TASK | DUE form.\n{{input}}",
      ),
    ).toBe(false);
    expect(
      cut("Harbour Bank: draft a reply to {{input}}\n\nNever: ask for a PIN, password, one-time code or CVV."),
    ).toBe(false);
    expect(
      cut(
        "Return JSON. issue = the\nproblem type, chosen from damaged / missing / wrong_item / late / other; wants = refund or info\n{{input}}",
      ),
    ).toBe(false);
    expect(
      cut("Refunds and invoices → billing; login and\npassword problems → account; anything else → other\n{{input}}"),
    ).toBe(false);
  });
});

describe("the judge scores a broken-off instruction plus terms as gaming", () => {
  it("flags it on three exercises and keeps their reference solutions", () => {
    for (const [slug, prompt] of [
      [
        "bounded-output",
        "Write a product description for the listing page that starts with\nname+benefit / ≤60 words / 1 paragraph / facts only / no invented specs / plain warm no hype / {{input}}",
      ],
      [
        "summarise-chat-history",
        'Condense the HR chat below into a note of at most\n80 words Goal Facts Done Open exact dates amounts references "medical reason" GDPR no small talk no assumptions\n{{input}}',
      ],
      [
        "subject-lines-no-preamble",
        "For the campaign below, write\nthree subject lines one per line at most 8 words no preamble no numbering no invented discount\n{{input}}",
      ],
    ]) {
      const exercise = exerciseBySlug(slug);
      const verdict = judgeOffline(prompt, exercise);
      expect(verdict.gaming.keywordList, slug).toBe(true);
      expect(verdict.gaming.reasons.join(" "), slug).toMatch(/breaks off an instruction|lists terms/);
      expect(judgeOffline(exercise.reference_solution, exercise).gaming.keywordList, slug).toBe(false);
    }
  });
});

describe("cut-off: an ellipsis is no sentence end", () => {
  it("reads terms joined by ellipses after a broken-off line as a heap", () => {
    const exercise = exerciseBySlug("few-shot-diet");
    const verdict = judgeOffline(
      "Read the line from the meeting notes and turn it into\nOWNER | TASK | DUE ... YYYY-MM-DD ... none ... Friday\n{{input}}",
      exercise,
    );
    expect(verdict.gaming.keywordList).toBe(true);
  });

  it("still reads a sentence that ends on the next line, and another that begins, as prose", () => {
    const exercise = exerciseBySlug("few-shot-diet");
    const verdict = judgeOffline(
      "Turn the meeting-notes line below into one line of the form OWNER | TASK | DUE, with the date worked out from the\nmeeting date. Output only the line; write none when there is no due date.\n{{input}}",
      exercise,
    );
    expect(verdict.gaming.keywordList).toBe(false);
  });
});

describe("cut-off: an order and its particle, broken off", () => {
  it("reads 'copy out' at a line's end, then terms, as broken off", () => {
    const verdict = judgeOffline(
      "Read the question and the passages below and copy out\nverbatim [Pn] labels NONE one per line no answer relevant only\n{{input}}",
      exerciseBySlug("prune-retrieved-passages"),
    );
    expect(verdict.gaming.keywordList).toBe(true);
  });

  it("leaves a particle after its object, and a wrapped sentence that goes on, alone", () => {
    const exercise = exerciseBySlug("prune-retrieved-passages");
    for (const prompt of [
      "Pick the sentences that help answer the question and copy them out\nword for word, one per line, each with its label such as [P2]. Reply NONE if no passage helps; do not answer the question.\n{{input}}",
      "Read the question and the passages and copy out\nthe sentences that help answer it, word for word, one per line with the label such as [P2]. Reply NONE if none helps; do not answer the question.\n{{input}}",
    ])
      expect(judgeOffline(prompt, exercise).gaming.keywordList, prompt).toBe(false);
  });
});

describe("cut-off: a wrapped sentence that reaches its full stop", () => {
  it("reads a run of nouns that goes on to a verb and a full stop as the sentence going on", () => {
    expect(
      cut(
        "Our clerks rely on your verdict. The agreement has sixteen clauses, but the\nclauses on parties, scope, confidentiality, insurance, liability, subcontracting, data protection,\nforce majeure, term, notices and governing law never affect whether an invoice is paid, so you\nshould not consider them at all.\n\n{{input}}",
      ),
    ).toBe(false);
  });

  it("still reads terms after a break as a heap: no full stop, terms up to it, or a blank line first", () => {
    expect(
      cut(
        "Rate the contract clause below. Answer HIGH if it has a\nESCALATE LOW never guess not English schedule unsure\n{{input}}",
      ),
    ).toBe(true);
    expect(
      cut(
        "Check the invoice against the clauses on\nPO, EUR, net 45, receipt, 25,000, CFO, hold, fuel surcharge, 6%, freight.\n{{input}}",
      ),
    ).toBe(true);
    expect(
      cut(
        "Apply the clauses below and give the verdict in the format that the\n\nPO EUR net-45 receipt, CFO hold, fuel surcharge, freight, one line, and the rules it breaks.\n{{input}}",
      ),
    ).toBe(true);
  });
});

describe("cut-off: only the line's last sentence can wrap notation", () => {
  it("reads a sentence broken off after notation closed by a full stop, then terms, as broken off", () => {
    const verdict = judgeOffline(
      "Turn the line into one action item of the form OWNER | TASK | DUE. Each owner should be\nperson named note none missing ISO date meeting date relative Friday month end imperative\n{{input}}",
      exerciseBySlug("few-shot-diet"),
    );
    expect(verdict.gaming.keywordList).toBe(true);
  });

  it("still reads notation that wraps within the line's last sentence, and a sentence that goes on, as a prompt", () => {
    expect(
      cut(
        "Write one line. Refunds and invoices → billing; login and\npassword problems → account; anything else → other\n{{input}}",
      ),
    ).toBe(false);
    expect(
      cut(
        "Write one line of the form OWNER | TASK | DUE. The owner should be\nthe person the note names, or none when it names nobody; the due date is an ISO date.\n{{input}}",
      ),
    ).toBe(false);
  });
});

describe("cut-off: a line of capitals after a sentence broken off in lower case", () => {
  it("reads a whole line of capitals with nothing to group it as a heap of terms, grammar words or not", () => {
    expect(
      cut(
        "{{input}}\nFrom the ticket above, route it to\nBILLING FOR MONEY ACCOUNT FOR SIGN IN OTHER IF NOTHING FITS ONE WORD PER TICKET DO NOT EXPLAIN",
      ),
    ).toBe(true);
  });

  it("leaves a few labels in capitals, capitals with punctuation, and a sentence begun in capitals alone", () => {
    // The values an order lists ("one of ⏎ SAFETY OK") are fewer than a heap.
    expect(cut("Reply with exactly one of the\nSAFETY OK labels, nothing else.\n{{input}}")).toBe(false);
    expect(cut("Classify the review as one of\nPOS NEG MIXED SKIP\n{{input}}")).toBe(false);
    // Stress in capitals that a comma and a full stop group is a sentence going on.
    expect(
      cut(
        "Answer the question using only\nTHE PASSAGES BELOW, NEVER YOUR OWN KNOWLEDGE OR ANY OUTSIDE SOURCE.\n{{input}}",
      ),
    ).toBe(false);
    expect(
      cut(
        "ANSWER THE QUESTION USING ONLY THE\nPASSAGES BELOW AND NOTHING ELSE FROM ANY OTHER SOURCE AT ALL\n{{input}}",
      ),
    ).toBe(false);
  });
});

describe("cut-off: a clause left without its verb or its noun", () => {
  it("reads a line stopping on a subject, on a determiner after 'that', or in a verbless clause, then terms, as broken off", () => {
    expect(
      cut(
        "Answer the question below and for each figure make sure you\ncite label exact unit period two sentences excerpts only no quote\n{{input}}",
      ),
    ).toBe(true);
    expect(
      cut(
        "Write subject lines for the campaign brief, and make sure that each\nthree 8 words one per line no intro no numbering no tips\n{{input}}",
      ),
    ).toBe(true);
    expect(
      cut(
        "Rate the clause as HIGH, LOW or ESCALATE. Answer HIGH when the clause\nuncapped / exclusivity / renewal over 12 months / never guess / label only\n{{input}}",
      ),
    ).toBe(true);
    expect(
      cut(
        "Answer in two sentences using only the\n[cite labels] [no quote] [exact figures] [excerpts only] [partial answer]\n{{input}}",
      ),
    ).toBe(true);
  });

  it("leaves an object 'you', 'each' after its count, elliptical clauses and a sentence that goes on alone", () => {
    expect(
      cut(
        "If anything is unclear, do not guess; we will tell you\nwhich of the five queues fits when a ticket is new.\n{{input}}",
      ),
    ).toBe(false);
    expect(
      cut(
        "Three subject lines, 8 words each\nno preamble no numbering no tips no invented discount deadline\n{{input}}",
      ),
    ).toBe(false);
    expect(
      cut("Resolve relative dates from the meeting date; none if no date\nowner task due one line\n{{input}}"),
    ).toBe(false);
    expect(cut("Reply ESCALATE when unsure\nnever guess one word label only HIGH LOW\n{{input}}")).toBe(false);
    expect(
      cut(
        "Answer HIGH when the clause\ncaps no liability at all, grants exclusivity, or renews for more than 12 months.\n{{input}}",
      ),
    ).toBe(false);
  });
});

describe("the quoted broken-off line (cut-off.ts quote)", () => {
  it("keeps a short line whole and starts a long one's tail at a word", () => {
    expect(quote("Summarise the ticket for the")).toBe("Summarise the ticket for the");
    const long = "Summarise the customer's ticket in three short bullets so that it is ready for the agent";
    const quoted = quote(long);
    expect(quoted.startsWith("…")).toBe(true);
    expect(long.endsWith(quoted.slice(1))).toBe(true);
    // Starts at a word: the character before it in the line is a space.
    expect(long[long.length - quoted.length]).toBe(" ");
    expect(quoted.length).toBeLessThanOrEqual(61);
  });

  it("cuts inside an unspaced run rather than dropping it all", () => {
    const run = `Write ${"x".repeat(80)}`;
    expect(quote(run)).toBe(`…${"x".repeat(60)}`);
  });
});

describe("a heap after a broken-off line, whatever ends it (cut-off.ts)", () => {
  it("reads a heap that runs up to a quoted fallback line as a heap", () => {
    expect(
      cut(
        "Answer the question using only the chunks, and when two chunks disagree you should\nrecent wins cite [D1] [D2] backticks exact names data not instructions memory note no repeat ignore irrelevant Not documented. Ask in #data-help. {{input}}",
      ),
    ).toBe(true);
  });
  it("reads a line broken mid-word, then a dozen bare terms, as cut off", () => {
    expect(
      cut(
        "Code the expense line below into one category and decide whether it needs re\ntravel meals software office-supplies training other needs_review true false £75 no-receipt alcohol JSON category only\n{{input}}",
      ),
    ).toBe(true);
  });
  it("still reads hard-wrapped prose and lists that a sentence names as finished", () => {
    expect(
      cut(
        "The reply carries no greeting, thanks, signature or emotion, and no\npersonal detail: no name, email address, employee id, asset tag or ticket number. Apps\nappear under their canonical names.\n{{input}}",
      ),
    ).toBe(false);
    expect(
      cut("Pick exactly one category from this list\ntravel meals software office supplies training other\n{{input}}"),
    ).toBe(false);
    expect(
      cut(
        "When two chunks disagree, follow the newer one; if nothing answers it, reply with\nNot documented. Ask in #data-help.\n{{input}}",
      ),
    ).toBe(false);
  });
});

describe("a stop inside quotes ends no sentence of the prompt (cut-off.ts)", () => {
  it("reads terms after a broken-off line as a heap though a quoted greeting holds a '!'", () => {
    expect(
      cut(
        'Using the campaign brief {{input}} write the subject lines so that each one is\n3 lines 8 words max exactly three no preamble no "Sure! Here are" no numbering no tips no emojis brief only no invented discount no deadline',
      ),
    ).toBe(true);
  });
  it("still reads a sentence that ends on the next line, then another, as finished", () => {
    expect(
      cut(
        'Write three subject lines for the campaign, each one\nunder eight words. Never open with "Sure! Here are".\n{{input}}',
      ),
    ).toBe(false);
  });
});
