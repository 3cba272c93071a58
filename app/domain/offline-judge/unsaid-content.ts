import { findPhrase, indexReading, type PhraseHit, type PhraseIndex, statedHit } from "./phrases";
import { type Reading, readPrompt, tokenAt } from "./reading";

/**
 * "Only what the source says", said as English also says it: by ruling out what the source does not say.
 *
 *     State nothing the transcript doesn't.         Record nothing it doesn't contain.
 *     No detail the customer didn't give.           Nothing the notes don't state explicitly.
 *     If the chat doesn't state it, leave it out.
 *
 * Two negations make the restriction: "nothing" (or "no <noun>") restricted by a clause whose verb of saying is
 * negated, or a condition that the source does not say it followed by an order to leave it out. A requirement is
 * said by such a sentence when one of its phrase groups says "only what is stated" or "never invent" (read off the
 * author's phrases with the judge's own matcher), so the exercise's declarations, not a list here, decide which
 * requirement it is.
 *
 * Look-alikes that say something else: "Add details the chat doesn't state" (no negation outside, an order to add),
 * "Nothing the customer doesn't need" (no verb of saying), "If the chat doesn't state it, write null" (a fallback).
 */

const SOURCE = String.raw`(?:[\p{L}\p{N}'’-]+\s+){0,4}?`;
const NEGATED = String.raw`(?:does\s+not|doesn['’]t|did\s+not|didn['’]t|do\s+not|don['’]t|never|isn['’]t|is\s+not|wasn['’]t|was\s+not)`;
const SAYING = String.raw`(?:say|state|contain|mention|give|include|provide|support|show|tell|spell\s+out|write|report|list|hold|cover)[a-z]*`;
const ADVERB = String.raw`(?:(?:explicitly|actually|directly|clearly|itself|literally)\s+)?`;

/** "nothing the transcript doesn't (state)", "no detail the customer didn't give". */
const NOTHING_UNSAID = new RegExp(
  String.raw`\b(?:nothing|no\s+[\p{L}-]+)\s+(?:that\s+|which\s+)?${SOURCE}${NEGATED}(?:\s+${ADVERB}${SAYING}\b|(?=\s*(?:[.;,!)\n]|$)))`,
  "giu",
);
/** "If the chat doesn't state it, leave it out": a condition of the unsaid, then an order to omit. */
const IF_UNSAID_OMIT = new RegExp(
  String.raw`\bif\s+${SOURCE}${NEGATED}\s+${ADVERB}${SAYING}\s+(?:it|that|something|so)\b\s*[,;:]?\s*(?:then\s+)?(?:leave\s+it\s+out|omit\s+it|drop\s+it|skip\s+it|cut\s+it|(?:don['’]t|do\s+not|never)\s+(?:include|add|mention|write|state|report|use)\s+it)\b`,
  "giu",
);

/** What a reply is made of, counted one by one: "every statement", "each fact", "all details". */
const CONTENT = String.raw`(?:statement|fact|claim|detail|point|sentence|bullet|figure|piece\s+of\s+information)s?`;
/** Where a thing is said to come from: "comes from", "is drawn from", "is based on", "is stated in". */
const SOURCED = String.raw`(?:(?:must|should|will|has\s+to|have\s+to|can\s+only)\s+)?(?:comes?|(?:is|are|be)\s+(?:drawn|taken|sourced|copied)|(?:is|are|be)\s+(?:found|stated)|(?:is|are|be)\s+(?:based|grounded))\s+(?:(?:directly|only|solely|straight|strictly)\s+)?(?:from|in|on)`;
/**
 * "Every statement comes from the ticket", "Each fact in it is taken from the notes": every part of the reply traced
 * to a named source is the same restriction said positively (the source named with "the", "this" or "that", never
 * "your": "every fact comes from your own knowledge" says the opposite; "the internet" or "the world" is no source
 * the prompt gives).
 */
const EVERY_SOURCED = new RegExp(
  String.raw`(?<!\bnot\s)\b(?:every|each|all|any)\s+(?:[\p{L}-]+\s+){0,2}?${CONTENT}\s+(?:(?:in|of)\s+(?:it|them|the\s+[\p{L}-]+)\s+)?${SOURCED}\s+(?:the|this|that)\s+(?!(?:internet|web|world|model)\b)[\p{L}-]+`,
  "giu",
);

/** Token spans [from, to) of the sentences that say "only what the source says" by ruling out the unsaid. */
export function unsaidExclusions(reading: Reading): [number, number][] {
  const text = reading.flatText;
  const negated = /\b(?:nothing|no|if)\b/i.test(text) && /n['’]t|\bnot\b|\bnever\b/i.test(text);
  const sourced = /\b(?:every|each|all|any)\b/i.test(text);
  if (!negated && !sourced) return [];
  const out: [number, number][] = [];
  for (const rx of [...(negated ? [NOTHING_UNSAID, IF_UNSAID_OMIT] : []), ...(sourced ? [EVERY_SOURCED] : [])])
    for (const m of text.matchAll(rx)) {
      const first = tokenAt(reading, m.index);
      const last = tokenAt(reading, m.index + m[0].length - 1);
      if (!first || !last || first.rule < 0 || last.index < first.index) continue;
      out.push([first.index, last.index + 1]);
    }
  return out;
}

/**
 * What an order to say only the given, said plainly, reads as: the author's phrases are matched against it. A phrase
 * must take in the plain order's key word and one more ("only what", "don't invent"): "only", "if" or "stated" alone
 * belongs to other rules too.
 */
const PLAIN = [
  "Use only what is stated.",
  "Say only what the text says.",
  "Use only the facts given.",
  "Never invent anything.",
  "Don't make anything up.",
];
const KEY = new Set(["what", "invent", "make", "fact", "facts"]);
let plainIndexes: PhraseIndex[] | null = null;

/** Whether the group says "only what is stated" or "never invent": one of its phrases is found in the plain orders. */
export function saysOnlyGiven(group: readonly string[]): boolean {
  plainIndexes ??= PLAIN.map((s) => indexReading(readPrompt(s)));
  const indexes = plainIndexes;
  return group.some((phrase) =>
    indexes.some((index) =>
      findPhrase(index, phrase, 1, true).some((h: PhraseHit) => {
        const words = index.reading.tokens.slice(h.from, h.to).filter((t) => /\p{L}/u.test(t.text));
        return h.asWritten && words.length >= 2 && words.some((t) => KEY.has(t.lemma) || KEY.has(t.lower));
      }),
    ),
  );
}

/** The hits the sentences give each group that says only the given. */
export function unsaidHits(reading: Reading, spans: [number, number][], groups: readonly boolean[]): PhraseHit[][] {
  return groups.map((says) => (says ? spans.map(([from, to]) => statedHit(reading.tokens, from, to)) : []));
}
