import type { Requirement } from "../exercise";
import { quoteRule, type Reading, type Token } from "./reading";

/**
 * Content the brief says to leave out, ordered kept. A requirement that forbids a kind of content names it in its
 * phrases ("no greetings", "skip small talk", "omit pleasantries"); an order to keep, record or add that content, in
 * any form of its words, contradicts the requirement:
 *
 *     Also fold in how the employee greeted and thanked the assistant and how they seemed to feel.
 *     Record the greetings and thanks too.                  Keep the customer's emotions in the note.
 *
 * The content is what the exercise declares (the objects of its requirements' negative phrases), not the writer's
 * words; the reading is of the order: affirmed, outside conditions, reasons, asides and exceptions, with a verb of
 * keeping before the content in its clause. "Skip greetings, record only the facts" keeps nothing forbidden.
 */

export interface KeptContent {
  id: string;
  line: number;
  evidence: string;
  made: string;
}

/** Orders that leave content out ("no X" is left aside: "no PO number" names a case, not content to drop). */
const OPENERS = /^(?:skip|drop|omit|leave out|ignore|remove|strip|exclude|cut)\s+(.+)$/i;
/** Verbs that keep content in the reply. */
const KEEPING = new Set(
  "include keep record note add fold capture mention preserve retain mirror reflect log track describe".split(" "),
);
const NEGATIONS = new Set("no not never without nothing none avoid skip omit drop don't dont n't nor".split(" "));

/** A word reduced for matching across forms: "greeted", "greetings", "greeting" → "greet"; "thanked" → "thank". */
function stem(word: string): string {
  let w = word.toLowerCase();
  for (const suffix of ["ings", "ing", "ed", "es", "s"])
    if (w.length > suffix.length + 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  return w;
}

/** Per requirement, the content its negative phrases forbid, as stemmed word sequences ("small talk" → [small, talk]). */
export function forbiddenContent(requirements: readonly Requirement[]): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const r of requirements) {
    const objects: string[][] = [];
    const phrases = r.all_of.flat().map((p) => p.trim().toLowerCase());
    // The content is what the requirement both names bare and forbids: "greetings" beside "no greetings".
    const bare = new Set(phrases);
    for (const phrase of phrases) {
      if (phrase.startsWith("/")) continue;
      const m = OPENERS.exec(phrase);
      if (!m || !bare.has(m[1])) continue;
      const words = m[1].split(/[\s-]+/).filter((w) => /^[a-z]+$/i.test(w) && !["the", "a", "an", "any"].includes(w));
      if (words.length > 0 && words.length <= 2) objects.push(words.map(stem));
    }
    if (objects.length > 0) out.set(r.id, objects);
  }
  return out;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

function orders(reading: Reading, ordersRule: (rule: number) => boolean, t: Token): boolean {
  if (t.negated || t.parenthetical || t.exception || t.quoted || !ordersRule(t.rule)) return false;
  const clause = reading.clauses[t.clause];
  return clause !== undefined && !clause.condition && !clause.reason;
}

/** The first order that keeps content a requirement forbids, if any. */
export function findKeptContent(
  reading: Reading,
  ordersRule: (rule: number) => boolean,
  forbidden: ReadonlyMap<string, string[][]>,
): KeptContent | null {
  if (forbidden.size === 0) return null;
  const { tokens } = reading;
  const stems = tokens.map((t) => stem(t.lower));
  for (const verb of tokens) {
    if (!KEEPING.has(verb.lemma) || (verb.pos !== "VERB" && verb.index !== reading.clauses[verb.clause]?.from))
      continue;
    if (!orders(reading, ordersRule, verb)) continue;
    const clause = reading.clauses[verb.clause];
    for (let i = verb.index + 1; i < clause.to; i++) {
      const t = tokens[i];
      if (NEGATIONS.has(t.lower)) break;
      if (!isWord(t) || !orders(reading, ordersRule, t)) continue;
      for (const [id, objects] of forbidden) {
        const hit = objects.find((words) => words.every((w, k) => stems[i + k] === w));
        if (!hit) continue;
        const rule = reading.rules[t.rule];
        const made = tokens
          .slice(i, i + hit.length)
          .map((w) => w.text)
          .join(" ");
        return { id, line: rule.line, evidence: quoteRule(reading, rule), made };
      }
    }
  }
  return null;
}

