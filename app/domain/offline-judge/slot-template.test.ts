import { describe, expect, it } from "vitest";
import { exerciseBySlug, mustFailures } from "../../../test/support/judge-exercise";
import { readPrompt } from "./reading";
import { declaredShape, otherLineShape, templateLines } from "./slot-template";

const MISSING_DATE = "none when there is no due date.";
const MISSING_OWNER = "none when there is no owner.";

const fewShot = (template: string) =>
  [
    "Fill this skeleton from the notes line and print only the filled line:",
    template,
    "Convert relative dates (by Friday, next week) to a calendar date counted from the meeting date at the top of the notes.",
    "",
    "Meeting 2025-03-04 (Tuesday). Tom will draft the hiring plan by end of month.",
    "Tom | Draft the hiring plan | 2025-03-31",
    "",
    "Notes: {{input}}",
  ].join("\n");

const rerank = (template: string, rest = "If no clause answers the question, write NONE.") =>
  [
    "{{input}}",
    "",
    "Answer on one line, nothing else:",
    template,
    "Leave out slots rather than fill them with weak clauses. No scores, no comments.",
    rest,
  ].join("\n");

describe("slot template: the lines of slots (slot-template.ts)", () => {
  it("reads a line's slots, its separator and whether it is nothing but slots", () => {
    const [line] = templateLines(readPrompt("Reply:\n<owner or none> | <task> | <YYYY-MM-DD or none>\n"));
    expect(line.slots.map((s) => s.words.map((t) => t.text).join(" "))).toEqual([
      "owner or none",
      "task",
      "YYYY MM DD or none",
    ]);
    expect(line).toMatchObject({ separator: "|", onlySlots: true, opensWithSlot: true, line: 2 });
  });

  it("reads no slot in a comparison or an empty pair of brackets", () => {
    expect(templateLines(readPrompt("Hold if the total > 25,000 and the fee < 6%.\nWrite <> nowhere."))).toEqual([]);
  });

  it("reads the shape a description declares, and none in plain words", () => {
    expect(declaredShape("One line in the shape OWNER | TASK | DUE.")).toEqual({
      fields: ["owner", "task", "due"],
      separator: "|",
    });
    expect(declaredShape("none when there is no due date.")).toBeNull();
  });
});

describe("slot template: a slot in a declared field's place says what that field holds (judge)", () => {
  it("reads '<YYYY-MM-DD or none>' in the DUE place as none for a missing date", () => {
    for (const line of [
      "<owner or none> | <task as a short command> | <YYYY-MM-DD or none>",
      "<owner(s), or none> | <verb-first task> | <YYYY-MM-DD, or none>",
    ]) {
      expect(mustFailures("few-shot-diet", fewShot(line)), line).not.toContain(MISSING_DATE);
      expect(mustFailures("few-shot-diet", fewShot(line)), line).not.toContain(MISSING_OWNER);
    }
  });

  it("still fails a date slot without none, though the owner slot has one", () => {
    for (const line of [
      "<owner or none> | <task as a short command> | <YYYY-MM-DD>",
      "<owner or none> | <task> | <YYYY-MM-DD or your best guess>",
    ])
      expect(mustFailures("few-shot-diet", fewShot(line)), line).toContain(MISSING_DATE);
  });

  it("reads nothing of a slot in another place than the declared field's", () => {
    // Two fields, not the declared three: which slot is DUE is not shown.
    expect(mustFailures("few-shot-diet", fewShot("<owner or none> | <task, YYYY-MM-DD or none>"))).toContain(
      MISSING_DATE,
    );
  });
});

