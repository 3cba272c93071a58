import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";
import { declaresClosedList } from "./invented-member";
import { readStatedRules } from "./stated-rules";

/**
 * Leave to coin a member of a closed list. Our own wordings on five exercises whose descriptions declare a closed list
 * (none of them X1–X6's sentences: "a short new snake_case label", "call it by a descriptive name"), and good lines
 * that look alike.
 */

describe("a closed list, as the requirements declare it", () => {
  it("reads the declaration from the description", () => {
    expect(declaresClosedList("Only the listed values, spelled exactly, never a new value.")).toBe(true);
    expect(declaresClosedList("Never uses or suggests a tool that is not in the list.")).toBe(true);
    expect(declaresClosedList("issue is one of damaged, missing, wrong_item, late or other.")).toBe(true);
    expect(declaresClosedList("Answer only from these facts.")).toBe(false);
  });

  it("gives the list to one requirement: the general one, else the first that lists", () => {
    const rules = readStatedRules([
      "product is one of app, web, billing, api, other.",
      "Only the listed values, spelled exactly, never a new value.",
    ]);
    expect(rules.map((r) => r.closed)).toEqual([false, true]);
    expect(readStatedRules(["issue is one of a, b or c.", "wants is one of d, e or f."]).map((r) => r.closed)).toEqual([
      true,
      false,
    ]);
  });
});

describe("a member coined where the list is closed", () => {
  it("fails leave to coin one, in other words, on several exercises", () => {
    const defects: [string, string][] = [
      ["route-to-nano", "If no queue fits, invent a fitting queue name."],
      ["route-to-nano", "When none of the queues match, make up a new label that describes it."],
      ["json-not-prose", "issue: damaged, missing, wrong_item, late, or a custom value if none applies."],
      ["frontier-worth-it", "If none of the causes fits, name a new cause in the same style."],
      ["compact-tool-descriptions", "You may also suggest your own tool when none of the six fits."],
      ["closed-enumerations", "topic: if nothing matches, a new short label in snake_case."],
    ];
    for (const [slug, line] of defects)
      expect(mustFailures(slug, referenceWith(slug, line)), line).toContain("contradicted");
  });

  it("keeps a list closed by a prohibition, a mapping or a new case that is not a member", () => {
    const good: [string, string][] = [
      ["route-to-nano", "Never make up a queue; use other."],
      ["json-not-prose", "Do not create new values."],
      ["frontier-worth-it", "No invented causes."],
      ["compact-tool-descriptions", "Call only the listed tools; no made-up tools."],
      ["closed-enumerations", "If the customer raises a new topic, use other."],
      ["closed-enumerations", "Treat anything new as other."],
      ["meeting-action-items", "owner: their own name as written in the notes."],
      // "its"/"their" own: the key's own list, not a member the model coins.
      ["closed-enumerations", "sentiment and churn_risk always take their own values."],
      ["closed-enumerations", "Each key keeps to its own values."],
    ];
    for (const [slug, line] of good) expect(mustFailures(slug, referenceWith(slug, line)), line).toBe("");
  });

  it("still fails the model's own value, said with 'your own' or 'a ... of your own'", () => {
    for (const line of ["If nothing fits, pick your own value.", "If nothing fits, use a value of your own."])
      expect(mustFailures("closed-enumerations", referenceWith("closed-enumerations", line)), line).not.toBe("");
  });
});