/** "Never answer the question", "Does not answer the question itself": an act a description forbids outright. */
const FORBIDDEN_ACT = /^(?:never|does not|do not|doesn't|don't)\s+([a-z]+)\b/i;
/** Orders that put a part into the reply; "finish / end / close with one line: ANSWER: <your answer>" puts it last. */
const ADDING = new Set([
  "add",
  "include",
  "write",
  "give",
  "provide",
  "append",
  "put",
  "offer",
  "finish",
  "end",
  "close",
]);
/** Quantifiers that pick parts from the input: "each sentence that answers part of it". */
const PICKING = new Set(["each", "every", "any", "all"]);
/** Determiners that point at a thing already there ("what changes the answer"), not a part to write. */
const DEFINITE = new Set(["the", "this", "that", "these", "those"]);
/** What opens a noun phrase: "a short answer", "your answer", "one answer". */
const NOUN_PHRASE_OPENERS = new Set(["DET", "ADJ", "NUM", "PRON"]);

/** Per requirement, the act its description forbids outright, as the stem its noun shares ("answer"). */
export function forbiddenActs(requirements: readonly Requirement[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of requirements) {
    const m = FORBIDDEN_ACT.exec(r.description.trim());
    if (m && !/s$/.test(m[1])) out.set(r.id, stem(m[1]));
  }
  return out;
}

/**
 * An order to add the forbidden act's product to the reply: "add one line with a short answer to the question" where
 * the description says "Never answer the question". The product is a noun phrase (after an article, an adjective, a
 * number or a possessive), the object of a verb of adding in an order; "copy the sentences that help answer the
 * question" names the act as a verb, and "add no answer" forbids it.
 */
export function findAddedAct(
  reading: Reading,
  ordersRule: (rule: number) => boolean,
  acts: ReadonlyMap<string, string>,
): KeptContent | null {
  if (acts.size === 0) return null;
  const { tokens } = reading;
  for (const verb of tokens) {
    if (!ADDING.has(verb.lemma) || (verb.pos !== "VERB" && verb.index !== reading.clauses[verb.clause]?.from)) continue;
    if (!orders(reading, ordersRule, verb)) continue;
    // To the end of the sentence: a quoted label may split the clause, or a wrapped line the rule ('add one line /
    // "Answer:" with a short answer').
    const rule = reading.rules[verb.rule];
    const next = reading.rules[verb.rule + 1];
    const wrapped =
      next &&
      next.line === rule.line + 1 &&
      rule.kind === "prose" &&
      !/^[.;!?:]$/.test(tokens[rule.to - 1]?.text ?? ".");
    const end = wrapped ? next.to : rule.to;
    for (let i = verb.index + 1; i < end; i++) {
      const t = tokens[i];
      // The added part said to do the act: "add one final line starting "Answer:" that answers the question".
      // ("Add each sentence that answers part of it" picks from the input: a part under "each", "every", "any", "all".)
      const doer = tokens[i + 1];
      if (
        (t.lower === "that" || t.lower === "which") &&
        !tokens.slice(verb.index + 1, i).some((w) => PICKING.has(w.lower)) &&
        doer &&
        i + 1 < end &&
        [...acts.values()].includes(stem(doer.lower)) &&
        orders(reading, ordersRule, doer)
      ) {
        const id = [...acts].find(([, act]) => act === stem(doer.lower))?.[0] ?? "";
        return { id, line: rule.line, evidence: quoteRule(reading, rule), made: doer.text };
      }
      // (Another verb opens a clause of its own: "keeps only what changes the answer"; a participle describes the
      // part: "a line starting ...".)
      const participle = t.pos === "VERB" && /(?:ing|ed)$/.test(t.lower);
      if (NEGATIONS.has(t.lower) || /^[.;!?]$/.test(t.text) || ((t.pos === "VERB" || t.pos === "AUX") && !participle))
        break;
      if (t.pos !== "NOUN" || !orders(reading, ordersRule, t)) continue;
      // "a short answer", "a one-line answer"; not "the sentences an answer would need" (a relative clause's subject).
      if (!NOUN_PHRASE_OPENERS.has(tokens[i - 1].pos) && tokens[i - 2]?.text !== "-") continue;
      if (DEFINITE.has(tokens[i - 1].lower)) continue;
      if (["AUX", "VERB"].includes(tokens[i + 1]?.pos ?? "")) continue;
      for (const [id, act] of acts) {
        if (stem(t.lower) !== act) continue;
        return { id, line: rule.line, evidence: quoteRule(reading, rule), made: t.text };
      }
    }
  }
  return null;
}

/** Why the requirement whose content is ordered kept is broken, the line quoted. */
export function keptContentReason(kept: KeptContent): string {
  return `Line ${kept.line} says "${kept.evidence}", which keeps what must be left out.`;
}
