import { describe, expect, it } from "vitest";
import { madeUpExercise as exercise, readAsWordList as gaming, statuses } from "../../../test/support/made-up-exercise";
import { judgeOffline } from "../offline-judge";

/**
 * Readings that must generalise beyond an exercise's phrase lists: the causes of the wrong verdicts found on the
 * evaluation set's tune half, each on a small made-up exercise (so no exercise author's edit can change them) and
 * each with the variant that must keep reading the other way.
 */

describe("template lines are notation", () => {
  const reviews = exercise(
    { all_of: [["POS"], ["NEG"], ["MIXED"], ["SKIP"]] },
    { all_of: [["delivery"], ["quality"], ["price"], ["service"], ["other"]] },
    { all_of: [["id", "ids"]] },
    { all_of: [["input order"]] },
  );

  it("reads <a|b|c> slots of a row template as the values to write", () => {
    const prompt =
      "Classify each review.\nOutput format, one row per review, in input order:\n<id>;<POS|NEG|MIXED|SKIP>;<delivery|quality|price|service|other>\n{{input}}";
    expect(statuses(prompt, reviews)).toEqual(["covered", "covered", "covered", "covered"]);
    expect(gaming(prompt, reviews)).toBe(false);
  });

  it("reads a labelled line with a slot as the reply's shape", () => {
    const verdict = exercise(
      { all_of: [["APPROVE"], ["HOLD"]] },
      { all_of: [["one line"]] },
      { all_of: [["broken", "reasons"]] },
      { all_of: [["comma"]] },
    );
    const prompt =
      "Invoices in EUR only.\nOutput, one line: APPROVE | HOLD: <broken rules, comma-separated>\n{{input}}";
    expect(statuses(prompt, verdict)).toEqual(["covered", "covered", "covered", "covered"]);
  });

  it("still reads the same terms without slots, or in one long bracket, as a list of words", () => {
    const list = "id POS NEG MIXED SKIP delivery quality price service other input order\n{{input}}";
    expect(gaming(list, reviews)).toBe(true);
    const bracketed = "<id POS NEG MIXED SKIP delivery quality price service other input order>\n{{input}}";
    expect(gaming(bracketed, reviews)).toBe(true);
  });
});

describe("negation: a reference point is not what is forbidden", () => {
  const summary = exercise({ all_of: [["summarise", "bullets"]] });
  const end = exercise({
    all_of: [["/\\bEND\\b/c"], ["last line", "final line", "not after"]],
    broken_by: [["after END"]],
  });

  it("reads the object of after/before/beyond under a negation as affirmed", () => {
    expect(statuses("Use 3 bullets. Otherwise nothing after the bullets.\n{{input}}", summary)).toEqual(["covered"]);
    expect(statuses("END on the last line. Write nothing before the first row or after END.\n{{input}}", end)).toEqual([
      "covered",
    ]);
  });

  it("reads the object as affirmed after a forbidden list, and after two joined points", () => {
    const json = exercise({ all_of: [["json"], ["nothing else", "no explanation", "no comment"]] });
    for (const line of [
      "Do not add any explanation, heading or comment before or after the JSON object.",
      "Never write anything before or after the JSON.",
      "No greeting, sign-off or note before and after the JSON.",
      "Don't add a summary, a note, or a sign-off after the JSON.",
    ]) {
      expect(statuses(`Reply with one JSON object, nothing else. ${line}\n{{input}}`, json), line).toEqual(["covered"]);
    }
  });

  it("still forbids the listed things themselves, and a pair with no object", () => {
    const notes = exercise({ all_of: [["json"]], broken_by: [["comment", "comments"]] });
    const commented = "Reply with JSON. Add a comment, a heading or a note after the JSON.\n{{input}}";
    expect(statuses(commented, notes)).toEqual(["contradicted"]);
    const forbidden = exercise({ all_of: [["json"], ["nothing else"]], broken_by: [["summary"]] });
    expect(statuses("Reply with JSON, nothing else. No summary before or after.\n{{input}}", forbidden)).toEqual([
      "covered",
    ]);
    expect(statuses("Reply with JSON, nothing else. Add a summary before or after it.\n{{input}}", forbidden)).toEqual([
      "contradicted",
    ]);
  });

  it("still forbids what the negation names, and reads an adverb as forbidden", () => {
    expect(statuses("No bullets, nothing after the title.\n{{input}}", summary)).toEqual(["contradicted"]);
    expect(statuses("END on the last line. After END, add a summary.\n{{input}}", end)).toEqual(["contradicted"]);
    // An idiom with its own predicate is no reference point: "present beyond doubt" leaves doubt negated.
    const doubt = exercise({ all_of: [["ESCALATE"]], broken_by: [{ all_of: [["doubt"], ["LOW"]] }] });
    expect(
      statuses("ESCALATE when unsure. Return LOW only when none of those is present beyond doubt.\n{{input}}", doubt),
    ).toEqual(["covered"]);
    // "nothing before or after" has no object: "after" is what it forbids.
    const reading = judgeOffline("Print END, nothing before or after.\n{{input}}", end);
    expect(reading.requirements[0].status).toBe("covered");
  });
});

