import type { ExerciseTask, Requirement } from "../exercise";
import { type PhraseHit, statedHit } from "./phrases";
import type { Reading, Token } from "./reading";

/**
 * A fallback value mapped from a situation said negatively, in notation:
 *
 *     brief:  other when nothing else fits.
 *     prompt: Matches none → other          Can't place it → other
 *             No fit: NONE                  unmatched product/topic = other
 *             NONE: reply "Not in the excerpts."        None relevant: reply "Not in the excerpts."
 *
 * The exercise declares such a rule as a requirement read `together` with two groups: the value (its `topic`, or a
 * group of nothing but the task's labels, or nothing but a fixed reply the reference solution quotes) and the situation, which the author lists in negative words ("nothing
 * fits", "no match"). A learner names that situation in words of their own; what makes it the fallback is its shape:
 * a short stretch with a negation ("none", "can't", "no", "unmatched") set by an arrow, "=" or ":" to that value. Such
 * a stretch is one more hit of the situation group, so the rule reads as covered; a positive situation ("Refund →
 * other"), another value ("Matches none → billing") or a value refused ("Matches none → never other") is not.
 */

export interface FallbackSlot {
  /** Index of the value group in the requirement's hits (topics first, then `all_of`). */
  value: number;
  /** Index of the situation group. */
  situation: number;
}

const NEGATIVE_PHRASE = /(?:^|\s)(?:no|none|nothing|not|never|neither|nobody)(?:\s|$)|n['’]t\b|^un\p{Ll}/iu;

const unquote = (phrase: string) => phrase.replace(/^["“'`]+|["”'`]+$/g, "").toLowerCase();

/** The fixed replies a reference solution quotes: 'If the excerpts don't answer it, reply "Not in the excerpts."'. */
export function quotedReplies(referenceSolution: string): string[] {
  return [...referenceSolution.matchAll(/["“]([^"”\n]{2,80})["”]/g)].map((m) => m[1].trim());
}

/** Whether a phrase (plain, or a pattern written /.../flags) is one of the quoted fixed replies. */
function namesReply(phrase: string, replies: readonly string[]): boolean {
  const pattern = /^\/(.+)\/([a-z]*)$/.exec(phrase);
  if (pattern) {
    const re = new RegExp(pattern[1], pattern[2].replace(/[^imsu]/g, ""));
    return replies.some((r) => re.test(r));
  }
  const bare = (s: string) => unquote(s).replace(/[.!]+$/, "");
  return replies.some((r) => bare(r) === bare(phrase));
}

/** The requirement's fallback slot, when it declares one; null otherwise. */
export function fallbackSlot(
  req: Requirement,
  task: ExerciseTask | undefined,
  /** The fixed replies the exercise's reference solution quotes (quotedReplies). */
  replies: readonly string[] = [],
): FallbackSlot | null {
  if (!req.together) return null;
  const topics = req.topic ?? [];
  const groups = [...topics, ...req.all_of];
  if (groups.length !== 2) return null;
  let value: number;
  if (topics.length === 1) value = 0;
  else {
    const labels = new Set((task?.labels ?? []).map((l) => l.toLowerCase()));
    const isValue = (g: readonly string[]) =>
      g.length > 0 && (g.every((p) => labels.has(unquote(p))) || g.every((p) => namesReply(p, replies)));
    if (isValue(groups[0]) === isValue(groups[1])) return null;
    value = isValue(groups[0]) ? 0 : 1;
  }
  const situation = 1 - value;
  if (!groups[situation].some((p) => !p.startsWith("/") && NEGATIVE_PHRASE.test(p))) return null;
  return { value, situation };
}

const SIGNS = new Set(["→", "->", "=>", "⇒", "=", ":"]);
const QUOTES = new Set(['"', "'", "`", "“", "”", "‘", "’"]);
/** What may sit inside the situation's stretch besides words: "product/topic", "sign-in". */
const INSIDE = new Set(["/", "-", "'", "’"]);
const NEGATIONS = new Set(["no", "none", "nothing", "not", "n't", "never", "neither", "nobody", "without", "cannot"]);
/** Words of absence, said of the input: "Excerpts silent on it →", "Date missing:", "Owner absent =". */
const ABSENCE = new Set(["missing", "absent", "silent", "lacking", "blank", "empty"]);
/** "unmatched", "unknown", "unclassifiable", "unlisted": a word that says its stem does not hold. */
const UN_WORD = /^un\p{Ll}{3,}(?:ed|able|ible|known|sure|clear)$/u;

const isWord = (t: Token) => /[\p{L}\p{N}]/u.test(t.text);

/** What may stand between the sign and the value: the order to give it, "reply", "write exactly", "answer with". */
const BRIDGE = new Set(["reply", "respond", "answer", "write", "output", "return", "say", "print", "give", "use"]);
const BRIDGE_ADVERBS = new Set(["exactly", "just", "only", "simply", "with"]);

/**
 * The stretch before a mapping sign in front of a value hit: its first token and the sign's index, or null when the
 * value does not follow a sign.
 */
function situationBefore(reading: Reading, at: number): { from: number; sign: number } | null {
  const { tokens } = reading;
  const rule = tokens[at].rule;
  let sign = at - 1;
  while (sign >= 0 && tokens[sign].rule === rule && QUOTES.has(tokens[sign].text)) sign--;
  // "NONE: reply exactly "Not in the excerpts."": one order to give the value, with its adverbs, and no more.
  let verbs = 0;
  for (let bridged = 0; sign >= 0 && bridged < 3 && tokens[sign].rule === rule && !tokens[sign].negated; bridged++) {
    const t = tokens[sign];
    if (BRIDGE_ADVERBS.has(t.lower)) sign--;
    else if (BRIDGE.has(t.lower) && verbs++ === 0) sign--;
    else break;
  }
  if (sign < 0 || tokens[sign].rule !== rule || !SIGNS.has(tokens[sign].text)) return null;
  let from = sign;
  while (
    from - 1 >= 0 &&
    tokens[from - 1].rule === rule &&
    (isWord(tokens[from - 1]) || INSIDE.has(tokens[from - 1].text))
  )
    from--;
  return from < sign ? { from, sign } : null;
}

/** Hits of the situation group: negative stretches mapped to the value, found where the value is. */
export function negativeSituationHits(reading: Reading, valueHits: readonly PhraseHit[]): PhraseHit[] {
  const out: PhraseHit[] = [];
  for (const v of valueHits) {
    // (A topic's hits count in any polarity: the value itself must not be refused here.)
    if (!v.asWritten || reading.tokens[v.from].negated) continue;
    const stretch = situationBefore(reading, v.from);
    if (!stretch) continue;
    const words = reading.tokens.slice(stretch.from, stretch.sign).filter(isWord);
    if (words.length === 0 || words.length > 6) continue;
    if (!words.some((t) => NEGATIONS.has(t.lower) || ABSENCE.has(t.lower) || UN_WORD.test(t.lower))) continue;
    out.push(statedHit(reading.tokens, stretch.from, stretch.sign));
  }
  return out;
}
