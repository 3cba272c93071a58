import { describe, expect, it } from "vitest";
import { cpuGrowth } from "../../../test/support/cpu-growth";
import { guardedTokenPatterns, NEEDS_LITERAL, needingLiteral, readEnglish } from "./nlp";

describe("wink-nlp's URL and e-mail patterns, answered at once where their literal is absent or the run is too long", () => {
  it("guards both patterns of the shipped model", () => {
    expect(guardedTokenPatterns()).toBe(2);
  });

  it("match and split as the plain patterns do, with the literal and without", () => {
    const units = [
      ..."Email a.b@example.com or see https://x.org/a?b=1 now. Write to support@acme.io, //docs.acme.io/v2. user@host @mention #tag ftp://files.example.org:8080/x a.b.c.d-e-f/g/h 1/2/3 x@y@z http:/not-a-url mailto:someone@example.co.uk! A.B.C. e.g. 3pm $5.".split(
        " ",
      ),
      "",
      "aB3+/".repeat(40),
      `${"a.".repeat(50)}@x.com`,
      `${"http://".repeat(3)}${"x".repeat(60)}.com`,
    ];
    for (const [source, need] of NEEDS_LITERAL) {
      const plain = new RegExp(source, "gi");
      const guarded = needingLiteral(new RegExp(source, "gi"), need);
      for (const unit of units) {
        expect(unit.match(guarded)).toEqual(unit.match(plain));
        expect(unit.split(guarded)).toEqual(unit.split(plain));
      }
    }
  });

  it("keeps wink-nlp's tokens for addresses and links", () => {
    const text = "Email a.b@example.com or see https://x.org/a?b=1 now.";
    expect(readEnglish(text).tokens.map((t) => t.text)).toEqual([
      "Email",
      "a.b@example.com",
      "or",
      "see",
      "https://x.org/a?b=1",
      "now",
      ".",
    ]);
  });

  it("reads a run longer than any address or link as no address and no link", () => {
    const long = (literal: string) => `${literal}${"x".repeat(3_000)}.com`;
    for (const [source, need] of NEEDS_LITERAL) {
      const guarded = needingLiteral(new RegExp(source, "gi"), need);
      const atLimit = `${need.literal}${"x".repeat(need.longest - need.literal.length - 4)}.com`;
      expect(atLimit.length).toBe(need.longest);
      expect(atLimit.match(guarded)).toEqual(atLimit.match(new RegExp(source, "gi")));
      expect(long(need.literal).match(guarded)).toBeNull();
      expect(long(need.literal).split(guarded)).toEqual([long(need.literal)]);
    }
  });

  it("reads a long unspaced run with a link's or an address's literal in time linear in its length", () => {
    // (Guarded by the literal alone: ~1.8 s for "http://" and 16,000 letters, four times as long for twice the run.)
    for (const literal of ["http://", "@"]) {
      const run = (n: number) => `${literal}${"aB3xYz9q".repeat(Math.ceil(n / 8)).slice(0, n)}`;
      expect(cpuGrowth((n) => readEnglish(run(n)), 2_000, 4)).toBeLessThan(8);
    }
  });

  it("reads a long unspaced run in time linear in its length", () => {
    const run = (n: number) => "aB3+/xYz9".repeat(Math.ceil(n / 9)).slice(0, n);
    // (Unguarded: ~1 s for a 16,000-character run, four times as long for twice the run.)
    expect(cpuGrowth((n) => readEnglish(run(n)), 2_000, 4)).toBeLessThan(8);
  });
});