describe("phrases: words the prompt puts inside a phrase", () => {
  const oneWord = exercise({ all_of: [["one word"]] });
  const perItem = exercise({ all_of: [["one object per line item"]] });
  const short = exercise({ all_of: [["keep it short"]] });

  it("lets one modifier sit before a phrase's next word", () => {
    expect(statuses("Answer with one uppercase word.\n{{input}}", oneWord)).toEqual(["covered"]);
    expect(statuses("Write one object per invoice line item.\n{{input}}", perItem)).toEqual(["covered"]);
  });

  it("lets a pronoun of the phrase stand for the noun phrase the prompt names", () => {
    expect(statuses("Keep the reply short.\n{{input}}", short)).toEqual(["covered"]);
    expect(statuses("Keep each summary line short.\n{{input}}", short)).toEqual(["covered"]);
  });

  it("lets a word that points at where the text is follow the noun it places ('the facts above', 'the chunks below')", () => {
    const factsOnly = exercise({ all_of: [["facts only"]] });
    expect(statuses("ANSWER: facts above only; <=60 words\n{{input}}", factsOnly)).toEqual(["covered"]);
    expect(statuses("Use the facts given only.\n{{input}}", factsOnly)).toEqual(["covered"]);
    // Only right after the noun, and only the words that place it: "facts, above all, only" is not one phrase.
    expect(statuses("Give facts, above all, only when asked.\n{{input}}", factsOnly)).toEqual(["missing"]);
  });

  it("keeps the polarity and the limits: a negation is no modifier, two words are too many", () => {
    expect(statuses("Never answer with one uppercase word.\n{{input}}", oneWord)).not.toEqual(["covered"]);
    expect(statuses("Answer with one not word.\n{{input}}", oneWord)).toEqual(["missing"]);
    expect(statuses("Answer with one very long German compound word.\n{{input}}", oneWord)).toEqual(["missing"]);
    expect(statuses("Do not keep the reply short.\n{{input}}", short)).not.toEqual(["covered"]);
  });
});

