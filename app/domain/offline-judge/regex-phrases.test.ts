import fc from "fast-check";
import { RE2JS } from "re2js";
import { describe, expect, it } from "vitest";
import { loadContent } from "~/exercises/load.server";
import { compileSafeRegex, compileSafeRegexSet, type SafeMatch, type SafeRegex } from "../safe-regex";
import { compilePhrase, findPhrase, indexReading, prescanRegexPhrases } from "./phrases";
import { readPrompt } from "./reading";

/**
 * Safe regexes ask re2js's DFA whether a match exists before scanning for it on the NFA (safe-regex.ts). That gate
 * must never hide a match: every real pattern of every exercise (requirement phrases, prompt and output checks), on
 * the exercise's prompts and on random texts drawn from the pattern itself, finds exactly what a plain NFA scan finds.
 */

const REGEX_PHRASE = /^\/(.+)\/([a-z]*)$/s;
const BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };

function plainMatcher(rx: SafeRegex, text: string) {
  let bits = 0;
  for (const f of new Set(rx.flags)) bits |= BITS[f] ?? 0;
  return RE2JS.compile(RE2JS.translateRegExp(rx.source), bits).matcher(text);
}

/** The unfiltered scan: every match the NFA finds, left to right (re2js's own iteration). */
function plainFindAll(rx: SafeRegex, text: string): SafeMatch[] {
  const m = plainMatcher(rx, text);
  const out: SafeMatch[] = [];
  while (m.find()) out.push({ index: m.start(), end: m.end(), text: m.group() ?? "" });
  return out;
}

/** The unfiltered search from a position. */
function plainFind(rx: SafeRegex, text: string, from: number): SafeMatch | null {
  const m = plainMatcher(rx, text);
  return m.find(from) ? { index: m.start(), end: m.end(), text: m.group() ?? "" } : null;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** Each exercise's regex phrases, as the judge runs them together (prescanRegexPhrases), with its prompts. */
const phraseSets: { slug: string; regexes: SafeRegex[]; sources: string[]; prompts: string[] }[] = [];
/** Each real pattern once, with the prompts of the exercise it comes from. */
const patterns = new Map<string, { regex: SafeRegex; prompts: string[] }>();
const add = (regex: SafeRegex, prompts: string[]) => {
  const key = `${regex.flags} ${regex.source}`;
  patterns.set(key, { regex, prompts: [...(patterns.get(key)?.prompts ?? []), ...prompts] });
};
for (const { exercise } of loadContent().exercises) {
  const prompts = [exercise.starting_prompt, exercise.reference_solution];
  const own = new Set<SafeRegex>();
  const sources: string[] = [];
  for (const r of exercise.requirements)
    for (const source of strings([r.all_of, r.topic, r.broken_by])) {
      const regex = REGEX_PHRASE.test(source.trim()) ? compilePhrase(source).regex : null;
      if (regex) add(regex, prompts);
      if (regex) own.add(regex);
      if (regex) sources.push(source);
    }
  if (own.size >= 2) phraseSets.push({ slug: exercise.slug, regexes: [...own], sources, prompts });
  for (const check of [...exercise.checks, ...exercise.output_checks])
    if (check.kind === "regex" || check.kind === "not_regex") {
      const compiled = compileSafeRegex(check.value, check.flags);
      if (compiled.ok) add(compiled.regex, prompts);
    }
}

const SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", "\t", ". ", ", ", ";", ":", "- ", "* ", "• ", "1. ", "3 "];
const ODD = [
  "<x>",
  "...",
  "…",
  "'",
  "’",
  '"',
  "n't",
  "{",
  "}",
  "=",
  "/",
  "|",
  "#",
  "🦊",
  "é",
  "\u212A",
  "ſ",
  "İ",
  "\r\n",
];

/** Strings with a match drawn by fast-check, or words of the pattern where fast-check cannot read it ("(?s)"). */
function drawnFrom(rx: SafeRegex): fc.Arbitrary<string> {
  // fast-check's generator has no `\b` and reads `\s` as JavaScript does (Unicode spaces): a space stands for both.
  const source = rx.source.replace(/(?<!\\)\\[bs]/g, " ").replace(/(?<!\\)\\B/g, "");
  try {
    return fc.stringMatching(new RegExp(source, rx.flags.replace(/[^ms]/g, "")));
  } catch {
    return fc.array(fc.constantFrom(...words(rx)), { maxLength: 12 }).map((w) => w.join(" "));
  }
}

function words(rx: SafeRegex): string[] {
  return [...new Set(rx.source.replace(/\\[a-zA-Z]/g, " ").match(/[\p{L}\d]+/gu) ?? ["a"])];
}

/**
 * Texts that hold a match or nearly do: strings drawn from the pattern, their case flipped at random, two of them
 * with noise between, the pattern's words in random order, the exercise's prompts with pieces spliced in. Each is
 * only a candidate: both scans run on it and must agree.
 */
function textsFor(rx: SafeRegex, prompts: string[]) {
  const own = words(rx);
  const piece = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...own) },
    { weight: 6, arbitrary: fc.constantFrom(...SEPARATORS) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD) },
    { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
  );
  const noise = fc.array(piece, { maxLength: 6 }).map((p) => p.join(""));
  const drawn = fc
    .tuple(drawnFrom(rx), fc.array(fc.boolean(), { maxLength: 200 }))
    .map(([t, upper]) => [...t].map((c, k) => (upper[k] ? c.toUpperCase() : c)).join(""));
  return fc.oneof(
    { weight: 4, arbitrary: drawn },
    { weight: 2, arbitrary: fc.tuple(noise, drawn, noise, drawn, noise).map((parts) => parts.join("")) },
    { weight: 1, arbitrary: fc.array(piece, { maxLength: 60 }).map((p) => p.join("")) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...prompts), fc.array(fc.tuple(fc.nat(), noise), { maxLength: 4 }))
        .map(([prompt, cuts]) =>
          cuts.reduce((t, [at, p]) => {
            const k = at % (t.length + 1);
            return `${t.slice(0, k)}${p}${t.slice(k)}`;
          }, prompt),
        ),
    },
  );
}

