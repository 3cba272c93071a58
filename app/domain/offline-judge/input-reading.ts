import { DIRECTIVE_VERBS, type Reading } from "./reading";

/**
 * What the model is told to read is the input, not the reply:
 *
 *     2. Read every bullet in the notes.
 *     Go through each paragraph of the contract.
 *     Look at the headings of the ticket first.
 *     3. For each bullet, decide whether it is an action item.
 *
 * The object of a verb of reading ("every bullet in the notes"), or the items a fronted "for each" goes through, names a part of the input, so it never breaks a
 * requirement about the reply's shape (bullets, paragraphs, headings). The object ends at the next verb or
 * punctuation, and before the manner of reading: "Read the notes and reply with bullets" still asks for bullets, "Go through the
 * rules step by step" still asks for steps.
 */
const READING =
  /\b(?:read|re-read|reread|scan|skim|study|examine|go\s+through|look\s+(?:at|through|over)|check\s+through|for\s+(?:each|every))\s+/gi;

/** How the input is read ("as a whole", "as written", "as the customer wrote it"), not what it is read as. */
const MANNER =
  /^\s*(?:a\s+whole|written|is\b|it\b|they\b|you\b|if\b|though\b|usual|(?:a|the|any)\s+(?:customer|reader|human|person|user|buyer|lawyer|colleague)\b|the\s+\w+\s+(?:wrote|writes|said|says|would|sent)\b)/i;

const EXAMPLES = /\b(?:examples?|samples?|demonstrations?|shots?)\b/i;

/** Indexes of the tokens that name what the model reads. */
export function inputReadingTokens(reading: Reading): Set<number> {
  const out = new Set<number>();
  const { tokens } = reading;
  for (const m of reading.flatText.matchAll(READING)) {
    // "Study the five examples below": the prompt's own examples are no part of the input.
    if (EXAMPLES.test(reading.flatText.slice(m.index, m.index + m[0].length + 40).split(/[.;:!?,\n]/)[0])) continue;
    const end = m.index + m[0].length;
    let i = tokens.findIndex((t) => t.start >= end);
    if (i < 0) continue;
    // The reading verb must be an order or its base form ("Read", "please read", "first, read"), not "reads".
    const verb = tokens.find((t) => t.start === m.index);
    const each = verb?.lower === "for";
    if (!verb || verb.quoted || (!each && verb.lower !== verb.lemma && verb.lower !== "re-read")) continue;
    // "For each bullet, decide ...": the items gone through, up to the comma.
    if (each && !/,/.test(reading.flatText.slice(end, end + 60))) continue;
    const object: number[] = [];
    for (; i < tokens.length; i++) {
      const t = tokens[i];
      if (/^[.;:!?,]$/.test(t.text) || t.newlineBefore || t.pos === "VERB" || t.pos === "AUX") break;
      // "Read every unsure review as OK" reads a case as a value, as "treat ... as" does: no part of the input.
      // ("as a whole", "as written": the manner of reading ends the object.)
      if (t.lower === "as") {
        if (!MANNER.test(reading.flatText.slice(t.end, t.end + 40))) object.length = 0;
        break;
      }
      // The manner of reading is no part of the input: "Go through the rules step by step", "one by one", "carefully".
      if (t.pos === "ADV" || (tokens[i + 1]?.lower === "by" && tokens[i + 2]?.lower === t.lower)) break;
      // "Read the notes and reply with bullets": an order after "and"/"then", whatever its tag.
      const next = tokens[i + 1];
      if ((t.lower === "and" || t.lower === "then") && next && DIRECTIVE_VERBS.has(next.lower)) break;
      object.push(t.index);
    }
    for (const k of object) out.add(k);
  }
  return out;
}
