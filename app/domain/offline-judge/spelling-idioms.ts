import { type LimitWindow, pad, rewrittenLines } from "./limit-idioms";

/**
 * "Exactly as written" said through spelling, rewritten as "as written" for the authors' patterns, which spell the
 * rule "exactly", "verbatim" or "as written":
 *
 *     the party names as the contract spells them      whoever volunteered, spelled identically
 *     names spelt as in the notes                      keep the original spelling of each name
 *
 * Like limit-idioms.ts, the rewrite keeps every character's offset (padded with spaces) and only the lines that
 * change are returned, for patterns to run on again.
 */
const SPELLING = new RegExp(
  [
    // "as the contract spells them", "as they spell it", "as it is spelled", "as spelt in the notes"
    "\\bas\\s+(?:(?:the\\s+)?[a-z]+\\s+)?(?:spells?|spelled|spelt)\\s+(?:it|them)\\b",
    "\\bas\\s+(?:it\\s+is\\s+|they\\s+are\\s+)?(?:spelled|spelt)(?:\\s+(?:in|by)\\s+(?:the\\s+)?[a-z]+)?\\b",
    // "spelled identically", "spelt the same", "spelled exactly as in the notes"
    "\\b(?:spelled|spelt)\\s+(?:identically|the\\s+same(?:\\s+way)?|exactly|unchanged)\\b",
    // "the original spelling", "the same spelling", "identical spelling", "keep the spelling"
    "\\b(?:original|same|identical|exact|unchanged)\\s+spellings?\\b",
    "\\bkeep\\s+(?:the\\s+|their\\s+|its\\s+)?spellings?\\b",
  ].join("|"),
  "gi",
);

/** The lines that say "as written" through spelling, rewritten. */
export function spellingWindows(text: string): LimitWindow[] {
  if (!/spel/i.test(text)) return [];
  // ("as written" is 10 characters: a shorter idiom keeps its own words.)
  return rewrittenLines(text, (line) =>
    line.replace(SPELLING, (m) => (m.length >= 10 ? pad("as written", m.length) : m)),
  );
}