describe("synonyms of the instruction vocabulary", () => {
  const lead = exercise({ all_of: [["name"], ["start with", "begin with"]], together: true });
  const invent = exercise({ all_of: [["don't invent", "never invent"]], broken_by: [["make up"]] });
  const only = exercise({ all_of: [["only the chunks"]] });

  it("matches a verb through its class, read as a verb", () => {
    expect(statuses("Lead with the product name.\n{{input}}", lead)).toEqual(["covered"]);
    expect(statuses("Open with the name, then the benefit.\n{{input}}", lead)).toEqual(["covered"]);
    // "Open" as a label or an adjective is no verb of starting.
    expect(statuses("Open questions: list them. Name the owner.\n{{input}}", lead)).toEqual(["missing"]);
  });

  it("matches a multiword equivalent, with the gaps a phrase allows, and keeps its polarity", () => {
    expect(statuses("Don't make anything up.\n{{input}}", invent)).toEqual(["covered"]);
    expect(statuses("Never fabricate a figure.\n{{input}}", invent)).toEqual(["covered"]);
    // Asking for it the other way round still breaks the rule, in either wording.
    expect(statuses("If a value is missing, invent a plausible one.\n{{input}}", invent)).toEqual(["contradicted"]);
    expect(statuses("Use nothing but the chunks.\n{{input}}", only)).toEqual(["covered"]);
    const omit = exercise({ all_of: [["omit greetings", "leave out greetings"]] });
    for (const verb of ["Throw out", "Strip out", "Cut out"])
      expect(statuses(`${verb} greetings and sign-offs.\n{{input}}`, omit)).toEqual(["covered"]);
    expect(statuses("Throw the greetings in.\n{{input}}", omit)).toEqual(["missing"]);
    expect(statuses("Use solely the chunks.\n{{input}}", only)).toEqual(["covered"]);
    // One way only: a phrase that is only "nothing but" (the whole reply) is not met by any "only".
    const bare = exercise({ all_of: [["nothing but"]] });
    expect(statuses("Use only facts from the brief.\n{{input}}", bare)).toEqual(["missing"]);
    expect(statuses("Reply with nothing but the lines.\n{{input}}", bare)).toEqual(["covered"]);
  });

  it("reads 'nothing besides / except / other than X' as 'only X'", () => {
    const label = exercise({ all_of: [["only the label"]] });
    expect(statuses("Write nothing besides the label.\n{{input}}", label)).toEqual(["covered"]);
    expect(statuses("Output nothing except the label.\n{{input}}", label)).toEqual(["covered"]);
    expect(statuses("Return nothing other than the label.\n{{input}}", label)).toEqual(["covered"]);
    expect(statuses("Write the label and a reason.\n{{input}}", label)).toEqual(["missing"]);
  });

  it("reads a label in capitals as a value, not the verb it spells", () => {
    const skip = exercise({ all_of: [["every id"]], broken_by: [["drop empty"]] });
    expect(statuses("Keep every id. Label: POS, NEG or SKIP (empty, spam).\n{{input}}", skip)).toEqual(["covered"]);
    expect(statuses("Keep every id, but skip empty reviews.\n{{input}}", skip)).toEqual(["contradicted"]);
    // ...in the plural too: "SKIPs included" keeps the SKIP lines, it does not leave anything out.
    const leaveOut = exercise({ all_of: [["every id"]], broken_by: [["leave out"]] });
    expect(statuses("Every id gets its line once, SKIPs included.\n{{input}}", leaveOut)).toEqual(["covered"]);
    expect(statuses("Every id gets its line once; skip the spam.\n{{input}}", leaveOut)).toEqual(["contradicted"]);
  });

  it("reads an order whose object is 'no ...' or 'none' as forbidden", () => {
    expect(statuses("Invent no discounts or deadlines.\n{{input}}", invent)).toEqual(["covered"]);
    expect(statuses("Facts: from the brief only; none invented.\n{{input}}", invent)).toEqual(["covered"]);
    expect(
      statuses(
        "Facts: from the brief only; none invented.\n{{input}}",
        exercise({ all_of: [["only"]], broken_by: [["invent"]] }),
      ),
    ).toEqual(["covered"]);
  });
});

describe("negation: 'none' as the subject of what it forbids", () => {
  const skip = exercise({ all_of: [["every review"]], broken_by: [["leave out"]] });

  it("reads 'none may be skipped' as forbidding the skipping", () => {
    expect(statuses("Return a line for each and every review; none may be skipped.\n{{input}}", skip)).toEqual([
      "covered",
    ]);
    expect(statuses("Return a line for every review, but skip the empty ones.\n{{input}}", skip)).toEqual([
      "contradicted",
    ]);
    // After a verb, "none" is its object, and the predicate that follows is affirmed.
    const other = exercise({ all_of: [["other"], ["none", "nothing fits"]] });
    expect(statuses("Tickets that match none are other.\n{{input}}", other)).toEqual(["covered"]);
  });
});

describe("conditions that invert their rule", () => {
  const escalate = exercise({ all_of: [["ESCALATE"], ["cancel"]], together: true });

  it("reads an exception under a prohibition as the rule itself", () => {
    for (const p of [
      "Never add ESCALATE unless the customer threatens to cancel.",
      "Do not add ESCALATE except when the customer threatens to cancel.",
      "Unless the customer threatens to cancel, do not add ESCALATE.",
      "Never add ESCALATE except for threats to cancel.",
    ])
      expect(statuses(`Summarise the ticket. ${p}\n{{input}}`, escalate), p).toEqual(["covered"]);
  });

  it("reads an exception under an order as reversing the rule", () => {
    for (const p of [
      "Add ESCALATE unless the customer threatens to cancel.",
      "Add ESCALATE except when the customer threatens to cancel.",
      "Add ESCALATE except if the customer threatens to cancel.",
    ])
      expect(statuses(`Summarise the ticket. ${p}\n{{input}}`, escalate), p).toEqual(["contradicted"]);
  });
});

