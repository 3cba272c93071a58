/**
 * Limits said in other words, rewritten as "at most" for the authors' patterns, which spell a limit as "at most N",
 * "max N" or "no more than N":
 *
 *     No line exceeds eight words.   Never more than 5 items.   The reply must not exceed 60 words.
 *     MAX: 5 items                   Limit = 3 bullets           A couple of sentences at most.
 *
 * The rewrite keeps every character's offset (the idiom is replaced by its canonical form padded with spaces), so a
 * pattern's match still maps onto the words the learner wrote. It only runs before a number, where the idiom can
 * only be a limit.
 */

const NUMBER =
  "(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a\\s+hundred)\\b";

/** "no line exceeds", "never more than", "must not go over", "doesn't exceed": a negated going-beyond. */
const NEGATED_EXCEED = new RegExp(
  "\\b(?:(?:no|none\\s+of\\s+the)\\s+(?:[a-z]+\\s+){0,2}(?:exceeds?|goes\\s+over|runs\\s+over|(?:is|are|runs?)\\s+longer\\s+than|has\\s+more\\s+than)" +
    "|never\\s+(?:exceeds?|goes\\s+over|(?:be\\s+|is\\s+|are\\s+)?(?:more|longer)\\s+than|over)" +
    "|(?:does\\s+not|doesn't|do\\s+not|don't|must\\s+not|mustn't|should\\s+not|shouldn't|cannot|can't|may\\s+not|will\\s+not|won't)\\s+(?:exceed|go\\s+over|run\\s+over|be\\s+(?:more|longer)\\s+than|have\\s+more\\s+than|use\\s+more\\s+than)" +
    "|not\\s+(?:more|longer)\\s+than" +
    // "three subject lines, none longer than eight words", "none over eight words": none of them goes beyond.
    "|none\\s+(?:(?:is|are)\\s+)?(?:longer\\s+than|more\\s+than|over|above|exceeding|beyond))" +
    `(?=\\s*${NUMBER})`,
  "gi",
);
/** "MAX: 5", "Limit = 3", "cap - 60": a limit's label before its number. */
const LABELLED = new RegExp(`\\b(?:max(?:imum)?|limit|cap)\\s*[:=–-]\\s*(?=${NUMBER})`, "gi");
/** "a three-sentence cap", "an 80-word limit", "a 60-word maximum": a limit written as a compound of its number and unit. */
const COMPOUND = new RegExp(
  `\\b(?:an?\\s+)?(${NUMBER.replace("\\b", "")})-(word|sentence|line|bullet|item|character|token|entr(?:y|ie))s?[\\s-]+(?:cap|limit|maximum|max|ceiling)\\b`,
  "gi",
);
/** "a couple of sentences": two. */
const COUPLE = /\ba\s+couple\s+of(?=\s+[a-z])/gi;
/** A count said with a collective noun, as English says numbers: "a pair of sentences", "a trio of lines", "a dozen words". */
const COLLECTIVE = /\ba\s+(pair|trio|dozen)(?:\s+of)?(?=\s+[a-z])/gi;
const COLLECTIVE_VALUE: Record<string, string> = { pair: "two", trio: "three", dozen: "twelve" };
/**
 * A bound said with a noun or participle for a ceiling before its number: "capped at 8 words", "a cap of 80 words",
 * "a ceiling of five", "no longer than eighty words". ("shorter than nine words" is read as "fewer than", which the
 * authors' patterns read with its own figure.)
 */
const NOUN_CEILING = new RegExp(
  `\\b(?:capped\\s+at|(?:an?\\s+|the\\s+)?(?:cap|ceiling|limit|maximum)\\s+of|no\\s+(?:more|longer)\\s+than)\\s+(?=${NUMBER})`,
  "gi",
);
const SHORTER_THAN = new RegExp(`\\bshorter\\s+than(?=\\s+${NUMBER})`, "gi");
/**
 * A ceiling said after its number: "five entries tops", "three being the ceiling", "8 words is the max", "three at the
 * very most". The word
 * after the figure and its unit ("tops", "the ceiling") becomes "max", which the authors' patterns read after a number.
 */
const TRAILING_CEILING = new RegExp(
  `(\\b${NUMBER}(?:\\s+[a-z][a-z-]*)?\\s*,?\\s+)(tops|at\\s+the\\s+(?:very\\s+)?most|(?:being|is|as)\\s+the\\s+(?:ceiling|cap|limit|maximum|max))\\b`,
  "gi",
);

/** `canonical` padded with spaces to `length`, so a rewrite keeps every later character's offset. */
export const pad = (canonical: string, length: number) =>
  canonical + " ".repeat(Math.max(0, length - canonical.length));

/** A line of the text with its limits rewritten, and where it starts. */
export interface LimitWindow {
  start: number;
  text: string;
}

/**
 * Only the lines that say a limit in other words, rewritten: patterns run on these again, not on the whole prompt
 * a third time (a 4,000-token prompt is graded on every keystroke).
 */
export function limitWindows(text: string): LimitWindow[] {
  return rewrittenLines(text, canonicalLimits);
}

/**
 * The lines of `text` that `rewrite` changes, each at its offset (the rewrites of limit-idioms.ts, spelling-idioms.ts
 * and sole-value.ts keep every character's offset, so a match in a window points into the prompt).
 */
export function rewrittenLines(text: string, rewrite: (line: string) => string): LimitWindow[] {
  const out: LimitWindow[] = [];
  // A long prompt says the same lines again and again: each distinct line is rewritten once.
  const seen = new Map<string, string>();
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(start, end);
    let rewritten = seen.get(line);
    if (rewritten === undefined) {
      rewritten = rewrite(line);
      seen.set(line, rewritten);
    }
    if (rewritten !== line) out.push({ start, text: rewritten });
    start = end + 1;
  }
  return out;
}

export function canonicalLimits(text: string): string {
  return (
    text
      .replace(NEGATED_EXCEED, (m) => pad("at most", m.length))
      .replace(LABELLED, (m) => (m.length >= 4 ? pad("max", m.length) : m))
      .replace(COUPLE, (m) => pad("two", m.length))
      .replace(COLLECTIVE, (m, noun: string) => pad(COLLECTIVE_VALUE[noun.toLowerCase()], m.length))
      .replace(NOUN_CEILING, (m) => pad("at most", m.length))
      .replace(SHORTER_THAN, (m) => pad("fewer than", m.length))
      .replace(TRAILING_CEILING, (_m, counted: string, word: string) => counted + pad("max", word.length))
      // (Offsets must stay put: a compound with no article, "12-line max", may be too short to hold "max 12 lines".)
      .replace(COMPOUND, (m, n: string, unit: string) => {
        const canonical = `max ${n} ${unit.replace(/y$/, "ie")}s`;
        return canonical.length <= m.length ? pad(canonical, m.length) : m;
      })
  );
}
