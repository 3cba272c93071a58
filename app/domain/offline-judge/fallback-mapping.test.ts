import { describe, expect, it } from "vitest";
import { exerciseBySlug, mustFailures } from "../../../test/support/judge-exercise";
import { fallbackSlot } from "./fallback-mapping";

const route = (line: string) =>
  [
    "Classify the support ticket into exactly one label: billing, bug, account, feature_request, other.",
    "Refunds, invoices, charges → billing. Login, password, 2FA → account. Errors, crashes → bug. New ideas → feature_request.",
    line,
    "Reply with the label only.",
    "",
    "Ticket: {{input}}",
  ].join("\n");

const FALLBACK = "other when nothing else fits.";

describe("fallback mapping: the fallback slot the exercise declares (fallback-mapping.ts)", () => {
  it("finds the value and its negative situation in the requirements that declare them", () => {
    const slot = (slug: string, id: string) => {
      const e = exerciseBySlug(slug);
      const req = e.requirements.find((r) => r.id === id);
      if (!req) throw new Error(`no requirement ${id}`);
      return fallbackSlot(req, e.task);
    };
    expect(slot("route-to-nano", "fallback")).toEqual({ value: 0, situation: 1 });
    expect(slot("closed-enumerations", "other-fallback")).toEqual({ value: 0, situation: 1 });
    expect(slot("rerank-top-three", "none")).toEqual({ value: 0, situation: 1 });
    // A requirement with no fallback value: nothing to read.
    expect(slot("route-to-nano", "label-set")).toBeNull();
  });
});

describe("fallback mapping: a negative situation mapped to the fallback value covers it (judge)", () => {
  it("fails the prompt without a fallback rule", () => {
    expect(mustFailures("route-to-nano", route(""))).toContain(FALLBACK);
  });

  it("reads five wordings of the situation in notation as the fallback", () => {
    for (const line of [
      "Matches none → other.",
      "Can't place it → other.",
      "No fit: other.",
      "Unclassifiable ticket = other.",
      "Not one of the four -> other.",
    ])
      expect(mustFailures("route-to-nano", route(line)), line).toBe("");
  });

  it("still fails another value, a positive situation or the value refused", () => {
    for (const line of ["Matches none → billing.", "Refund requests → other.", "Can't place it → never other."])
      expect(mustFailures("route-to-nano", route(line)), line).toContain(FALLBACK);
  });

  it("reads the same shape on other exercises' fallbacks (rerank's NONE, closed enumerations' other)", () => {
    const rerank = [
      "Return the ids of the clauses most relevant to the question, best first, at most three, e.g. C4, C9, C1.",
      "Fewer if fewer are relevant. No relevant clause at all: NONE.",
      "Reply with the ids only, comma-separated: no scores, no explanations.",
      "",
      "{{input}}",
    ].join("\n");
    expect(mustFailures("rerank-top-three", rerank)).toBe("");
    expect(mustFailures("rerank-top-three", rerank.replace(": NONE", ": C1"))).toContain("NONE when no clause");
    const closed = [
      "Tag the support ticket. Reply with JSON only:",
      '{"product": "app"|"web"|"billing"|"api"|"other", "topic": "bug"|"how_to"|"feature_request"|"account"|"complaint"|"other", "sentiment": "negative"|"neutral"|"positive", "churn_risk": true|false}',
      "Use only these values, exactly as written; unmatched product/topic = other.",
      "churn_risk is true only if the customer says they will cancel, leave or switch.",
      "",
      "Ticket:",
      "{{input}}",
    ].join("\n");
    expect(mustFailures("closed-enumerations", closed)).toBe("");
    expect(
      mustFailures("closed-enumerations", closed.replace("unmatched product/topic", "matched product/topic")),
    ).toContain("other when nothing fits");
  });
});

describe("fallback mapping: a fixed reply the reference solution quotes, given by an order after the sign (judge)", () => {
  const NOT_IN = 'Replies "Not in the excerpts." when the excerpts do not answer the question.';
  const cite = (line: string) =>
    [
      "LENGTH: max 2 sentences.",
      "SOURCE: the excerpts only; no outside knowledge, no estimates.",
      "CITE: label after every figure/claim, e.g. [E2]. Never quote or copy excerpt text.",
      "FIGURES: exactly as given, with unit and period.",
      line,
      "{{input}}",
    ].join("\n");

  it("finds the fixed reply as the value of the not-answered rule", () => {
    const e = exerciseBySlug("cite-dont-quote");
    const req = e.requirements.find((r) => r.id === "not-in-excerpts");
    if (!req) throw new Error("no requirement not-in-excerpts");
    expect(fallbackSlot(req, e.task)).toBeNull();
    expect(fallbackSlot(req, e.task, ["Not in the excerpts."])).toEqual({ value: 0, situation: 1 });
  });

  it("reads a negative or absent situation mapped to the reply, through an order to give it", () => {
    for (const line of [
      'NONE: reply "Not in the excerpts."',
      'None relevant: reply "Not in the excerpts."',
      'Excerpts silent on the question → exactly "Not in the excerpts."',
      'No answer: write exactly "Not in the excerpts."',
    ])
      expect(mustFailures("cite-dont-quote", cite(line)), line).not.toContain(NOT_IN);
  });

  it("still fails the reply refused, given for a positive situation, or after a longer order", () => {
    for (const line of [
      'NONE: never reply "Not in the excerpts."',
      'Partly covered: reply "Not in the excerpts."',
      'NONE: think it over and then reply "Not in the excerpts."',
    ])
      expect(mustFailures("cite-dont-quote", cite(line)), line).toContain(NOT_IN);
  });
});