describe("a polite word after a condition's comma opens the order", () => {
  const none = exercise({ all_of: [["none"], ["owner"]], together: true, broken_by: [["guess the owner"]] });
  const safety = exercise({ all_of: [["SAFETY"], ["unsure", "not sure"]], together: true });

  it("does not carry the condition's negation into the order", () => {
    for (const p of [
      "If no owner is mentioned, please write none for the owner.",
      "If no owner is named, kindly write none for the owner.",
    ])
      expect(statuses(`List the tasks. ${p}\n{{input}}`, none), p).toEqual(["covered"]);
    expect(statuses("Label the review. If you are not sure, please answer SAFETY.\n{{input}}", safety)).toEqual([
      "covered",
    ]);
  });

  it("still reads a polite prohibition as one", () => {
    expect(statuses("Label the review. If you are not sure, please do not answer SAFETY.\n{{input}}", safety)).toEqual([
      "contradicted",
    ]);
  });
});

describe("reasons and the writer's own plans order nothing", () => {
  const closed = exercise({ all_of: [["only the listed values"]], broken_by: [["new value", "new values"]] });
  const labelOnly = exercise({ all_of: [["label only"]], broken_by: [["explain", "explanation"]] });
  const json = exercise({ all_of: [["json"]], broken_by: [["text around the json"]] });

  it("reads a reason or a purpose given for a rule as no order", () => {
    for (const p of [
      "Use only the listed values. Never invent a new value, because new values break our charts.",
      "Use only the listed values; never a new value since new values break our charts.",
      "Use only the listed values, so that new values never reach the charts.",
    ])
      expect(statuses(`${p}\n{{input}}`, closed), p).toEqual(["covered"]);
    const plan =
      "Let me explain how our process works so that you understand why it matters. Reply with the label only.";
    expect(statuses(`${plan}\n{{input}}`, labelOnly)).toEqual(["covered"]);
    const around = "Reply with JSON. Do not write any explanation or text around the JSON, because a parser reads it.";
    expect(statuses(`${around}\n{{input}}`, json)).toEqual(["covered"]);
  });

  it("still reads the order itself, with or without a reason", () => {
    const p = "Use only the listed values. Add a new value when none fits, because the charts can take it.";
    expect(statuses(`${p}\n{{input}}`, closed)).toEqual(["contradicted"]);
    expect(statuses("Explain your label, because we review it. Label only.\n{{input}}", labelOnly)).toEqual([
      "contradicted",
    ]);
    expect(statuses("Reply with JSON and some text around the JSON.\n{{input}}", json)).toEqual(["contradicted"]);
  });
});

describe("a reason that states a rule of its own is read as that rule", () => {
  const safety = exercise({
    all_of: [["unsure", "not sure", "in doubt"], ["SAFETY"]],
    together: true,
    broken_by: [{ all_of: [["unsure", "not sure", "doubt"], ["OK"]] }],
  });
  const nullNotGuess = exercise({
    all_of: [["null"], ["not stated", "missing"]],
    broken_by: [["guess", "best guess", "typical value"]],
  });

  it("fails a requirement that a should/must/is-to-be statement inside a reason contradicts", () => {
    for (const p of [
      "Answer SAFETY when unsure, because an unsure review should be OK.",
      "If unsure, answer SAFETY, since in our experience an unsure review must be marked OK.",
      // (The reason names the case in the rule's words: "a doubtful review" was caught only while "When in doubt
      // reply SAFETY" read as one condition whose outcome was the reason; with its comma it passed. See
      // condition-outcome.ts.)
      "When in doubt reply SAFETY, because a review in doubt is to be treated as OK.",
      "When in doubt, reply SAFETY, because a review in doubt is to be treated as OK.",
      "If unsure answer SAFETY, so that unsure reviews can be OK... because unsure reviews have to be OK anyway.",
    ])
      expect(statuses(`Label the review SAFETY or OK. ${p}\n{{input}}`, safety), p).toEqual(["contradicted"]);
    expect(
      statuses(
        "Use null when a field is not stated, because the model should make its best guess for dates.\n{{input}}",
        nullNotGuess,
      ),
    ).toEqual(["contradicted"]);
  });

  it("keeps a reason that explains, or agrees with the rule, neutral", () => {
    for (const p of [
      "Answer SAFETY when unsure, because an unsure review that turns out OK costs us little.",
      "Answer SAFETY when unsure, because a missed hazard should never happen.",
      "If unsure, answer SAFETY: a wrongly OK review is what hurts, since OK reviews go unread.",
    ])
      expect(statuses(`Label the review SAFETY or OK. ${p}\n{{input}}`, safety), p).toEqual(["covered"]);
    expect(
      statuses("Use null when a field is not stated, because a guess breaks our reports.\n{{input}}", nullNotGuess),
    ).toEqual(["covered"]);
  });
});