describe("slot template: a template shows the reply's order and count (judge)", () => {
  const FIRST = "The most relevant clause first.";
  const MOST = "At most three clauses.";

  it("reads ranked slots as best first and a line of three slots as at most three", () => {
    for (const line of ["<most relevant id>, <next>, <next>", "<best id>, <second id>, <third id>"]) {
      const failures = mustFailures("rerank-top-three", rerank(line));
      expect(failures, line).not.toContain(FIRST);
      expect(failures, line).not.toContain(MOST);
    }
  });

  it("reads no order from unranked slots, nor from a least-relevant first slot", () => {
    for (const line of ["<id>, <id>, <id>", "<clause id>, <clause id>, <clause id>", "<least relevant id>, <next>"])
      expect(mustFailures("rerank-top-three", rerank(line)), line).toContain(FIRST);
  });

  it("reads no cap from more slots than the task's most, or slots with words around them", () => {
    for (const line of [
      "<best id>, <second id>, <third id>, <fourth id>",
      "<best id>, <second id>, <third id> and any others that fit",
    ])
      expect(mustFailures("rerank-top-three", rerank(line)), line).toContain(MOST);
  });

  it("reads the first slot naming the description's subject as what comes first (bounded output's name)", () => {
    const bounded = (shape: string) =>
      [
        "{{input}}",
        "",
        "Describe this product in this shape, one paragraph, no more than two sentences and 60 words:",
        shape,
        "Use only details given above: no made-up specs. No headings, lists or FAQ. Plain, warm words; no hype.",
      ].join("\n");
    const LEAD = "The product name and its main benefit come first.";
    expect(
      mustFailures("bounded-output", bounded('"<Name> <does its main benefit>. <One further fact>."')),
    ).not.toContain(LEAD);
    expect(mustFailures("bounded-output", bounded('"<A further fact>. <Name> <does its main benefit>."'))).toContain(
      LEAD,
    );
  });
});

describe("slot template: a negation inside a slot ends at its bracket (polarity.ts)", () => {
  const NONE = "NONE when there is no IT question.";
  const normalise = (shape: string) =>
    [
      "Output exactly one line:",
      shape,
      "",
      "Strip greetings, thanks, signatures, emotion, names, emails, employee ids, asset tags, ticket numbers.",
      'Canonical names: VPN (GlobalProtect, "the VPN thing"), MFA (Okta Verify, authenticator, 2FA), Outlook (email).',
      "",
      "{{input}}",
    ].join("\n");

  it("reads the value after a slot holding 'no answer' as affirmed", () => {
    expect(
      mustFailures(
        "normalise-for-semantic-cache",
        normalise("<IT question, ≤12 words, no answer>   or   NONE (if no IT question)"),
      ),
    ).not.toContain(NONE);
  });

  it("still reads a negation outside the slot", () => {
    expect(
      mustFailures(
        "normalise-for-semantic-cache",
        normalise("<IT question, ≤12 words>, never NONE (even if no IT question)"),
      ),
    ).toContain(NONE);
  });
});

describe("otherLineShape: a template line of another shape than the declared one", () => {
  const shape = declaredShape("One line per review, ID;LABEL;TOPIC, in the input order.");
  const other = (prompt: string) => {
    const reading = readPrompt(prompt);
    return otherLineShape(reading, templateLines(reading), shape ? [shape] : [], () => true)?.line.line ?? null;
  };

  it("finds another separator and a field left out", () => {
    expect(other("Reply with one line per review: <id> | <label> | <topic>")).toBe(1);
    expect(other("Reviews come as <id> | <text>.\nReply with one line per review, formatted <label>;<topic>.")).toBe(2);
  });

  it("finds the shape's fields in another order, bracketed or written bare and joined tight", () => {
    expect(other("Reply with one line per review: <id>;<topic>;<label>")).toBe(1);
    expect(
      other("Reviews come as `id | text`.\nReturn one line per review, in the same order, as `id;topic;label`."),
    ).toBe(2);
    expect(other("Return one line per review as id;topic;label.")).toBe(1);
    // The declared order, and fields listed in prose, show no other line.
    expect(other("Return one line per review as `id;label;topic`.")).toBe(null);
    expect(other("Give each line an id; topic and label follow it.")).toBe(null);
  });

  it("keeps the declared line, slots that describe their values, and the input's own shape", () => {
    expect(other("Reply with one line per review: <id>;<label>;<topic>")).toBe(null);
    expect(
      other("Reply with one line per review: <id>;<POS|NEG|MIXED|SKIP>;<delivery|quality|price|service|other>"),
    ).toBe(null);
    expect(other("Reviews come as <id> | <text>, one per line.")).toBe(null);
    expect(
      other("Each line below is a review, written as <id> | <text>. Output one line per review: <id>;<label>;<topic>."),
    ).toBe(null);
  });

  it("fails the exercise's attempt, and keeps its reference", () => {
    const slug = "batch-the-reviews";
    expect(mustFailures(slug, exerciseBySlug(slug).reference_solution)).toBe("");
    expect(
      mustFailures(
        slug,
        exerciseBySlug(slug).reference_solution.replace("<id>;<label>;<topic>", "<id> | <label> | <topic>"),
      ),
    ).toContain("another shape than ID;LABEL;TOPIC");
  });
});
