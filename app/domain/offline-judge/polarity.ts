import { asideCue, opensOwnItem } from "./comma-orders";
import { alternativesFollow, opensListItem } from "./list-item-no";
import type { Token } from "./reading";
import { coordinatedVerbs } from "./shared-object";
import { stillConjunct } from "./still-conjunct";
import { zeroAmount } from "./zero-amount";

/**
 * Marks the words of one clause that an instruction negates: "Never add an ESCALATE line",
 * "Do not summarise", "no explanation", "make your best guess instead of null", "Explanations are
 * not needed". The judge then knows that "ESCALATE" was forbidden, not asked for.
 *
 * Rules, in the order they apply:
 * - A negation ("not", "n't", "never", "cannot", "nor", "neither", "unless") or a verb that means
 *   "do not" ("avoid", "skip", "omit", "ignore", "exclude", "forget", "leave out", "refrain from")
 *   negates the rest of its clause. Two of them cancel out: "Don't forget the ESCALATE line",
 *   "Never leave out the order number".
 * - "no", "without", "nothing", "instead of", "rather than" negate the rest of the clause too, but
 *   repeating them along a list does not cancel: "no greetings, no explanation" negates both.
 * - A bound is not a negation: "no more than 3 bullets", "don't use more than three", "never
 *   exceed 60 words", "no later than Friday", "not only".
 * - "but", "except", "other than" after "nothing"/"anything" end the negation: "output nothing but
 *   the label" leaves "the label" affirmed.
 * - A passive or predicative negation reaches back to its subject: "Explanations are not allowed",
 *   "ESCALATE must never be added" negate "Explanations" and "ESCALATE"; but verbs of changing keep
 *   their subject: "Order numbers must never be changed" asks to keep them.
 */

const VERBAL_CUES = new Set(["not", "n't", "never", "cannot", "nor", "neither", "unless"]);
const NOMINAL_CUES = new Set(["no", "without", "nothing", "nobody", "none"]);
/** Verbs after which "over" names the side that loses: "wins over", "takes precedence over", "is preferred over". */
const WINNING = new Set(["win", "prevail", "precedence", "priority", "prefer", "preferred", "preference"]);
/** Verbs whose object is the side that loses: "the newer page beats the older one". */
const BEATING = new Set(["beat", "trump", "outrank", "supersede", "outweigh"]);
/** The cues a following "without" cancels: "no claim without a citation". */
const NO_WORDS = new Set(["no", "nothing", "none"]);
const NEGATIVE_VERBS = new Set([
  "avoid",
  "skip",
  "omit",
  "ignore",
  "disregard",
  "exclude",
  "forget",
  "refrain",
  "neglect",
  "drop",
  "prohibit",
  "forbid",
  "ban",
  "stop",
]);
const COMPARATIVES = new Set([
  "more",
  "fewer",
  "less",
  "longer",
  "shorter",
  "later",
  "earlier",
  "greater",
  "higher",
  "lower",
  "bigger",
  "larger",
]);
const BOUND_VERBS = new Set(["exceed", "surpass", "over", "above", "beyond", "past"]);
/** Verbs that may sit between a negation and the bound: "don't use more than", "never go over". */
const LIGHT_VERBS = new Set([
  "show",
  "reveal",
  "display",
  "print",
  "use",
  "write",
  "give",
  "be",
  "go",
  "output",
  "return",
  "produce",
  "have",
  "include",
  "add",
  "make",
  "let",
  "allow",
  "get",
  "run",
  "choose",
  "pick",
  "select",
  "list",
  "assign",
  "mention",
  "send",
  "need",
  "contain",
]);
/** After "nothing"/"anything": what follows is the only thing allowed. */
const SCOPE_ENDERS = new Set(["but", "except", "besides"]);
/** A passive whose subject is being kept, not forbidden: "Order numbers must never be changed". */
const CHANGE_VERBS = new Set([
  "change",
  "alter",
  "modify",
  "paraphrase",
  "rewrite",
  "reformat",
  "translate",
  "shorten",
  "correct",
  "edit",
  "touch",
  "redact",
  "mask",
  "truncate",
  "abbreviate",
  "round",
  "summarize",
  "summarise",
  "reword",
  "split",
  "merge",
  "normalize",
  "normalise",
]);
const AUXILIARIES = new Set([
  "be",
  "is",
  "are",
  "was",
  "were",
  "must",
  "should",
  "shall",
  "will",
  "would",
  "may",
  "might",
  "can",
  "could",
  "do",
  "does",
  "need",
]);

/** Who gives the order; "You must not ..." has no subject to forbid. */
const SPEAKERS = new Set(["you", "i", "we"]);
/** Predicates that say something may not be present: "Explanations are not allowed", "X should never appear". */
const PREDICATES = new Set([
  "fit",
  "fits",
  "belong",
  "suit",
  "possible",
  "available",
  "accepted",
  "acceptable",
  "ok",
  "okay",
  "fine",
  "allowed",
  "permitted",
  "needed",
  "required",
  "necessary",
  "wanted",
  "welcome",
  "acceptable",
  "appear",
  "occur",
  "exist",
  "allow",
  "permit",
  "need",
  "require",
  "want",
]);

/** A verb that makes a clause of its own; participles ("added", "broken", "missing") only describe. */
function isFiniteVerb(w: Token): boolean {
  if (w.pos === "AUX") return true;
  return w.pos === "VERB" && !(w.lemma !== w.lower && /(?:ed|ing|en)$/.test(w.lower));
}

