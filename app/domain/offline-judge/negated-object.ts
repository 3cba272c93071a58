import { isBound } from "./polarity";
import type { Clause, Token } from "./reading";

/**
 * An order whose object is "no ..." or "nothing ..." forbids its verb as surely as "don't" does: English puts the
 * negation on the object ("make up no discounts", "add no assumptions", "invent nothing", "promise nothing the brief
 * lacks") where it means "don't make up any discounts". The object's words are negated already (polarity.ts); this
 * negates the verb before them (and its particle: "make up"), so an author's "don't make up" or "never add" finds it.
 *
 * Left alone:
 * - a bound or an exception after the "no": "use no more than 8 words", "write nothing but the label", "add nothing
 *   else", "output nothing other than the JSON" (the verb is what is asked for);
 * - "be", "have" and their like, which order nothing ("there is no fee", "it has no owner"), and a verb that is
 *   negated already ("never give no answer");
 * - a verb inside a condition ("if the ticket mentions no order number"): it tells the case, not the reply.
 */

const OBJECT_NEGATIONS = new Set(["no", "nothing"]);
/** After "nothing": what is allowed after all ("nothing but", "nothing else", "nothing other than"). */
const ALLOWED_AFTER = new Set(["but", "else", "except", "besides", "other", "apart", "beyond", "more", "outside"]);
const NOT_ORDERS = new Set(["be", "have", "need", "get", "seem", "become", "remain", "mean", "contain", "include"]);
const PARTICLES = new Set(["up", "out", "down", "in", "on", "off", "back", "away"]);

export function applyNegatedObjects(tokens: Token[], clauses: Clause[]): void {
  for (const clause of clauses) {
    if (clause.condition || clause.reason) continue;
    for (let i = clause.from + 1; i < clause.to; i++) {
      const cue = tokens[i];
      // ("none" is a value in many replies: only as the object of a phrasal verb, "carry none out".)
      const noneObject = cue.lower === "none" && PARTICLES.has(tokens[i + 1]?.lower ?? "");
      if ((!OBJECT_NEGATIONS.has(cue.lower) && !noneObject) || cue.quoted) continue;
      // "ORDER NO: copy exactly": a label in capitals is a name, not an order and its object.
      if (/^[A-Z]{2,}$/.test(cue.text) || !/^[\p{L}\p{N}"“'`]/u.test(tokens[i + 1]?.text ?? "")) continue;
      if (isBound(tokens, i, clause.to)) continue;
      const next = tokens[i + 1];
      if (next && ALLOWED_AFTER.has(next.lower)) continue;
      // The verb right before the object, past a particle: "make up no", "make no", "invent nothing".
      let v = i - 1;
      if (v > clause.from && PARTICLES.has(tokens[v].lower) && tokens[v].pos !== "NOUN") v--;
      const verb = tokens[v];
      // (The tagger often reads an order that opens its sentence as a name: "Promise nothing the brief lacks".)
      const asVerb = verb?.pos === "VERB" || (v === clause.from && ["NOUN", "PROPN"].includes(verb?.pos ?? ""));
      if (!verb || !asVerb || NOT_ORDERS.has(verb.lemma) || verb.negated || verb.quoted) continue;
      if (/^[A-Z_]{2,}$/.test(verb.text)) continue;
      // Only a verb that stands as the order: the clause's first word, or one after "and", "or", ";" or a comma.
      const before = tokens[v - 1];
      if (v > clause.from && before && !["and", "or", ",", ";", ":", "then", "please", "to"].includes(before.lower))
        continue;
      for (let k = v; k < i; k++) tokens[k].negated = true;
    }
  }
}

/** Words that keep what "keep" holds from the reader: "keep your deliberation private", "keep the working to yourself". */
const WITHHELD = new Set(["private", "secret", "hidden", "confidential", "internal", "unspoken", "unsaid"]);

/**
 * "Keep X private" forbids showing X as surely as "no X": "Keep your deliberation private", "keep the thinking
 * hidden", "keep your working to yourself". The words of X (at most five, no verb among them) are negated, so an
 * author's "no deliberation" finds them. A negated "keep" ("don't keep your notes private") is left alone.
 */
export function applyWithheldObjects(tokens: Token[], clauses: Clause[]): void {
  for (const clause of clauses) {
    if (clause.condition || clause.reason) continue;
    for (let i = clause.from; i < clause.to; i++) {
      const keep = tokens[i];
      if (keep.lemma !== "keep" || keep.negated || keep.quoted) continue;
      for (let k = i + 2; k < clause.to && k <= i + 6; k++) {
        const w = tokens[k];
        const withheld =
          WITHHELD.has(w.lower) ||
          (w.lower === "to" && ["yourself", "itself", "oneself"].includes(tokens[k + 1]?.lower ?? ""));
        if (!withheld) {
          // (A gerund names the thing kept: "keep your thinking hidden".)
          if ((w.pos === "VERB" && !w.lower.endsWith("ing")) || w.pos === "AUX" || /^[,;:.]$/.test(w.text)) break;
          continue;
        }
        for (let j = i + 1; j < k; j++) tokens[j].negated = true;
        break;
      }
    }
  }
}