describe("regex phrases and checks with the DFA gate", () => {
  it("loads real patterns to compare", () => {
    expect(patterns.size).toBeGreaterThan(300);
  });

  it("finds every match a plain scan finds, on the exercise's own prompts and on random texts, from any position", () => {
    let runs = 0;
    let matched = 0;
    let seed = 1;
    for (const { regex, prompts } of patterns.values()) {
      for (const prompt of new Set(prompts))
        expect(regex.findAll(prompt), regex.source).toEqual(plainFindAll(regex, prompt));
      fc.assert(
        fc.property(textsFor(regex, prompts), fc.nat(), (t, at) => {
          const expected = plainFindAll(regex, t);
          runs++;
          if (expected.length > 0) matched++;
          expect(regex.findAll(t)).toEqual(expected);
          expect(regex.test(t)).toBe(expected.length > 0);
          const from = at % (t.length + 1);
          expect(regex.find(t, from)).toEqual(plainFind(regex, t, from));
        }),
        { numRuns: 10, seed: seed++ },
      );
    }
    // Not vacuous: a good share of the texts hold a match, so both sides of the gate are compared.
    expect(matched / runs).toBeGreaterThan(0.5);
  }, 60_000);
});

describe("an exercise's regex phrases searched together in one pass (RE2Set)", () => {
  it("runs for most exercises", () => {
    expect(phraseSets.length).toBeGreaterThan(10);
  });
  // (Each pattern's own search is the gate compared with a plain scan above.)
  it.each(phraseSets.map((p) => [p.slug, p] as const))(
    "%s: says which patterns match exactly where each pattern's own search finds a match",
    async (slug, { regexes, prompts }) => {
      await new Promise((resolve) => setImmediate(resolve));
      const matching = compileSafeRegexSet(regexes);
      expect(matching).not.toBeNull();
      if (!matching) return;
      let matched = 0;
      const agrees = (t: string) => {
        const expected = regexes.flatMap((rx, k) => (rx.test(t) ? [k] : []));
        matched += expected.length;
        expect(matching(t)).toEqual(expected);
      };
      for (const prompt of new Set(prompts)) agrees(prompt);
      // Texts that hold a match of one pattern or nearly do, each read by the whole set.
      let seed = 1;
      for (const rx of regexes) fc.assert(fc.property(textsFor(rx, prompts), agrees), { numRuns: 5, seed: seed++ });
      expect(matched, slug).toBeGreaterThan(0);
    },
    30_000,
  );
});

describe("the prescan of an exercise's regex phrases (one set; a pattern with wide counted repetitions joins it unbounded and runs alone only where that matches)", () => {
  // A pattern the prescan wrongly calls quiet would lose its hits; one it wrongly lets through only costs a scan.
  const withHits = new Set<string>();
  it.each(phraseSets.map((p) => [p.slug, p] as const))(
    "%s: every phrase finds the same hits with the prescan as without it, on short and 4,000-token prompts",
    async (slug, { sources, prompts }) => {
      await new Promise((resolve) => setImmediate(resolve));
      for (const prompt of [...prompts, ...prompts.map((p) => Array(12).fill(p).join("\n"))]) {
        const reading = readPrompt(prompt);
        const plain = indexReading(reading);
        const scanned = indexReading(readPrompt(prompt));
        prescanRegexPhrases(scanned, sources);
        for (const source of sources) {
          const hits = findPhrase(plain, source);
          if (hits.length > 0) withHits.add(slug);
          expect(findPhrase(scanned, source), source).toEqual(hits);
        }
      }
    },
    60_000,
  );
  it("is not vacuous: most exercises' phrases have hits to keep", () => {
    expect(withHits.size).toBeGreaterThan(phraseSets.length / 2);
  });
});