/** Participles that refuse their subject: "Any added note is rejected". */
const REFUSING = new Set([
  "rejected",
  "forbidden",
  "prohibited",
  "banned",
  "disallowed",
  "discarded",
  "refused",
  "unacceptable",
  "ignored",
]);

/** Flips a plain subject (no verb of its own) that a refusing passive applies to. */
function refuseSubject(tokens: Token[], from: number, aux: number): void {
  const words = tokens.slice(from, aux).filter(isWord);
  if (words.length === 0 || words.some(isFiniteVerb) || SPEAKERS.has(words[0].lower)) return;
  for (let k = from; k < aux; k++) tokens[k].negated = !tokens[k].negated;
}

/** What "free of" prices at nothing rather than refuses: "free of charge". */
const PRICE_NOUNS = new Set(["charge", "charges", "cost", "costs", "payment", "fee", "fees"]);

/** Words that may come before the verb of a second predicate after "and"/"but": "and still carry", "and please add". */
const BEFORE_SECOND_PREDICATE = new Set(["still", "always", "also", "please", "kindly"]);

/** After and/or, these open a new phrase rather than continue a negated list. */
const NEW_PHRASE = new Set([
  "for",
  "if",
  "when",
  "with",
  "in",
  "on",
  "to",
  "at",
  "any",
  "every",
  "all",
  "whenever",
  "where",
  "it",
  "they",
  "there",
  "he",
  "she",
  "we",
  "you",
]);

const NEGATION_AFTER = new Set(["not", "n't", "never"]);

/** Words that open a carve-out from the rule. */
const EXCEPTIONS = new Set(["unless", "except", "excepting", "excluding"]);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/** "no more than", "not exceed", "not only": a limit or an addition, not a negation. */
export function isBound(tokens: Token[], at: number, to: number): boolean {
  const next = tokens.slice(at + 1, Math.min(to, at + 5)).filter(isWord);
  if (next[0]?.lower === "only") return true;
  for (let k = 0; k < next.length && k < 3; k++) {
    const w = next[k];
    if (BOUND_VERBS.has(w.lemma) || BOUND_VERBS.has(w.lower)) return true;
    if (COMPARATIVES.has(w.lower)) return next[k + 1]?.lower === "than" || next[k + 2]?.lower === "than";
    if (!(LIGHT_VERBS.has(w.lemma) || w.lower === "any" || w.lower === "a" || w.lower === "be")) return false;
  }
  return false;
}

/** Past participles not ending in -ed/-en (a grammar's list of the common ones). */
const IRREGULAR_PARTICIPLES = new Set([
  "left",
  "kept",
  "made",
  "put",
  "set",
  "sent",
  "said",
  "told",
  "found",
  "held",
  "brought",
  "bought",
  "thought",
  "taught",
  "caught",
  "built",
  "spent",
  "lost",
  "cut",
  "read",
  "met",
  "paid",
  "laid",
  "led",
  "dealt",
  "meant",
  "felt",
  "shut",
  "split",
  "spread",
  "struck",
  "stuck",
  "won",
  "done",
  "gone",
]);

const SLOT_CLOSERS: Record<string, string> = { ">": "<", "]": "[", "}": "{" };

/** Token `i` closes a template slot ("<...>", "[...]", "{...}") opened after the clause's start and before `cue`. */
function closesSlot(tokens: Token[], from: number, cue: number, i: number): boolean {
  const opener = SLOT_CLOSERS[tokens[i].text];
  if (!opener) return false;
  for (let k = cue - 1; k >= from; k--) {
    if (tokens[k].text === opener) return true;
    if (tokens[k].text === tokens[i].text) return false;
  }
  return false;
}

/** Words of a short noun phrase between a verb and its particle: "leave [the weak matches] out". */
const OBJECT_WORDS = new Set(["DET", "ADJ", "NOUN", "PROPN", "NUM", "CCONJ"]);

/** "leave X out", "leave X off": up to five words of a noun phrase, then the particle. */
function separatedParticle(tokens: Token[], verb: number, to: number): boolean {
  for (let k = verb + 1; k < Math.min(to, verb + 7); k++) {
    const w = tokens[k];
    if ((w.lower === "out" || w.lower === "off") && k > verb + 1)
      return !["of", "from"].includes(tokens[k + 1]?.lower ?? "");
    if (!OBJECT_WORDS.has(w.pos) || w.quoted) return false;
  }
  return false;
}

function hyphenCompound(tokens: Token[], i: number): boolean {
  const dash = tokens[i - 1];
  const head = tokens[i - 2];
  return (
    dash?.text === "-" && head !== undefined && isWord(head) && head.end === dash.start && dash.end === tokens[i].start
  );
}

