import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { indexReading, type PhraseIndex } from "./phrases";
import { readPrompt } from "./reading";
import { findRepetition } from "./waste";

const RUN = 8;

/** findRepetition's runs as first written: each run of 8 words keyed by its text. */
function repeatedRunsByText(index: PhraseIndex): string[] {
  const found: string[] = [];
  const words = index.reading.tokens.filter((t) => /[\p{L}\p{N}]/u.test(t.text)).map((t) => t.lower);
  const firstAt = new Map<string, number>();
  let runEnd = -1;
  for (let i = 0; i + RUN <= words.length; i++) {
    const key = words.slice(i, i + RUN).join(" ");
    const first = firstAt.get(key);
    if (first === undefined) {
      firstAt.set(key, i);
      continue;
    }
    if (i - first < RUN || i < runEnd) continue;
    let len = RUN;
    while (i + len < words.length && first + len < i && words[first + len] === words[i + len]) len++;
    const run = words.slice(i, i + len);
    found.push(run.length > 14 ? `${run.slice(0, 14).join(" ")} …` : run.join(" "));
    runEnd = i + len;
  }
  return found;
}

/** The runs findRepetition reports (sentences it reports have fewer than 8 words) and those keyed by text. */
const runsOf = (prompt: string) => {
  const index = indexReading(readPrompt(prompt));
  const found = findRepetition(index).filter((r) => r.split(" ").length >= RUN);
  return { found, expected: repeatedRunsByText(index) };
};

describe("repetition", () => {
  it("reports a passage said twice once, however long (shortened to 14 words), and a short sentence said twice", () => {
    const passage = "Summarise the ticket in three bullets and keep the order number exactly as written";
    const index = indexReading(readPrompt(`${passage}.\nBe brief and clear.\n${passage}.\nBe brief and clear.`));
    expect(findRepetition(index)).toEqual([
      "summarise the ticket in three bullets and keep the order number exactly as written …",
      "be brief and clear",
    ]);
  });

  it("finds the same repeated runs as keying each run by its text", () => {
    // Few distinct words, so runs repeat and overlap often.
    const word = fc.constantFrom("the", "ticket", "order", "number", "keep", "add", "reply", "bullets", "Never");
    const sep = fc.constantFrom(" ", " ", " ", ". ", "\n", ", ");
    fc.assert(
      fc.property(fc.array(fc.tuple(word, sep), { minLength: 8, maxLength: 120 }), (parts) => {
        const { found, expected } = runsOf(parts.map(([w, s]) => w + s).join(""));
        expect(found).toEqual(expected);
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
