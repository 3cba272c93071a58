import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Tiktoken } from "js-tiktoken/lite";
import cl100k from "js-tiktoken/ranks/cl100k_base";
import o200k from "js-tiktoken/ranks/o200k_base";
import { describe, expect, it } from "vitest";
import { mulberry32, pick, randomInt, realisticPrompt, SPECIAL_TEXT } from "../../bench/tokenizer-node";
import { cpuGrowth } from "../../test/support/cpu-growth";
import { textTokenCount } from "./bpe-count";

const ENCODERS = [
  { name: "o200k_base", enc: new Tiktoken(o200k) },
  { name: "cl100k_base", enc: new Tiktoken(cl100k) },
];

const reference = (enc: Tiktoken, text: string) => enc.encode(text, [], []).length;

/** Every exercise file's text: real prompts, briefs, test inputs (JSON, code, tables, several languages). */
function exerciseTexts(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|md)$/.test(e.name)) out.push(readFileSync(p, "utf8"));
    }
  };
  walk("exercises");
  return out;
}

/** Runs that make one long piece (the quadratic case) or many odd ones, each kept short enough for js-tiktoken. */
const HOSTILE_UNITS = [
  "b",
  "é",
  "中",
  "!",
  " ",
  "\n",
  "\r\n",
  "1",
  "B",
  "aGVsbG8",
  "🦊",
  "\u0301",
  "\ud83e",
  "ab",
  "=+/",
  "\t",
];

describe("bpe-count equals js-tiktoken", () => {
  for (const { name, enc } of ENCODERS) {
    it(`${name}: every exercise file, whole and line by line`, () => {
      for (const text of exerciseTexts()) {
        expect(textTokenCount(enc, text)).toBe(reference(enc, text));
        for (const line of text.split("\n")) expect(textTokenCount(enc, line)).toBe(reference(enc, line));
      }
    });

    it(`${name}: 300 random realistic prompts`, () => {
      const rng = mulberry32(11);
      for (let i = 0; i < 300; i++) {
        const text = realisticPrompt(rng, randomInt(rng, 5, 400), (t) => reference(enc, t));
        expect(textTokenCount(enc, text)).toBe(reference(enc, text));
      }
    });

    it(`${name}: random runs of hostile units, pieces up to 600 characters`, () => {
      const rng = mulberry32(7);
      for (let i = 0; i < 80; i++) {
        let text = "";
        const runs = randomInt(rng, 1, 4);
        for (let r = 0; r < runs; r++) text += pick(rng, HOSTILE_UNITS).repeat(randomInt(rng, 1, 600 / runs));
        if (rng() < 0.3) text += pick(rng, SPECIAL_TEXT);
        expect(textTokenCount(enc, text)).toBe(reference(enc, text));
      }
    });
  }

  it("counts a long run of one character in O(n log n), where js-tiktoken is quadratic (tens of seconds at 19,990)", () => {
    const { enc } = ENCODERS[0];
    for (const unit of ["b", "é", "!", " "]) {
      const count = (n: number) => textTokenCount(enc, unit.repeat(n));
      // CPU time at 8x the run over 1x, same run: about 8-11 for n log n, about 64 for js-tiktoken's quadratic merge
      // (which fails the small step in a few seconds instead of taking minutes on the large one).
      expect(cpuGrowth(count, 312, 8), `${JSON.stringify(unit)}: 312 -> 2,496 characters`).toBeLessThan(24);
      expect(cpuGrowth(count, 2_500, 8), `${JSON.stringify(unit)}: 2,500 -> 20,000 characters`).toBeLessThan(24);
      expect(count(19_990)).toBeGreaterThan(0);
    }
  });
});