function isCue(tokens: Token[], i: number, to: number): "verbal" | "nominal" | null {
  const t = tokens[i];
  if (VERBAL_CUES.has(t.lower) || t.lemma === "not") {
    if (isBound(tokens, i, to)) return null;
    // "not a guess", "(not "null", not a guess)": without an auxiliary before it, "not" negates the
    // phrase after it like "no", and repeating it along a list does not cancel.
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const governed =
      prev && (AUXILIARIES.has(prev.lower) || prev.pos === "AUX" || prev.lower === "to" || prev.lower === "why");
    if (t.lower === "not" && !governed && next && next.pos !== "VERB" && next.pos !== "AUX") return "nominal";
    // "does not mention": after "do" comes a verb, even one tagged a noun.
    const afterDo = prev !== undefined && (prev.lemma === "do" || ["do", "does", "did"].includes(prev.lower));
    if ((t.lower === "not" || t.lower === "n't") && next && !afterDo && (next.pos === "DET" || next.pos === "NOUN"))
      return "nominal";
    return "verbal";
  }
  if (NOMINAL_CUES.has(t.lower)) {
    // "yes or no", "Answer: no": the word is a value, not a negation. (A quote may open what it forbids.)
    let next = tokens[i + 1];
    if (next && /^["“'`]$/.test(next.text)) next = tokens[i + 2];
    if (t.lower === "no" || t.lower === "none") {
      if (!next || next.index >= to || !isWord(next) || next.lower === "or" || next.lower === "and") return null;
      // "none of these", "ADVICE: none on investment, legal or tax".
      // "none invented", "none assumed": a participle after "none" is what none may be.
      // (Irregular participles too: "none left out", "none kept back", "none made up".)
      const participle =
        next.pos === "VERB" &&
        next.lemma !== next.lower &&
        (/(?:ed|en)$/.test(next.lower) || IRREGULAR_PARTICIPLES.has(next.lower));
      // "none may be skipped", "none is added": "none" as the subject of what it forbids.
      // ("Tickets that match none are other": after a verb, "none" is its object.)
      const predicate = next.pos === "AUX" && tokens[i - 1]?.pos !== "VERB";
      if (t.lower === "none")
        return ["of", "on", "about", "regarding"].includes(next.lower) || participle || predicate ? "nominal" : null;
    }
    if (isBound(tokens, i, to)) return null;
    return "nominal";
  }
  if (t.lower === "instead" && tokens[i + 1]?.lower === "of") return "nominal";
  // "plain and warm, free of hype words", "free from jargon": to be free of a thing is to be without it.
  // ("a replacement free of charge" is a price of nothing, said as a fact: zero-amount.ts's idiom, not a refusal.)
  if (
    t.lower === "free" &&
    (tokens[i + 1]?.lower === "of" || tokens[i + 1]?.lower === "from") &&
    !PRICE_NOUNS.has(tokens[i + 2]?.lower ?? "") &&
    !t.quoted
  )
    return "nominal";
  // "costs over £75 and lacks proof of purchase": to lack a thing is to be without it, so "lack" negates its object
  // as "without" does (the verb itself stays affirmed: "lacks a receipt" is said as written).
  if (t.lemma === "lack" && t.pos === "VERB" && isWord(tokens[i + 1] ?? t) && i + 1 < to) return "nominal";
  // "the newer date wins over the older date", "a 2025 page beats a 2023 page": what a winner is put above is the
  // side refused, as after "rather than".
  if (t.lower === "over" && WINNING.has(tokens[i - 1]?.lemma ?? "")) return "nominal";
  if (BEATING.has(t.lemma) && t.pos === "VERB" && !/^[A-Z_]{2,}$/.test(t.text)) return "nominal";
  // "We would much rather have a short description than one with made-up details".
  // ("rather than" is one cue, counted at "rather".)
  if (
    t.lower === "than" &&
    tokens[i - 1]?.lower !== "rather" &&
    tokens.slice(Math.max(0, i - 12), i).some((x) => x.lower === "rather")
  )
    return "nominal";
  if (t.lower === "rather" && tokens[i + 1]?.lower === "than") return "nominal";
  // ("SKIP", "DROP": a label in capitals is a value to write, not an order.)
  if (
    NEGATIVE_VERBS.has(t.lemma) &&
    (t.pos === "VERB" || t.pos === "PROPN" || t.pos === "NOUN" || t.pos === "AUX") &&
    !/^[A-Z_]{2,}$/.test(t.text)
  ) {
    // "release-stopping work", "spam-blocking rules": joined by a hyphen to the word before, the verb is half of a
    // compound modifier, not an order.
    if (hyphenCompound(tokens, i)) return null;
    // "stop" is a noun in "full stop"; as an order it comes first or after "to"/a negation.
    if (t.lemma === "stop" && t.pos !== "VERB") return null;
    // "Stop early", "stop there", "stop after the third", "stop.": with no object, stopping forbids nothing.
    const after = tokens[i + 1];
    if (t.lemma === "stop" && (!after || i + 1 >= to || ["ADV", "ADP", "SCONJ", "PUNCT"].includes(after.pos)))
      return null;
    return "verbal";
  }
  if (t.lemma === "leave" && (tokens[i + 1]?.lower === "out" || tokens[i + 1]?.lower === "off")) return "verbal";
  // "Leave weak matches out", "leave the greeting off": the particle may follow the object.
  if (t.lemma === "leave" && t.pos === "VERB" && separatedParticle(tokens, i, to)) return "verbal";
  return null;
}

const RELATIVES = new Set(["that", "which", "who", "whose"]);
/** "nothing but", "nothing except", "nothing other than": the words that turn "nothing" into "only". */
const RESTRICTING = new Set(["but", "except", "other", "besides", "apart"]);

/**
 * "certifications that are not listed are not invented": a negation inside a relative clause ends with it, when
 * the sentence's own predicate follows.
 */
function relativeScope(tokens: Token[], i: number, to: number): number | null {
  const aux = tokens[i - 1];
  if (!AUXILIARIES.has(aux.lower) && aux.pos !== "AUX") return null;
  let verb = i + 1;
  while (verb < to && (!isWord(tokens[verb]) || tokens[verb].pos === "ADV")) verb++;
  // After "does not" comes a verb, whatever the tagger says ("the text does not mention" tags "mention" a noun).
  const doAux = aux.lemma === "do" || ["do", "does", "did"].includes(aux.lower);
  if (verb >= to || !(tokens[verb].pos === "VERB" || (doAux && ["NOUN", "PROPN"].includes(tokens[verb].pos))))
    return null;
  const next = tokens[verb + 1];
  if (!next || verb + 1 >= to) return null;
  // The sentence's own predicate follows: "Anything the email doesn't say stays null".
  if (AUXILIARIES.has(next.lower) || next.pos === "AUX" || (next.pos === "VERB" && /s$/.test(next.lower)))
    return verb + 1;
  // A relative clause with its object gapped, inside an order: "Set any value the email doesn't give to null".
  const relative = RELATIVES.has(tokens[i - 2]?.lower ?? "") || orderBefore(tokens, i - 2);
  return relative && next.pos === "ADP" ? verb + 1 : null;
}

/** An order earlier in the clause and a noun phrase (the relative clause's subject) just before the auxiliary. */
function orderBefore(tokens: Token[], subject: number): boolean {
  const s = tokens[subject];
  if (!s || !["NOUN", "PROPN", "PRON"].includes(s.pos) || SPEAKERS.has(s.lower)) return false;
  for (let k = subject - 1; k >= 0 && k >= subject - 8; k--) {
    const t = tokens[k];
    if (/^[,.;:!?]$/.test(t.text)) return false;
    if (t.pos === "VERB" && t.clause === s.clause) return true;
  }
  return false;
}

/**
 * "codes not arriving are bug", "a field not given": a negation inside a noun phrase, on a participle
 * with no auxiliary before it, negates only that participle.
 */
function modifierScope(tokens: Token[], i: number, to: number): number | null {
  const t = tokens[i];
  if (t.lower !== "not" && t.lower !== "n't") return null;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  if (!next || i + 1 >= to || !prev || !isWord(prev)) return null;
  const relative = relativeScope(tokens, i, to);
  if (relative !== null || t.lower === "n't") return relative;
  if (AUXILIARIES.has(prev.lower) || prev.pos === "AUX" || prev.pos === "PART" || prev.lower === "to") return null;
  if (!/(?:ing|ed|en)$/.test(next.lower) || next.lemma === next.lower) return null;
  return i + 2;
}

/**
 * "at most three, never padded, NONE if nothing fits", "nothing assumed, "medical reason" for health": a negated
 * participle standing as a list item of its own ends at its comma.
 */
function participleItem(tokens: Token[], i: number, to: number): number | null {
  const next = tokens[i + 1];
  if (!next || i + 2 >= to || tokens[i + 2].text !== ",") return null;
  if (!/(?:ed|en)$/.test(next.lower) || next.lemma === next.lower) return null;
  return i + 2;
}

/** The list item from `i` to its comma sets a limit of its own: "facts only", "60 words at most", "max 3". */
function restrictedItem(tokens: Token[], i: number, to: number): boolean {
  for (let k = i; k < to && ![",", ";", "."].includes(tokens[k].text); k++) {
    const w = tokens[k].lower;
    if (w === "only" || w === "max" || w === "maximum" || w === "exactly") return true;
    if (w === "most" && tokens[k - 1]?.lower === "at") return true;
  }
  return false;
}

export function markNegation(tokens: Token[], from: number, to: number): void {
  let verbal = 0;
  let nominal = false;
  /** The "no" behind `nominal` is one item of a list (list-item-no.ts). */
  let itemNo = false;
  let lastCue = -1;
  /** Negations that end before the clause does: [until, kind]. */
  const limited: number[] = [];
  let exception = false;
  let lastComma = -1;
  /** A "no" inside a description ("tickets that fit no queue") ends with it. */
  let nominalUntil = -1;
  /** The verbal count when the last "no"/"without" opened: a verb of refusing under it is part of its phrase. */
  let verbalAtNominal = -1;
  /** The object of "after"/"before"/"beyond" under a negation is where, not what, it forbids: affirmed up to here. */
  let referenceUntil = -1;
  let lastReference = -1;
  /** The words of an amount set to zero ("no extra charge"): negated, and the negation ends with them. */
  let zeroUntil = -1;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (i < referenceUntil) {
      t.negated = false;
      t.exception = exception;
      continue;
    }
    // "nothing after the bullets", "Write nothing before the first row or after END", "no facts beyond the ticket":
    // the bullets, END and the ticket are the reference point; what lies past them is forbidden.
    if (
      REFERENCE_POINTS.has(t.lower) &&
      lastCue >= 0 &&
      (verbal > 0 || nominal) &&
      !t.quoted &&
      // "nothing before or after": without an object the word is an adverb, and it is what is forbidden.
      isWord(tokens[i + 1] ?? t) &&
      i + 1 < to &&
      (!["or", "and"].includes(tokens[i + 1].lower) || pairedPoint(tokens, i, to)) &&
      // "never on outside knowledge", "no outside sources": before a bare noun, "outside" is an adjective.
      !(t.lower === "outside" && tokens[i + 1].pos === "NOUN" && ["ADP", "DET"].includes(tokens[i - 1]?.pos ?? "")) &&
      // ("nothing before the first row or after END": the second point goes on from the first.)
      attachedToNegation(tokens, Math.max(lastCue, lastReference), i)
    ) {
      lastReference = i;
      t.negated = (verbal + (nominal ? 1 : 0)) % 2 === 1;
      t.exception = exception;
      // "no comment before or after the JSON": both points share the object.
      const object = pairedPoint(tokens, i, to) ? i + 3 : i + 1;
      referenceUntil = referenceEnd(tokens, object, to);
      continue;
    }
    if (nominal && nominalUntil >= 0 && i >= nominalUntil) {
      nominal = false;
      nominalUntil = -1;
    }
    if (
      EXCEPTIONS.has(t.lower) ||
      (t.lower === "apart" && tokens[i + 1]?.lower === "from") ||
      (t.lower === "other" && tokens[i + 1]?.lower === "than")
    )
      exception = true;
    t.exception = exception;
    while (limited.length && limited[0] <= i) {
      limited.shift();
      verbal--;
    }
    // ("other than" and "apart from" as well: "Do not output anything other than this one line".)
    const ender =
      SCOPE_ENDERS.has(t.lower) ||
      (t.lower === "other" && tokens[i + 1]?.lower === "than") ||
      (t.lower === "apart" && tokens[i + 1]?.lower === "from");
    if (ender && lastCue >= 0) {
      const before = tokens.slice(Math.max(from, i - 2), i).map((x) => x.lower);
      if (before.some((w) => w === "nothing" || w === "anything" || w === "everything" || w === "else")) {
        verbal = 0;
        nominal = false;
        limited.length = 0;
      }
    }
    // "without a receipt and for any line that includes alcohol": a new coordinated phrase ends the
    // reach of "no"/"without" (but "no greetings, sign-offs or explanations" goes on).
    const after = tokens[i + 1];
    // ("none is guessed, defaulted or taken from ...": a participle after "or" is one more item of a list of
    // participles, still under the "none".)
    if (
      nominal &&
      (t.lower === "and" || t.lower === "or") &&
      after &&
      (NEW_PHRASE.has(after.lower) || (after.pos === "VERB" && !participleList(tokens, lastCue, i)))
    )
      nominal = false;
    // "without omitting or combining any entry and with no preamble": a verb of refusing that a "without" governed ends
    // with its phrase too.
    if (
      (t.lower === "and" || t.lower === "or") &&
      after &&
      NEW_PHRASE.has(after.lower) &&
      verbalAtNominal >= 0 &&
      verbal > verbalAtNominal &&
      limited.length === 0
    ) {
      verbal = verbalAtNominal;
      verbalAtNominal = -1;
    }
    // "no charge on Unlimited, £2.25 a day on all other plans": an item that opens with an amount says what applies
    // elsewhere; it is not one more thing the "no" refuses.
    if (nominal && t.text === "," && after && /^[£$€¥\d]/.test(after.text)) nominal = false;
    // "not used, not worn, with original tags": a new prepositional item after a comma.
    if (nominal && t.text === "," && after && ["with", "within", "for", "if", "when", "to", "in"].includes(after.lower))
      nominal = false;
    // ", never another card, within 5-7 days", ", ignoring irrelevant ones, in three sentences": a negation said as an
    // aside between commas ends there too (comma-orders.ts).
    if (verbal > 0 && !nominal && t.text === "," && after && opensOwnItem(after) && asideCue(tokens, lastCue, from)) {
      verbal = 0;
      limited.length = 0;
    }
    // "It gives no tax advice, pointing them to an advisor instead": a participle after the comma says what is done
    // alongside; it is no item of what is refused (unless the refused things are themselves -ing forms: "no guessing,
    // inventing facts").
    if ((nominal || verbal > 0) && t.text === "," && lastCue >= 0 && freeAdjunct(tokens, lastCue, i + 1, to)) {
      verbal = 0;
      nominal = false;
      limited.length = 0;
    }
    // "no personal details, facts only, 60 words at most": an item with a limit of its own is not under the "no".
    if (nominal && t.text === "," && restrictedItem(tokens, i + 1, to)) nominal = false;
    // "plain numbers, no totals, null for unreadable values": a "no" that is one item of a list ends with it.
    if (nominal && itemNo && t.text === "," && !alternativesFollow(tokens, i, to)) nominal = false;
    // "if the item is not used and has its tags": a second predicate after "and"/"but" is affirmed
    // ("never ask for, repeat or store" shares its negation over "or").
    // "haven't been used and still carry their tags": an adverb may come before that predicate's verb, and so may a
    // courtesy ("do not explain them and please add tips").
    const verbAt = after && BEFORE_SECOND_PREDICATE.has(after.lower) ? i + 2 : i + 1;
    const verb = tokens[verbAt];
    if (
      (t.lower === "and" || t.lower === "but") &&
      verb &&
      verbAt < to &&
      (verb.pos === "VERB" ||
        verb.pos === "AUX" ||
        (nominal && parallelPredicate(tokens, from, lastCue, verbAt, to))) &&
      !NEGATION_AFTER.has(tokens[verbAt + 1]?.lower ?? "")
    ) {
      verbal = 0;
      nominal = false;
      limited.length = 0;
    }
    // "never worn and with their labels still on": an item that says a state still holds is affirmed (still-conjunct.ts).
    if ((verbal > 0 || nominal) && stillConjunct(tokens, i, to)) {
      verbal = 0;
      nominal = false;
      limited.length = 0;
    }
    // "invent nothing", "add nothing": the verb's object is nothing, so the verb is forbidden.
    // ("contains nothing but the text", "add nothing else than" restrict instead.)
    // ("Write none for a missing date": "none" is then the value to write, unless "none of" follows.)
    // ("invent none.", "add none;": "none" closing the clause after an order is its object too.)
    // ("Nominate nobody": an order whose object is nobody is forbidden the same way.)
    // "costs nothing extra", "no extra charge": a price of zero negates its amount only (zero-amount.ts).
    const amountEnd = zeroAmount(tokens, i, from, to);
    const zero = amountEnd > i;
    if (zero) zeroUntil = amountEnd;
    if (
      !zero &&
      (t.lower === "nothing" ||
        t.lower === "nobody" ||
        (t.lower === "none" && (tokens[i + 1]?.lower === "of" || noneCloses(tokens, i, to)))) &&
      i > from &&
      tokens[i - 1].pos === "VERB" &&
      !t.quoted &&
      !RESTRICTING.has(tokens[i + 1]?.lower ?? "")
    )
      for (const v of [i - 1, ...coordinatedVerbs(tokens, i - 1, from)]) tokens[v].negated = !tokens[v].negated;
    // "<IT question, no answer> or NONE": a template's slot ("<...>", "[...]", "{...}") is a description closed by its
    // bracket; a negation inside it says what the slot holds and ends there (slot-template.ts reads the slots).
    if (lastCue >= 0 && (verbal > 0 || nominal) && closesSlot(tokens, from, lastCue, i)) {
      verbal = 0;
      nominal = false;
      limited.length = 0;
    }
    // A quoted literal ("not stated") is text for the model to write, not a negation.
    const cue = t.quoted || zero ? null : isCue(tokens, i, to);
    // "invent no discounts", "add no commentary": an order whose object is "no ..." forbids the order.
    if (
      cue === "nominal" &&
      t.lower === "no" &&
      i > from &&
      tokens[i - 1].pos === "VERB" &&
      tokens[i - 1].lemma !== "be"
    )
      for (const v of [i - 1, ...coordinatedVerbs(tokens, i - 1, from)]) tokens[v].negated = !tokens[v].negated;
    // "null for anything the email doesn't say, no guessing": a new negation after a comma starts
    // afresh instead of cancelling the one before it.
    if (cue && lastCue >= 0 && lastComma > lastCue) {
      verbal = 0;
      nominal = false;
      limited.length = 0;
      t.negated = false;
    }
    if (t.text === ",") lastComma = i;
    // "Any added note is rejected": a passive that refuses its subject.
    if (!cue && REFUSING.has(t.lower) && i > from && AUXILIARIES.has(tokens[i - 1].lower))
      refuseSubject(tokens, from, i - 1);
    t.negated = (verbal + (nominal ? 1 : 0)) % 2 === 1;
    if (i < zeroUntil && !zero) t.negated = !t.negated;
    const described = cue && t.descriptive ? descriptionEnd(tokens, i, to) : null;
    if (cue === "verbal") {
      verbal++;
      lastCue = i;
      const until =
        modifierScope(tokens, i, to) ??
        gappedRelative(tokens, i, from, to) ??
        described ??
        (AUXILIARIES.has(tokens[i - 1]?.lower ?? "") ? null : participleItem(tokens, i, to));
      if (until !== null) {
        limited.push(until);
        limited.sort((a, b) => a - b);
      } else reachBackToSubject(tokens, from, i, to);
    } else if (cue === "nominal") {
      // "No claim without a citation", "nothing without its source": "without" after a "no" cancels it, and the
      // sentence asks for what follows (every claim with a citation).
      const doubled = t.lower === "without" && nominal && lastCue >= 0 && NO_WORDS.has(tokens[lastCue].lower);
      lastCue = i;
      if (doubled) {
        nominal = false;
        itemNo = false;
        continue;
      }
      // "Stop early rather than list a weak match", "Omit the field instead of guessing": what follows "rather than"
      // or "instead of" is the alternative refused, whatever a verb of refusing said before it. (After "not" or
      // "never" the old count stands: "never write null rather than a guess" reverses the rule.)
      if (
        (t.lower === "rather" || t.lower === "instead") &&
        !tokens
          .slice(from, i)
          .some((x, k) => (VERBAL_CUES.has(x.lower) || x.lemma === "not") && !inCondition(tokens, from, from + k))
      ) {
        verbal = 0;
        limited.length = 0;
      }
      // "A ticket matching none of these is other": "none of ..." as a verb's object ends with its noun phrase.
      if (t.lower === "none" && tokens[i + 1]?.lower === "of" && i > from && tokens[i - 1].pos === "VERB") {
        let until = i + 2;
        while (until < to && !/^[,;:.!?]$/.test(tokens[until].text) && !isFiniteVerb(tokens[until])) until++;
        limited.push(until);
        limited.sort((a, b) => a - b);
        verbal++;
        continue;
      }
      if (described !== null) nominalUntil = described;
      // "nobody got hurt, like smoke": a negated subject negates its own predicate, up to the comma.
      // "Instead of leaving typos, correct the spelling": a fronted "instead of" reaches only to its comma.
      const fronted = (t.lower === "instead" || t.lower === "rather") && !tokens.slice(from, i).some(isWord);
      const item = participleItem(tokens, i, to);
      if (item !== null) {
        limited.push(item);
        verbal++;
      } else if (t.lower === "nobody" || (t.lower === "no" && tokens[i + 1]?.lower === "one") || fronted) {
        let until = i + 1;
        while (until < to && tokens[until].text !== ",") until++;
        limited.push(until);
        verbal++;
      } else {
        verbalAtNominal = verbal;
        nominal = true;
        itemNo = t.lower === "no" && opensListItem(tokens, from, i);
      }
    }
  }
}

/** Whether the word at `at - 1` is a past participle: "guessed", "defaulted", "taken", "left". */
function isParticiple(w: Token | undefined): boolean {
  return (
    w !== undefined &&
    w.pos === "VERB" &&
    w.lemma !== w.lower &&
    (/(?:ed|en)$/.test(w.lower) || IRREGULAR_PARTICIPLES.has(w.lower))
  );
}

/** "none is guessed, defaulted or taken": the word after the conjunction at `at` goes on a list of participles. */
function participleList(tokens: Token[], cue: number, at: number): boolean {
  return isParticiple(tokens[at + 1]) && tokens.slice(cue + 1, at).some(isParticiple);
}

/** Verbs of leaving out that take an object: with the object gapped they make a relative clause. */
const LEAVING = new Set(["omit", "skip", "exclude", "drop", "ignore", "leave"]);

/**
 * "Whatever the email leaves out is null", "A value the email omits is null": a verb of leaving out with its object
 * gapped, followed at once by the sentence's own predicate, is a relative clause describing the subject; its
 * negation ends with it (the predicate is affirmed). An order has its object: "Leave out the greeting".
 */
function gappedRelative(tokens: Token[], i: number, from: number, to: number): number | null {
  const t = tokens[i];
  if (!LEAVING.has(t.lemma) || t.lower === t.lemma) return null;
  let end = i + 1;
  if (t.lemma === "leave") {
    if (!["out", "off"].includes(tokens[end]?.lower ?? "")) return null;
    end++;
  }
  const next = tokens[end];
  if (!next || end >= to || !(next.pos === "AUX" || AUXILIARIES.has(next.lower))) return null;
  const subject = tokens[i - 1];
  if (!subject || i - 1 < from || !["NOUN", "PROPN", "PRON"].includes(subject.pos) || SPEAKERS.has(subject.lower))
    return null;
  return end;
}

/** Whether the word at `at` sits in a condition ("whenever a value is not in the email") opened after `from`. */
function inCondition(tokens: Token[], from: number, at: number): boolean {
  for (let k = at - 1; k >= from; k--) {
    const w = tokens[k];
    if (/^[,;:]$/.test(w.text)) return false;
    if (["if", "when", "whenever", "where", "wherever"].includes(w.lower)) return k > from;
  }
  return false;
}

/**
 * "It gives no tax advice and points them to an advisor", "Give no tax advice and point to an advisor": after "and",
 * a word the tagger calls a noun is a second predicate when it has the form of the verb whose object the "no" opens
 * (both -s forms, or both bare in an order that opens the clause) and goes on like a predicate: an object pronoun or
 * determiner, or a preposition before one ("to an advisor"). "Add no greetings and points of view" (bare verb, -s
 * word) and "No refunds and returns to the store" (no verb) stay one list under the "no".
 */
function parallelPredicate(tokens: Token[], from: number, cue: number, at: number, to: number): boolean {
  const verb = tokens[cue - 1];
  const word = tokens[at];
  if (verb?.pos !== "VERB" || tokens[cue].lower !== "no" || word.pos !== "NOUN" || at + 1 >= to) return false;
  const third = (w: Token) => /[^s]s$/.test(w.lower) && w.lower !== w.lemma;
  const bare = (w: Token) => w.lower === w.lemma;
  const opensClause = !tokens.slice(from, cue - 1).some(isWord);
  const agrees = (third(verb) && third(word)) || (bare(verb) && bare(word) && opensClause);
  if (!agrees) return false;
  const next = tokens[at + 1];
  const after = tokens[at + 2];
  return (
    next.pos === "PRON" ||
    next.pos === "DET" ||
    next.lower === "such" ||
    (next.pos === "ADP" && after !== undefined && (after.pos === "DET" || after.pos === "PRON"))
  );
}

/** A participle opening a phrase of its own after the comma at `at - 1`, where the negated words are no -ing forms. */
function freeAdjunct(tokens: Token[], cue: number, at: number, to: number): boolean {
  const word = tokens[at];
  const next = tokens[at + 1];
  if (!word || at + 1 >= to || word.pos !== "VERB" || !/ing$/.test(word.lower) || word.lower === word.lemma)
    return false;
  if (!next || !isWord(next) || next.lower === "or" || next.lower === "and") return false;
  // The first word the negation reaches ("no guessing", "never guess"): an -ing form there makes the list of -ing forms.
  let first = cue + 1;
  while (first < at && !isWord(tokens[first])) first++;
  return first < at && !/ing$/.test(tokens[first].lower);
}

/** Verbs whose object "none" is the value to write: "Write none for a missing date". */
const VALUE_VERBS = new Set([
  "write",
  "output",
  "return",
  "answer",
  "reply",
  "say",
  "put",
  "use",
  "give",
  "print",
  "set",
]);

/** Particles of a phrasal verb that may follow its object: "leave none out", "hold nothing back". */
const OBJECT_PARTICLES = new Set(["out", "off", "back", "away"]);

/**
 * "invent none.": "none" closes the clause, the object of an order that is not one of writing a value; so it does
 * before the particle of a phrasal verb that ends the clause or a coordinated part of it ("leave none out and ...").
 */
function noneCloses(tokens: Token[], i: number, to: number): boolean {
  const closes = (k: number) => {
    const next = tokens[k];
    return !next || k >= to || /^[,;:.!?)]$/.test(next.text) || next.lower === "and" || next.lower === "or";
  };
  const particle = OBJECT_PARTICLES.has(tokens[i + 1]?.lower ?? "") && i + 1 < to;
  const verb = tokens[i - 1];
  return (
    (particle ? closes(i + 2) : !tokens[i + 1] || i + 1 >= to || /^[,;:.!?)]$/.test(tokens[i + 1].text)) &&
    verb !== undefined &&
    !VALUE_VERBS.has(verb.lemma)
  );
}