describe("orders in parentheses", () => {
  const escalate = exercise({ all_of: [["ESCALATE"], ["cancel"]], together: true });
  const labelOnly = exercise({ all_of: [["no explanation", "label only"]] });

  it("reads a reversal in parentheses as a contradiction, and a prohibition there as an order", () => {
    expect(
      statuses("Summarise the ticket (never add ESCALATE when they threaten to cancel).\n{{input}}", escalate),
    ).toEqual(["contradicted"]);
    expect(statuses("Answer in one word (no explanation).\n{{input}}", labelOnly)).toEqual(["covered"]);
  });
});

describe("a column of terms, one per line", () => {
  const spec = exercise(
    { all_of: [["summary"]] },
    { all_of: [["3"], ["bullets"]], together: true },
    { all_of: [["order number"], ["exactly"]], together: true },
    { all_of: [["ESCALATE"], ["cancel"]], together: true },
  );

  it("reads a column of bare terms as a list of words, whatever its lines' tags", () => {
    const column =
      "summary\nmax 3 bullets\nwants\norder number exactly\nno invented facts\nESCALATE\ncancel\n{{input}}";
    expect(gaming(column, spec)).toBe(true);
  });

  it("reads a column of short orders line by line", () => {
    const orders = "Write a summary\nuse 3 bullets\ncopy the order number exactly\nadd ESCALATE on cancel\n{{input}}";
    expect(gaming(orders, spec)).toBe(false);
    expect(statuses(orders, spec)).toEqual(["covered", "covered", "covered", "covered"]);
  });
});

describe("a fronted phrase scopes the order after it, like a condition", () => {
  const skipTopic = exercise({
    names_only: true,
    all_of: [["SKIP"]],
    broken_by: [{ all_of: [["SKIP"], ["closest topic"]] }],
  });

  it("reads 'For SKIP lines, choose X' as choosing X for SKIP lines", () => {
    for (const p of [
      "Use SKIP for spam. For SKIP lines, choose the closest topic.\n{{input}}",
      "Use SKIP for spam. On SKIP reviews, give the closest topic.\n{{input}}",
      "Use SKIP for spam. For reviews marked SKIP, pick the closest topic.\n{{input}}",
    ])
      expect(statuses(p, skipTopic), p).toEqual(["contradicted"]);
  });

  it("leaves a phrase with its own verb, or an order that is not after it, alone", () => {
    for (const p of [
      "Use SKIP for spam. For each review, choose the closest topic.\n{{input}}",
      "For SKIP lines the topic is other. Choose the closest topic for the rest.\n{{input}}",
    ])
      expect(statuses(p, skipTopic), p).toEqual(["covered"]);
  });
});

describe("a pattern's polarity is that of what it is about, past its lead-in", () => {
  const facts = exercise({
    all_of: [["don't invent", "only what the chat says"]],
    broken_by: [["/(?:^|[.;:]\\s*|\\b(?:and|then|to)\\s+)(?:guess|invent)\\b/im"]],
  });

  it("reads 'and invent no ...' as forbidding, and 'and invent ...' as asking", () => {
    expect(statuses("Record what the chat says and invent no missing details.\n{{input}}", facts)).toEqual(["covered"]);
    expect(statuses("Record what the chat says and invent the missing details.\n{{input}}", facts)).toEqual([
      "contradicted",
    ]);
  });
});

