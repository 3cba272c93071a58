import { type LimitWindow, pad, rewrittenLines } from "./limit-idioms";

/**
 * A value said to be the whole reply, rewritten as "only <VALUE>" for the authors' patterns, which spell it "only
 * END", "just NONE" or "END alone":
 *
 *     END is the entire reply               a document with none gets END as its entire answer
 *     your whole reply is ACCOUNT_SPECIFIC  that END line is the whole reply     reply NONE and nothing else
 *
 * The value is a label in capitals (as the exercises' values are spelled), or one in quotes. Like limit-idioms.ts,
 * the rewrite keeps every character's offset (padded with spaces) and only the lines that change are returned.
 */
const LABEL = "[\"“'`]?[A-Z][A-Z0-9_]+[\"”'`]?";
/** "entire reply", "whole answer", "complete output". */
const WHOLE = "(?:whole|entire|complete|full|sole)\\s+(?:reply|answer|output|response)";
/** "END is the entire reply", "END as its entire answer", "that END line is the whole reply". */
const VALUE_IS_WHOLE = new RegExp(
  `(?<!\\w)(${LABEL})(?:\\s+line)?\\s+(?:is|as|forms|makes\\s+up)\\s+(?:the|its|your|their)\\s+${WHOLE}\\b`,
  "g",
);
/** "your entire reply is ACCOUNT_SPECIFIC", "the whole answer is NONE". */
const WHOLE_IS_VALUE = new RegExp(
  `\\b(?:[Tt]he|[Yy]our|[Ii]ts|[Tt]heir)\\s+${WHOLE}\\s+(?:is|being|should\\s+be|must\\s+be)\\s+(?=${LABEL}(?![\\w-]))`,
  "g",
);
/** "END and nothing more", "NONE and nothing else". */
const VALUE_AND_NOTHING = new RegExp(`(?<!\\w)(${LABEL})\\s+and\\s+nothing\\s+(?:more|else)\\b`, "g");

export function canonicalSoleValues(line: string): string {
  return line
    .replace(VALUE_IS_WHOLE, (m, value: string) => pad(`only ${value}`, m.length))
    .replace(WHOLE_IS_VALUE, (m) => pad("only", m.length))
    .replace(VALUE_AND_NOTHING, (m, value: string) => pad(`only ${value}`, m.length));
}

/** The lines that say a value is the whole reply, rewritten. */
export function soleValueWindows(text: string): LimitWindow[] {
  if (!/\b(?:whole|entire|complete|full|sole|nothing)\b/i.test(text)) return [];
  return rewrittenLines(text, canonicalSoleValues);
}
