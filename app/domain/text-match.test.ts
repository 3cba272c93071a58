import { describe, expect, it } from "vitest";
import { cpuGrowth, firstSteepStep } from "../../test/support/cpu-growth";
import { baseForms, containsPhrase, findPhrase, indexText, type TextIndex, withinOneEdit } from "./text-match";

describe("containsPhrase", () => {
  it("matches case-insensitively and only whole words", () => {
    expect(containsPhrase("Return JSON.", "json")).toBe(true);
    expect(containsPhrase("Call jsonify() first", "json")).toBe(false);
    expect(containsPhrase("everything", "very")).toBe(false);
  });

  it("matches plural, -ing and -ed forms in both directions", () => {
    expect(containsPhrase("Add labels to it", "label")).toBe(true);
    expect(containsPhrase("the labelled ticket", "label")).toBe(true);
    expect(containsPhrase("labeling tickets", "labels")).toBe(true);
    expect(containsPhrase("using bullets", "use")).toBe(true);
    expect(containsPhrase("the summarized text", "summarize")).toBe(true);
    expect(containsPhrase("the categories", "category")).toBe(true);
    expect(containsPhrase("the stopped job", "stop")).toBe(true);
    expect(containsPhrase("the customer's order", "customer")).toBe(true);
    expect(containsPhrase("copy it exactly", "exact")).toBe(true);
    expect(containsPhrase("keep it exact", "exactly")).toBe(true);
  });

  it("does not invent a base form from a word that is no inflection", () => {
    expect(containsPhrase("one thing", "the")).toBe(false);
    expect(containsPhrase("a string", "str")).toBe(false);
  });

  it("tolerates one typo in words of 5+ letters", () => {
    expect(containsPhrase("Clasify the ticket", "classify")).toBe(true);
    expect(containsPhrase("Summarise it", "summarize")).toBe(true);
    expect(containsPhrase("three bulets", "bullets")).toBe(true);
    expect(containsPhrase("no bilingual", "billing")).toBe(false);
  });

  it("does not tolerate typos in short words", () => {
    expect(containsPhrase("return jsn", "json")).toBe(false);
    expect(containsPhrase("from the text", "form")).toBe(false);
  });

  it("does not let a substitution turn one real word into another", () => {
    expect(containsPhrase("Use this format", "formal")).toBe(false);
    expect(containsPhrase("a causal link", "casual")).toBe(false);
    expect(containsPhrase("a normal reply", "formal")).toBe(false);
  });

  it("matches multi-word phrases across a hard line wrap but not across a sentence end", () => {
    expect(containsPhrase("copy the order\n  number exactly", "order number")).toBe(true);
    expect(containsPhrase("one-word answer", "one word")).toBe(true);
    expect(containsPhrase("an order. Number them", "order number")).toBe(false);
    expect(containsPhrase("an order\n\nnumber", "order number")).toBe(false);
  });

  it("treats /.../ phrases as case-insensitive regular expressions", () => {
    expect(containsPhrase("At most THREE bullets", "/\\b(3|three)\\b/")).toBe(true);
    expect(containsPhrase("- first\n- second", "/^\\s*-/m")).toBe(true);
    expect(containsPhrase("thirty bullets", "/\\b(3|three)\\b/")).toBe(false);
  });

  it("matches phrases with symbols literally", () => {
    expect(containsPhrase("add a TL;DR line", "tl;dr")).toBe(true);
    expect(containsPhrase("see order #NW-1", "order #")).toBe(true);
    expect(containsPhrase("see order NW-1", "order #")).toBe(false);
  });

  it("never throws on an invalid regular expression phrase", () => {
    expect(containsPhrase("anything", "/([/")).toBe(false);
  });
});

describe("findPhrase", () => {
  it("returns every non-overlapping occurrence with its character span", () => {
    const text = "Label it. Then label it again.";
    const spans = findPhrase(indexText(text), "label it");
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["Label it", "label it"]);
  });

  it("looks a phrase up in the index: its cost does not grow with the prompt (2 KB -> 16 KB)", () => {
    const sentence = "Summarise the customer ticket and keep every order number exactly as written. ";
    const indexes = new Map<number, TextIndex>();
    const find = (n: number) => {
      if (!indexes.has(n)) indexes.set(n, indexText(sentence.repeat(n)));
      return findPhrase(indexes.get(n)!, "escalation procedure");
    };
    // CPU time at 8x the prompt over 1x, same run: about 1 through the index, about 8 when every word is compared.
    expect(cpuGrowth(find, 26, 8)).toBeLessThan(3);
  });
});

describe("withinOneEdit", () => {
  it("accepts one insertion or deletion", () => {
    expect(withinOneEdit("classify", "clasify", false)).toBe(true);
    expect(withinOneEdit("bullet", "bullett", false)).toBe(true);
  });

  it("accepts substitutions and swaps only when allowed", () => {
    expect(withinOneEdit("summarize", "summarise", true)).toBe(true);
    expect(withinOneEdit("summarize", "summarise", false)).toBe(false);
    expect(withinOneEdit("receive", "recieve", true)).toBe(true);
    expect(withinOneEdit("receive", "recieve", false)).toBe(false);
  });

  it("rejects two edits", () => {
    expect(withinOneEdit("classify", "clsify", true)).toBe(false);
    expect(withinOneEdit("abcdef", "badcef", true)).toBe(false);
  });
});

describe("baseForms", () => {
  it("includes the word itself and its plausible bases", () => {
    expect(baseForms("using")).toEqual(expect.arrayContaining(["using", "use"]));
    expect(baseForms("classified")).toContain("classify");
    expect(baseForms("boxes")).toContain("box");
    expect(baseForms("status")).toEqual(["status"]);
  });
});

describe("author patterns run on RE2", () => {
  it("matches a catastrophic pattern against hostile text in linear time", () => {
    const run = (n: number) => expect(findPhrase(indexText(`${"a".repeat(n)}!`), "/^(a+)+$/")).toEqual([]);
    // A backtracking engine's CPU time grows a hundredfold at one doubling of 2 to 256 characters (JavaScript's at
    // 8 to 16); RE2's grows about 8x from 3,750 to 30,000 characters, a quadratic path's about 64x.
    expect(firstSteepStep(run, 2, 256)).toBeNull();
    expect(cpuGrowth(run, 3_750, 8), "3,750 -> 30,000 characters").toBeLessThan(20);
  });

  it("is case-insensitive unless the pattern asks for case with c", () => {
    expect(findPhrase(indexText("reply OK or ok"), "/\\bok\\b/")).toHaveLength(2);
    expect(findPhrase(indexText("reply OK or ok"), "/\\bOK\\b/c")).toHaveLength(1);
  });

  it("matches nothing for a pattern RE2 refuses, instead of throwing", () => {
    expect(findPhrase(indexText("abc abc"), "/(a)\\1/")).toEqual([]);
  });
});

describe("baseForms: British and American spellings", () => {
  it("keeps the forms as written for the reply-size estimate, and meets -ize for the offline judge", async () => {
    const judge = await import("./offline-judge/word-forms");
    expect(baseForms("summarise")).not.toContain("summarize");
    expect(baseForms("summarise", true)).toContain("summarize");
    expect(judge.baseForms("categorised")).toContain("categorized");
    // One implementation of the typo tolerance for both.
    expect(judge.withinOneEdit).toBe(withinOneEdit);
  });
});