describe("numbers in words match numbers in digits", () => {
  const receipt = exercise({
    all_of: [["75"], ["over", "more than"], ["no receipt", "lacks a receipt"]],
    together: true,
  });
  const limit = exercise({ all_of: [["eight words"]] });

  it("finds 75 in 'seventy-five' and 'seventy five', and 'eight words' in '8 words'", () => {
    const hyphen = "Flag any line that costs more than seventy-five pounds and lacks a receipt.\n{{input}}";
    expect(statuses(hyphen, receipt)).toEqual(["covered"]);
    expect(statuses("Flag lines over seventy five pounds with no receipt.\n{{input}}", receipt)).toEqual(["covered"]);
    expect(statuses("Keep each subject line to 8 words.\n{{input}}", limit)).toEqual(["covered"]);
  });

  it("does not read another number as the one asked for", () => {
    expect(statuses("Flag lines over seventy pounds with no receipt.\n{{input}}", receipt)).toEqual(["missing"]);
    expect(statuses("Flag lines over seventy-six pounds with no receipt.\n{{input}}", receipt)).toEqual(["missing"]);
    expect(statuses("Keep each subject line to 9 words.\n{{input}}", limit)).toEqual(["missing"]);
  });
});

describe("an item that opens with its own label defines that label alone", () => {
  const hazard = exercise({ all_of: [["SAFETY"], ["hurt", "injury"], ["risk", "hazard"]] });

  it("does not read a negation in another label's item as reversing the definition", () => {
    const prompt = "Reply with one word:\n- SAFETY: someone was hurt, or a fire risk\n- OK: no such risk\n{{input}}";
    expect(statuses(prompt, hazard)).toEqual(["covered"]);
  });

  it("still reads a negation in the label's own item, or in an unlabelled sibling, as reversing it", () => {
    const own = "Reply with one word:\n- SAFETY: someone was hurt, never a mere risk\n- OK: anything else\n{{input}}";
    expect(statuses(own, hazard)).toEqual(["contradicted"]);
    const sibling = "Answer SAFETY when:\n- someone was hurt\n- not when there is only a risk\n{{input}}";
    expect(statuses(sibling, hazard)).toEqual(["contradicted"]);
  });
});

describe("keys with their closed sets of values are notation", () => {
  const values = exercise(
    { all_of: [["damaged"], ["missing"], ["late"]] },
    { all_of: [["refund"], ["replacement"], ["info"]] },
    { all_of: [["json"]] },
  );

  it("reads 'issue: a/b/c; wants: x/y/z' as the values each key may take", () => {
    const prompt =
      "Reply with a JSON object.\nissue: damaged/missing/late/other; wants: refund/replacement/info/other.\n{{input}}";
    expect(statuses(prompt, values)).toEqual(["covered", "covered", "covered"]);
    expect(gaming(prompt, values)).toBe(false);
  });

  it("still reads the same values without keys as a list of words", () => {
    const list = "json damaged missing late other refund replacement info other\n{{input}}";
    expect(gaming(list, values)).toBe(true);
  });
});

describe("limits said in other words meet an author's 'at most N' pattern (limit-idioms.ts)", () => {
  const words = exercise({
    all_of: [["/(?:\\b(?:at most|max(?:imum)?|no more than)|≤)\\s*(?:[1-9]|eight)\\s*words?\\b/i"]],
  });
  const sentences = exercise({ all_of: [["/\\b(?:one|two|1|2)[\\s-]+sentences?\\b/i"]] });

  it("reads a negated going-beyond, a labelled maximum and 'a couple of' as the limit", () => {
    for (const prompt of [
      "No line exceeds eight words.",
      "Never more than 8 words per line.",
      "Lines must not exceed 8 words.",
      "Each line: doesn't go over 8 words.",
      "MAX: 8 words each",
    ])
      expect(statuses(`${prompt}\n{{input}}`, words), prompt).toEqual(["covered"]);
    expect(statuses("A couple of sentences at most.\n{{input}}", sentences)).toEqual(["covered"]);
  });

  it("leaves a going-beyond that is allowed, a minimum and a bare condition alone", () => {
    for (const prompt of [
      "Lines may exceed 8 words.",
      "At least 8 words per line.",
      "If a line exceeds 8 words, fine.",
    ])
      expect(statuses(`${prompt}\n{{input}}`, words), prompt).toEqual(["missing"]);
  });
});
