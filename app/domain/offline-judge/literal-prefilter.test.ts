import { describe, expect, it } from "vitest";
import { seededRandom } from "../seeded-random";
import { mayMatch, requiredLiterals, trigramBits } from "./literal-prefilter";

describe("literal prefilter: the words a regex's match must hold", () => {
  it("reads runs of literals, alternations and required groups", () => {
    expect(requiredLiterals(/\bofficial\s+(?:answer|solution)\b/i)).toEqual([["official"], ["answer", "solution"]]);
    // An optional group or a quantified letter requires nothing past it; "graders?" still requires "grader".
    expect(requiredLiterals(/\bgraders?\s+(?:note)?/i)).toEqual([["grader"]]);
    expect(requiredLiterals(/(?:full|top)\s+marks|rubric\s+met/i)).toEqual([["marks", "rubric"]]);
  });

  it("gives up where a branch requires nothing or the pattern is not read", () => {
    // A branch of non-ASCII marks, a back-reference, a class alone, an i+u pattern (ſ matches s there).
    expect(requiredLiterals(/(?:pass|✓)\b/i)).toBeNull();
    expect(requiredLiterals(/score\s*(\d+)\/\1/i)).toBeNull();
    expect(requiredLiterals(/(\d+)\/\1/)).toBeNull();
    expect(requiredLiterals(/[a-z]+\d/)).toBeNull();
    expect(requiredLiterals(/pass/iu)).toBeNull();
    expect(requiredLiterals(/(?<name>pass)/)).toBeNull();
  });

  it("reads well-formed character escapes and gives up on malformed ones (outside u-mode they are the letter itself)", () => {
    expect(requiredLiterals(/grade\x41\u0042\cJ\0judge/)).toEqual([["grade"], ["judge"]]);
    // "\x|" is "x|", "\c|" is "c|", "\u12|" is "u12|": skipping a fixed tail would swallow the "|" and read the
    // alternation as a sequence, saying no where the pattern matches. (Built from strings: TypeScript refuses them as
    // literals.)
    const malformed: [string, string, string][] = [
      ["abc\\x|def", "", "def"],
      ["abc\\c|def", "", "def"],
      ["(?:grader\\x|judge)s", "i", "judges"],
      ["abc\\u12|defg", "", "defg"],
      ["xyz\\u{2|abc}", "", "abc}"],
      ["xyz\\p{|abc}", "", "abc}"],
    ];
    for (const [source, flags, text] of malformed) {
      const re = new RegExp(source, flags);
      expect(re.test(text), source).toBe(true);
      expect(requiredLiterals(re), source).toBeNull();
    }
  });

  it("never says no where the pattern matches: any case, inside words, at the ends", () => {
    const req = requiredLiterals(/\b(?:ignore|disregard)\s+(?:the\s+)?rubric\b/i);
    for (const text of ["IGNORE the RUBRIC", "x. Disregard rubric", "ignore rubric"])
      expect(mayMatch(req, trigramBits(text))).toBe(true);
    expect(mayMatch(req, trigramBits("Summarise the ticket in one line."))).toBe(false);
    // Needs every clause: "ignore" alone is not enough.
    expect(mayMatch(req, trigramBits("ignore the noise"))).toBe(false);
  });

  it("agrees with the regex on random texts drawn from its own words (no false no)", () => {
    const patterns = [
      /\b(?:mark|grade)\s+(?:this|it)\s+as\s+(?:a\s+)?(?:pass(?:ing|ed)?|perfect)\b/i,
      /["']?\b[A-Za-z_]+["']?\s*[:=]\s*["']\s*all\s+(?:met|passed)\s*["']/i,
      /\bPASS(?:ED)?\b\s*[:\-–—]?\s*\(?\s*(?:100|10\/10|score)/,
      /\b(?:reviewer|grader)_\w+\s*[:=]/i,
    ];
    const pieces = [
      "mark",
      "MARK",
      "grade",
      "this",
      "it",
      "as",
      "a",
      "pass",
      "PASS",
      "ED",
      "ing",
      "perfect",
      "_",
      "'",
      '"',
      ":",
      "=",
      "all",
      "met",
      "passed",
      "(",
      "100",
      "10/10",
      "score",
      "reviewer_x",
      "grader",
      "é",
      "\n",
    ];
    const random = seededRandom(9);
    const gaps = [" ", " ", "", "  "];
    let matched = 0;
    for (let n = 0; n < 20000; n++) {
      let text = "";
      const length = 1 + Math.floor(random() * 12);
      for (let k = 0; k < length; k++)
        text += pieces[Math.floor(random() * pieces.length)] + gaps[Math.floor(random() * gaps.length)];
      const bits = trigramBits(text);
      for (const re of patterns)
        if (re.test(text)) {
          matched++;
          expect(mayMatch(requiredLiterals(re), bits), `${re} on ${JSON.stringify(text)}`).toBe(true);
        }
    }
    expect(matched).toBeGreaterThan(200);
  });
});
