import fc from "fast-check";
import { RE2JS } from "re2js";
import { describe, expect, it } from "vitest";
import { cpuGrowth, firstSteepStep } from "../../test/support/cpu-growth";
import { runPromptChecks } from "./checks";
import type { PromptCheck } from "./exercise";
import {
  compileSafeRegex,
  dfaMatchStart,
  MAX_PATTERN_LENGTH,
  safeRegexError,
  withUnboundedRepeats,
} from "./safe-regex";

function compiled(source: string, flags = "") {
  const c = compileSafeRegex(source, flags);
  if (!c.ok) throw new Error(c.error);
  return c.regex;
}

describe("safe regexes (RE2)", () => {
  it("matches in linear time the patterns that stall a backtracking engine", () => {
    // ^(a+)+$ on 30 characters blocked the server 18.5 s with JavaScript's engine.
    for (const [pattern, unit, tail] of [
      ["^(a+)+$", "a", "!"],
      ["(x+x+)+y", "x", ""],
      ["^(\\w+\\s?)*$", "word ", "!"],
      ["(a|aa)+$", "a", "b"],
    ] as const) {
      const regex = compiled(pattern);
      const test = (n: number) => expect(regex.test(`${unit.repeat(n).slice(0, n)}${tail}`)).toBe(false);
      // CPU time of one call as the text doubles from 2 to 256 characters: a backtracking engine's grows a
      // hundredfold at one of these steps (JavaScript's at 16 to 32 characters); then 2,500 -> 20,000 characters
      // is about 8 when linear and 64 when quadratic.
      expect(firstSteepStep(test, 2, 256), pattern).toBeNull();
      expect(cpuGrowth(test, 2_500, 8), `${pattern}: 2,500 -> 20,000 characters`).toBeLessThan(20);
    }
  });

  it("runs a check with a catastrophic pattern on a learner's prompt in time linear in the prompt", () => {
    const checks: PromptCheck[] = [
      { id: "evil", kind: "regex", label: "evil", value: "^(a+)+$", flags: "i", required: true },
      { id: "evil-not", kind: "not_regex", label: "evil", value: "(.*a){20}$", flags: "", required: true },
    ];
    const run = (n: number) => runPromptChecks(`${"a".repeat(n)}!`, checks, 10);
    expect(firstSteepStep(run, 2, 256)).toBeNull();
    expect(cpuGrowth(run, 2_500, 8), "2,500 -> 20,000 characters").toBeLessThan(20);
    expect(run(19_990).map((r) => r.passed)).toEqual([false, true]);
  });

  it("keeps JavaScript flags and positions: i, m, s; UTF-16 indices after astral characters", () => {
    expect(compiled("^json$", "im").find("x\nJSON\ny")).toEqual({ index: 2, end: 6, text: "JSON" });
    expect(compiled("a.b", "s").test("a\nb")).toBe(true);
    expect(compiled("a.b").test("a\nb")).toBe(false);
    expect(compiled("\\d+", "g").find("é🦊 12")).toEqual({ index: 4, end: 6, text: "12" });
    expect(
      compiled("\\d+")
        .findAll("a1b22c333")
        .map((m) => m.text),
    ).toEqual(["1", "22", "333"]);
    expect(
      compiled("x*")
        .findAll("axxb")
        .map((m) => [m.index, m.end]),
    ).toEqual([
      [0, 0],
      [1, 3],
      [3, 3],
      [4, 4],
    ]);
    expect(compiled("\\u00e9").test("café")).toBe(true);
    expect(compiled("(?<word>ab)c").test("xabc")).toBe(true);
  });

  it("finds the same matches as a plain scan where the DFA's yes/no decides whether to scan", () => {
    // A pattern's context at the position a search resumes from: `\b`, `^` and `$` read the text around it.
    expect(compiled("\\bfoo").find("xfoo foo", 1)).toEqual({ index: 5, end: 8, text: "foo" });
    expect(compiled("^b", "m").find("ab\nb", 1)).toEqual({ index: 3, end: 4, text: "b" });
    expect(compiled("^b").find("ab\nb", 1)).toBeNull();
    expect(compiled("a$").find("a\na", 1)).toEqual({ index: 2, end: 3, text: "a" });
    // Empty matches step over a whole code point, never into the middle of a surrogate pair.
    expect(
      compiled("x*")
        .findAll("🦊x🦊")
        .map((m) => [m.index, m.end]),
    ).toEqual([
      [0, 0],
      [2, 3],
      [3, 3],
      [5, 5],
    ]);
    // Case folding beyond ASCII, as RE2 folds: the Kelvin sign is a K, the long s an s.
    expect(
      compiled("kiss", "i")
        .findAll("\u212Aiſs KISS")
        .map((m) => m.index),
    ).toEqual([0, 5]);
    // No match anywhere: nothing, however long the text.
    expect(compiled("\\b(?:copy|repeat)\\s+the\\s+ticket\\b", "i").findAll("the ticket. ".repeat(2_000))).toEqual([]);
    expect(compiled("ticket$").findAll(`${"the ticket. ".repeat(2_000)}ticket`)).toEqual([
      { index: 24_000, end: 24_006, text: "ticket" },
    ]);
  });

  it("starts the NFA where the leftmost match starts, found on the DFA: the same matches as a plain scan", () => {
    const plain = (source: string, flags: string, text: string, from: number) => {
      let bits = 0;
      for (const f of flags) bits |= f === "i" ? RE2JS.CASE_INSENSITIVE : f === "m" ? RE2JS.MULTILINE : 0;
      const m = RE2JS.compile(RE2JS.translateRegExp(source), bits).matcher(text);
      return m.find(from) ? m.start() : null;
    };
    // A longer match that starts first wins over one that ends first; anchors and word edges read the whole text.
    const cases: [string, string, string][] = [
      ["a[^z]*z|b", "", "xx a b b z b"],
      [
        "[^|\\n]{1,40}\\|[^|\\n]{1,80}\\|\\s*(?:\\d{4}-\\d{2}-\\d{2}|none)\\s*$",
        "m",
        "Text.\nAl | Send it | 2025-03-07\nmore | x |\n none\n",
      ],
      ["\\bper\\s+(?:review|id)\\b", "i", "upper review; per  Review per idx per id"],
      ["^b", "m", "ab\nb\n b"],
      ["^b", "", "b ab"],
      ["a$", "", "a\na a"],
      ["x*", "", "🦊x🦊"],
      ["kiss", "i", "é \u212Aiſs KISS"],
      ["\\Bb+", "", "ab b abbb"],
      ["(?:ab|a)(?:c|bcd)", "", "zz abcd abc"],
    ];
    let onDfa = 0;
    for (const [source, flags, text] of cases)
      for (let from = 0; from <= text.length; from++) {
        const start = dfaMatchStart(source, flags, text, from);
        const expected = plain(source, flags, text, from);
        if (start !== -1) {
          onDfa++;
          expect(start, `${source} from ${from}`).toBe(expected);
        }
        const found = compiled(source, flags).find(text, from);
        expect(found?.index ?? null, `${source} from ${from}`).toBe(expected);
      }
    expect(onDfa).toBeGreaterThan(100);
    // Random texts on a small alphabet, from every position.
    const letters = ["a", "b", "z", " ", "\n", "|", "1", "🦊", "-"];
    fc.assert(
      fc.property(
        fc.constantFrom(...cases.map(([source, flags]) => [source, flags] as const)),
        fc.array(fc.constantFrom(...letters), { maxLength: 40 }),
        ([source, flags], chars) => {
          const text = chars.join("");
          for (let from = 0; from <= text.length; from++) {
            const start = dfaMatchStart(source, flags, text, from);
            if (start !== -1) expect(start).toBe(plain(source, flags, text, from));
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it("finds matches as they are asked for, so a caller that stops early does not scan the rest", () => {
    const every = compiled("[\\s\\S]");
    const text = "word ".repeat(40_000);
    const started = performance.now();
    const firstThree: number[] = [];
    for (const m of every.matches(text)) {
      firstThree.push(m.index);
      if (firstThree.length === 3) break;
    }
    expect(firstThree).toEqual([0, 1, 2]);
    expect(performance.now() - started).toBeLessThan(50);
    expect([...compiled("\\d+").matches("a1b22c333")].map((m) => m.text)).toEqual(["1", "22", "333"]);
  });

  it("refuses what RE2 cannot run, saying why", () => {
    expect(safeRegexError("(?=a)b")).toMatch(/^uses a lookaround \(`\(\?=`\), which RE2 cannot run/);
    expect(safeRegexError("(?<!a)b")).toMatch(/^uses a lookaround/);
    expect(safeRegexError("(a)\\1")).toMatch(/^uses a backreference/);
    expect(safeRegexError("[")).toBe("is not a valid regular expression (missing closing ]: `[`)");
    expect(safeRegexError("(a{1000}){1000}")).toMatch(/invalid repeat count/);
    expect(safeRegexError("x", "q")).toBe('unknown regex flag "q" (use i, m, s)');
    expect(safeRegexError("a".repeat(MAX_PATTERN_LENGTH + 1))).toMatch(/at most 1000/);
    expect(safeRegexError("^(a+)+$")).toBeNull();
  });
});

describe("a pattern with its counted repetitions unbounded (the prescan's stand-in for a wide pattern)", () => {
  it("unbounds each counted repetition and leaves braces that count nothing as they are", () => {
    expect(withUnboundedRepeats(String.raw`\bonly\b[^.;\n]{0,40}\bfacts\b`)).toBe(
      String.raw`\bonly\b[^.;\n]*\bfacts\b`,
    );
    expect(withUnboundedRepeats("a{2}b{3,}c{1,80}?")).toBe("a*b*c*?");
    // Escaped braces, braces in a class, escapes that carry braces and braces that are no count stay.
    expect(withUnboundedRepeats(String.raw`\{1,4\}[{2,3}]\p{L}{2,9}\u{1F600}x{,5}`)).toBe(
      String.raw`\{1,4\}[{2,3}]\p{L}*\u{1F600}x{,5}`,
    );
    // As JavaScript reads a class: "]" at once closes it, an escaped "]" does not.
    expect(withUnboundedRepeats(String.raw`[^]{2}[\]{3}]{4}`)).toBe(String.raw`[^]*[\]{3}]*`);
  });

  it("matches wherever the pattern matches, on random texts of the pattern's own pieces", () => {
    const sources = [
      String.raw`\b(?:only|solely)\b[^.;\n]{0,12}\b(?:facts|sheet)\b`,
      String.raw`[^|\n]{1,10}\|[^|\n]{1,12}\|`,
      String.raw`^(?:\s*-\s+\w{2,11}\n){3}`,
      String.raw`\bSKIP\b[^.\n]{0,10}?\b(?i:topic)\b`,
    ];
    const pieces = ["only", "solely", " ", "facts", "sheet", ".", ";", "\n", "|", "-", "SKIP", "topic", "ab", "x"];
    for (const source of sources) {
      const strict = compiled(source, "im");
      const loose = compiled(withUnboundedRepeats(source), "im");
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
          const text = parts.join("");
          if (strict.test(text)) expect(loose.test(text), `${source} on ${JSON.stringify(text)}`).toBe(true);
        }),
        { numRuns: 400, seed: 7 },
      );
    }
  });
});