/** Prepositions whose object is a reference point: "nothing after END", "no facts beyond the ticket". */
const REFERENCE_POINTS = new Set(["after", "before", "beyond", "outside", "between", "around"]);

/**
 * The preposition follows the negated order or thing closely ("nothing after", "no facts beyond", "don't add
 * anything after"), not a predicate of its own ("none of those is present beyond doubt").
 */
function attachedToNegation(tokens: Token[], cue: number, prep: number): boolean {
  if (prep - cue <= 5 && !tokens.slice(cue + 1, prep).some((t) => t.pos === "AUX" || /^[,;:.!?]$/.test(t.text))) {
    return tokens.slice(cue + 1, prep).filter((t) => t.pos === "VERB").length <= 1;
  }
  return forbiddenList(tokens, cue, prep);
}

const LIST_WORDS = new Set(["DET", "ADJ", "NOUN", "PROPN", "NUM", "CCONJ"]);

/**
 * "don't add any explanation, heading or comment after the JSON": the order (at most one verb) and then only a
 * list of things, commas and "or"/"and" between them, up to the preposition: the list is what is forbidden, and
 * the preposition's object still the reference point. Bounded, so a long sentence never reaches back to its cue.
 */
function forbiddenList(tokens: Token[], cue: number, prep: number): boolean {
  if (prep - cue > 14) return false;
  let verbs = 0;
  let things = 0;
  for (let k = cue + 1; k < prep; k++) {
    const t = tokens[k];
    const previous = tokens[k - 1];
    if (t.text === "," || t.text === "-") continue;
    // The list's later items are nouns by coordination, whatever the tagger says ("explanation, heading or
    // comment" tags both as verbs); so is the end of a hyphenated item ("sign-off").
    const listed = things > 0 && (previous.text === "," || previous.text === "-" || previous.pos === "CCONJ");
    if (listed || t.pos === "NOUN" || t.pos === "PROPN") {
      things++;
      continue;
    }
    if (t.pos === "VERB" && things === 0 && ++verbs <= 1) continue;
    if (!LIST_WORDS.has(t.pos)) return false;
  }
  return things > 0;
}

