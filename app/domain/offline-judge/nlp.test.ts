import { describe, expect, it } from "vitest";
import { cpuGrowth } from "../../../test/support/cpu-growth";
import {
  guardedTokenPatterns,
  isAbbrev,
  LEXICON_GROWTH,
  lexiconGrowth,
  NATIVE_LONGEST,
  NEEDS_LITERAL,
  needingLiteral,
  readEnglish,
} from "./nlp";

describe("wink-nlp's URL and e-mail patterns: at once where their literal is absent, on RE2 past a short run", () => {
  it("guards both patterns of the shipped model, as the tokenizer runs them and anchored as its detectors do", () => {
    expect(guardedTokenPatterns()).toBe(4);
  });

  it("match and split as the plain patterns do: short and long runs, with the literal and without", () => {
    const units = [
      ..."Email a.b@example.com or see https://x.org/a?b=1 now. Write to support@acme.io, //docs.acme.io/v2. user@host @mention #tag ftp://files.example.org:8080/x a.b.c.d-e-f/g/h 1/2/3 x@y@z http:/not-a-url mailto:someone@example.co.uk! A.B.C. e.g. 3pm $5.".split(
        " ",
      ),
      "",
      "aB3+/".repeat(40),
      `${"a.".repeat(50)}@x.com`,
      `${"http://".repeat(3)}${"x".repeat(60)}.com`,
      // Past NATIVE_LONGEST, read on RE2: matches inside, at the ends, several, none.
      `https://docs.example.com/${"a/".repeat(200)}?q=1`,
      `${"x".repeat(300)}https://a.io/b,mail:${"y".repeat(40)}@example.co.uk;${"z".repeat(300)}`,
      `${"//a.io/".repeat(60)}`,
      `${"k".repeat(400)}@${"m".repeat(400)}.org`,
      `${"u@v.io,".repeat(80)}`,
      `http://${"a".repeat(3_000)}`,
      `${"a".repeat(3_000)}@b`,
      `see(https://x.org/${"p".repeat(300)}).`,
    ];
    for (const [source, literal] of NEEDS_LITERAL) {
      const plain = new RegExp(source, "gi");
      const guarded = needingLiteral(new RegExp(source, "gi"), literal);
      for (const unit of units) {
        expect(unit.match(guarded), unit.slice(0, 40)).toEqual(unit.match(plain));
        expect(unit.split(guarded), unit.slice(0, 40)).toEqual(unit.split(plain));
        expect(unit.split(guarded, 2)).toEqual(unit.split(plain, 2));
      }
      const anchored = new RegExp(`^${source}$`, "i");
      const guardedAnchored = needingLiteral(new RegExp(`^${source}$`, "i"), literal);
      for (const unit of [...units, ...units.flatMap((u) => u.match(plain) ?? [])]) {
        expect(guardedAnchored.test(unit), unit.slice(0, 40)).toBe(anchored.test(unit));
        expect(guardedAnchored.exec(unit)?.[0]).toEqual(anchored.exec(unit)?.[0]);
      }
    }
    expect(units.filter((u) => u.length > NATIVE_LONGEST)).toHaveLength(8);
  });

  it("keeps wink-nlp's tokens for addresses and links, long ones too", () => {
    const long = `https://example.com/${"a".repeat(400)}`;
    const text = `Email a.b@example.com or see https://x.org/a?b=1 now, or ${long} too.`;
    expect(readEnglish(text).tokens.map((t) => t.text)).toEqual([
      "Email",
      "a.b@example.com",
      "or",
      "see",
      "https://x.org/a?b=1",
      "now",
      ",",
      "or",
      long,
      "too",
      ".",
    ]);
  });
});

describe("wink-nlp's isAbbrev feature, in one pass", () => {
  it("answers as the model's /[a-z].*\\.$/i does", () => {
    const words = [
      "",
      ".",
      "a.",
      "A.",
      "e.g.",
      "1.",
      "1a.",
      "a1.",
      "a",
      "abc",
      "...",
      "é.",
      "a\n.",
      "a\nb.",
      "a\r.",
      "a\u2028.",
      "a\u2029b.",
      "a.b",
      "Z.",
      "-a-.",
      "ſ.",
      "K.",
    ];
    for (const w of words) expect(isAbbrev(w), JSON.stringify(w)).toBe(/[a-z].*\.$/i.test(w) ? 1 : 0);
  });
});

