import { negatedBefore } from "./negated-before";
import { quoteRule, type Reading } from "./reading";

/**
 * A source the brief rules out, ordered back in: the description limits the reply to one source and names what it
 * must never draw on ("Uses only the chunks, never general knowledge", "Uses only the excerpts, never outside
 * knowledge or estimates"), the prompt orders the model to draw on it, however it words the kind:
 *
 *     If no chunk covers the question, give your best answer from general data-warehouse practice.
 *     NO ANSWER: give your best general guidance from typical data-warehouse practice, then add "Not documented."
 *     If the excerpts cover only part of the question, complete the answer with a brief estimate.
 *
 * A kind of knowledge is named by its modifier ("general", "outside") before any noun within a few words; a thing
 * ("estimates") by its own word. It counts where it is affirmed in an order: not under a negation or "rather than",
 * not in a condition ("if general knowledge would be needed, ..."), a reason, a quote or parentheses.
 */

export interface BannedSource {
  /** Each ruled-out source, lower case: ["general"] for general knowledge, ["estimate"] for estimates. */
  kinds: string[];
}

const SOURCE_LIMIT = /^(?:uses?|answers?|draws?)\s+only\b[^,;]*[,;]\s*never\s+(.+?)\.?$/i;
/** Heads that say "knowledge of some kind": the modifier before them is what names it. */
const KNOWLEDGE = new Set(["knowledge", "information", "info", "sources", "source", "data", "facts"]);
const NEGATIONS = new Set(["no", "not", "never", "n't", "without", "avoid", "nor", "rather", "instead", "than"]);
const stem = (w: string) => w.toLowerCase().replace(/s$/, "");

/** What a requirement's description rules out as a source, or null. */
export function bannedSource(description: string): BannedSource | null {
  const m = SOURCE_LIMIT.exec(description.trim());
  if (!m) return null;
  const kinds: string[] = [];
  for (const item of m[1].split(/,|\bor\b|\band\b/)) {
    const words = item.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 1) kinds.push(stem(words[0]));
    else if (words.length === 2 && KNOWLEDGE.has(words[1])) kinds.push(words[0]);
  }
  return kinds.length > 0 ? { kinds } : null;
}

/** The first rule that orders a ruled-out source, quoted with its line, or null. */
export function orderedSource(
  reading: Reading,
  banned: BannedSource,
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  const { tokens } = reading;
  for (const t of tokens) {
    if (t.rule < 0 || t.quoted || t.parenthetical || !breaks(t.rule)) continue;
    const clause = reading.clauses[t.clause];
    if (!clause || clause.condition || clause.reason) continue;
    const named = banned.kinds.some((kind) => {
      if (stem(t.lower) === kind && t.pos !== "ADJ") return true;
      // "general data-warehouse practice": the kind's modifier before a noun.
      if (t.lower !== kind) return false;
      return tokens
        .slice(t.index + 1, t.index + 4)
        .some((w) => w.clause === t.clause && (w.pos === "NOUN" || w.pos === "PROPN"));
    });
    if (!named || negatedBefore(reading, t, NEGATIONS, 5)) continue;
    const rule = reading.rules[t.rule];
    return { line: rule.line, quote: quoteRule(reading, rule) };
  }
  return null;
}