/** "before or after the JSON", "before and after it": two points joined, with an object they share. */
function pairedPoint(tokens: Token[], i: number, to: number): boolean {
  const joint = tokens[i + 1];
  const second = tokens[i + 2];
  const object = tokens[i + 3];
  return (
    i + 3 < to &&
    (joint?.lower === "or" || joint?.lower === "and") &&
    second !== undefined &&
    REFERENCE_POINTS.has(second.lower) &&
    object !== undefined &&
    isWord(object)
  );
}

/** The end of a reference point's noun phrase: the next punctuation, coordinated verb or new negation. */
function referenceEnd(tokens: Token[], from: number, to: number): number {
  let k = from;
  while (k < to) {
    const t = tokens[k];
    if (/^[,;:.!?()—–]$/.test(t.text)) break;
    if ((t.lower === "and" || t.lower === "or") && k > from) {
      const next = tokens[k + 1];
      // "the first row or after END": only a coordinated noun goes on with the reference point.
      if (!next || !["DET", "NOUN", "PROPN", "ADJ", "NUM"].includes(next.pos) || NOMINAL_CUES.has(next.lower)) break;
    }
    if (k > from && (VERBAL_CUES.has(t.lower) || NOMINAL_CUES.has(t.lower))) break;
    k++;
  }
  return k;
}