describe("reading hostile text in time linear in its length (fresh text each call: wink-nlp caches a word it has met)", () => {
  // Up to MAX_PROMPT_CHARS (20,000 by default), each call on words the engine has not met. Linear gives ~4 for a 4x
  // run, quadratic ~16; before these fixes the growth was 14-17 on each of the three runs below.
  let fresh = 0;
  const unique = () => (fresh++).toString(26).replace(/\d/g, (d) => "qrstuvwxyz"[Number(d)]);
  const runs: Record<string, (n: number) => string> = {
    "one unspaced run of letters": (n) => `${unique()}${"aB3xYz9q".repeat(n / 8)}`.slice(0, n),
    "a run with '@'": (n) => `${unique()}@${"b".repeat(n)}`.slice(0, n),
    "runs of a link just past the native limit": (n) =>
      Array.from({ length: Math.ceil(n / 300) }, () => `http://${unique()}${"a".repeat(290)}`)
        .join(" ")
        .slice(0, n),
    "runs of a link just under it": (n) =>
      Array.from(
        { length: Math.ceil(n / NATIVE_LONGEST) },
        () => `http://${unique()}${"a".repeat(NATIVE_LONGEST - 16)}`,
      )
        .join(" ")
        .slice(0, n),
    "one long link": (n) => `http://${unique()}${"a".repeat(n)}`.slice(0, n),
  };
  for (const [name, run] of Object.entries(runs))
    it(name, () => {
      expect(cpuGrowth((n) => readEnglish(run(n)), 5_000, 4)).toBeLessThan(8);
    });
  it("joins a dotted identifier ('a.b.c…') in time linear in its parts (2,000 -> 8,000 parts, ~16,000 -> 64,000 characters)", () => {
    // Parts that are no abbreviation ("rs." would be one), so the whole run is one identifier.
    const identifier = (parts: number) => Array.from({ length: parts }, () => `ab${unique()}cd`).join(".");
    expect(cpuGrowth((parts) => readEnglish(`See ${identifier(parts)} now.`), 2_000, 4)).toBeLessThan(8);
  });
  it("joins a 10,000-part identifier ('a.b.c…') without re-reading it at each part", () => {
    const parts = Array.from({ length: 10_000 }, () => `ab${unique()}cd`);
    const tokens = readEnglish(`See ${parts.join(".")} now.`).tokens;
    expect(tokens.map((t) => t.text)).toEqual(["See", parts.join("."), "now", "."]);
    expect(tokens[1]).toMatchObject({ pos: "X", lower: parts.join(".").toLowerCase() });
  });
});

describe("wink-nlp's lexicon, bounded", () => {
  it("reloads the model once unseen words have grown its lexicon past LEXICON_GROWTH, with the same reading", () => {
    const sample = "Reply with one word: OK or SAFETY. Never guess; see https://x.org/a.";
    const before = readEnglish(sample);
    // Words no other test reads ("lex" and a count), so each is new to the lexicon whatever ran before.
    let seen = 0;
    const word = () => `lex${(seen++).toString(26).replace(/\d/g, (d) => "qrstuvwxyz"[Number(d)])}`;
    let peak = 0;
    let reloads = 0;
    let last = lexiconGrowth();
    while (seen < LEXICON_GROWTH + 20_000) {
      readEnglish(Array.from({ length: 10_000 }, word).join(" "));
      const growth = lexiconGrowth();
      peak = Math.max(peak, growth);
      if (growth < last) reloads++;
      last = growth;
    }
    readEnglish(sample);
    if (lexiconGrowth() < last) reloads++;
    expect(peak).toBeGreaterThan(LEXICON_GROWTH);
    expect(peak).toBeLessThan(LEXICON_GROWTH + 25_000);
    expect(reloads).toBeGreaterThanOrEqual(1);
    expect(lexiconGrowth()).toBeLessThanOrEqual(LEXICON_GROWTH);
    expect(readEnglish(sample)).toEqual(before);
    expect(guardedTokenPatterns()).toBe(4);
  });
});