/** Where the description (parentheses, a relative clause) around token `i` ends, or null if it runs to `to`. */
function descriptionEnd(tokens: Token[], i: number, to: number): number | null {
  for (let k = i + 1; k < to; k++) if (!tokens[k].descriptive) return k;
  return null;
}

/**
 * "Explanations are not allowed", "ESCALATE should never be added": the negation sits after the
 * subject it forbids. Flips the subject when the clause opens with it (not with an order) and the
 * negation follows an auxiliary, unless the verb is one of changing ("must never be altered").
 */
function reachBackToSubject(tokens: Token[], from: number, cue: number, to: number): void {
  const aux = tokens[cue - 1];
  if (cue - 1 <= from || !aux || !AUXILIARIES.has(aux.lower)) return;
  const words = tokens.slice(from, cue - 1).filter(isWord);
  const opener = words[0];
  if (!opener || SPEAKERS.has(opener.lower)) return;
  // "Do not ...": an order opens the clause, so there is no subject to reach.
  if (words.length === 1 && opener.pos === "AUX") return;
  const after = tokens.slice(cue + 1, Math.min(to, cue + 4)).filter(isWord);
  const verb = after.find((x) => x.lower !== "be" && x.lower !== "ever" && x.lower !== "been");
  const passive = after[0]?.lower === "be" || after[0]?.lower === "been";
  if (!passive && !(verb && PREDICATES.has(verb.lemma)) && !(verb && PREDICATES.has(verb.lower))) return;
  if (verb && CHANGE_VERBS.has(verb.lemma)) return;
  // Only a plain subject: "Refunds go back to the card and cannot be paid elsewhere" has its own verb.
  if (words.some(isFiniteVerb)) return;
  for (let k = from; k < cue - 1; k++) tokens[k].negated = !tokens[k].negated;
}
