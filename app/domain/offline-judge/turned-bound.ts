import { digitsAt } from "./number-words";
import { quoteRule, type Reading, readPrompt, type Token } from "./reading";

/**
 * A limit turned round: the brief bounds a quantity from one side ("Fuel surcharge at most 6% of the freight charge",
 * "Each subject line at most 8 words", "Returns within 30 days"), the prompt sets the same figure, in the same unit, as
 * a bound from the other side:
 *
 *     the fuel surcharge must be at least 6% of the freight charge          (a cap made a minimum)
 *     LENGTH: at least 8 words per subject line
 *     returns are accepted after a minimum of 30 days
 *
 * The slot comes from the requirement's description: the figure, its unit and the side its comparator puts the
 * quantity on. In the prompt only words that set a bound count ("at least", "a minimum of", "no less than", "or more";
 * "at most", "up to", "no more than", "or less"): "over 6%" and "more than 8 words" name the case that breaks a cap as
 * often as they set a floor ("HOLD if the surcharge is over 6%"), and a bound inside a condition ("hold if it is at
 * least 7%") names a case, not the limit.
 */

export type BoundSide = "floor" | "ceiling";

export interface BoundSlot {
  value: number;
  side: BoundSide;
  /** The unit right after the figure, lower case and without a plural s: "%", "word", "day". */
  unit: string;
  /** What is bounded, the nouns before the comparator: "fuel", "surcharge"; "subject", "line". */
  thing: string[];
}

const WORD = /[\p{L}\p{N}%]/u;
const isWord = (t: Token) => WORD.test(t.text);
/** A word less its plural s: "Returns" and "return", "lines" and "line" are one thing. */
const plain = (t: Token) => t.lower.replace(/s$/, "");
const unitOf = (t: Token | undefined) => (t ? t.lower.replace(/^percent$/, "%").replace(/s$/, "") : "");

/** The figure at token `i`: digits or a number in words. */
function figure(tokens: Token[], i: number): number | null {
  const t = tokens[i];
  if (/^\d+(?:\.\d+)?$/.test(t.text)) return Number(t.text);
  if (t.lower === "one" || t.pos === "PRON") return null;
  const words = digitsAt(tokens, i);
  return words === null ? null : Number(words);
}

/** The side the words around a figure set a bound on, in words that only set bounds, or null. */
function boundSide(tokens: Token[], i: number, strict: boolean): BoundSide | null {
  const before: string[] = [];
  for (let k = i - 1; k >= 0 && before.length < 3; k--) {
    if (/^[.;:!?]$/.test(tokens[k].text)) break;
    if (isWord(tokens[k]) && !["€", "£", "$"].includes(tokens[k].text)) before.push(tokens[k].lower);
  }
  const [w1, w2, w3] = before;
  const negated = ["no", "not", "never"].includes((w1 === "than" ? w3 : w2) ?? "");
  if (w1 === "least" && w2 === "at") return "floor";
  if (w1 === "most" && w2 === "at") return "ceiling";
  if (w1 === "to" && w2 === "up") return "ceiling";
  if (w1 === "minimum" || w1 === "min" || (w1 === "of" && (w2 === "minimum" || w2 === "min"))) return "floor";
  if (w1 === "maximum" || w1 === "max" || (w1 === "of" && (w2 === "maximum" || w2 === "max"))) return "ceiling";
  if (!strict && w1 === "within") return "ceiling";
  // "no less than 6%", "no more than 8 words" (a bare "more than" or "less than" names a case as often as a bound)
  if (w1 === "than" && negated && ["less", "fewer", "lower", "shorter", "below"].includes(w2 ?? "")) return "floor";
  if (w1 === "than" && negated && ["more", "greater", "higher", "longer", "above"].includes(w2 ?? "")) return "ceiling";
  // "6% or more", "8 words or fewer": after the figure and its unit.
  for (let k = i + 1; k < Math.min(tokens.length - 1, i + 4); k++) {
    if (/^[.;:!?,]$/.test(tokens[k].text)) break;
    if (tokens[k].lower !== "or") continue;
    const next = tokens[k + 1].lower;
    if (["more", "above", "higher", "greater", "longer"].includes(next)) return "floor";
    if (["less", "fewer", "below", "lower", "shorter"].includes(next)) return "ceiling";
  }
  return null;
}

/** The bounds a requirement's description sets: each figure with a unit and the side its words put it on. */
export function boundSlots(description: string): BoundSlot[] {
  const { tokens } = readPrompt(description);
  const slots: BoundSlot[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const value = figure(tokens, i);
    if (value === null) continue;
    const side = boundSide(tokens, i, false);
    const unit = unitOf(tokens[i + 1]);
    // The bounded thing: the nouns of the clause before the figure. "At most 3 sentences." bounds the reply itself,
    // which the declared task reads (count-floor.ts).
    const thing: string[] = [];
    for (let k = i - 1; k >= 0 && !/^[.;:!?]$/.test(tokens[k].text); k--)
      if (tokens[k].pos === "NOUN" || tokens[k].pos === "PROPN") thing.unshift(plain(tokens[k]));
    if (side && thing.length > 0 && /^(?:%|\p{L}{2,})$/u.test(unit)) slots.push({ value, side, unit, thing });
  }
  return slots;
}

/**
 * The first order that sets the slot's limit otherwise, quoted with its line, or null: `turned`, the slot's figure as a
 * bound from the other side ("at least 8 words"); `loosened`, a bound from the same side past the slot's figure, so
 * the brief's limit no longer holds ("no more than 12 words each" where a line has at most 8; "a minimum of 20 days"
 * where 30 is the floor). A tighter bound ("at most 6 words") keeps the brief's limit and breaks nothing.
 */
export function changedBound(
  reading: Reading,
  slot: BoundSlot,
  breaks: (rule: number) => boolean,
): { line: number; quote: string; change: "turned" | "loosened" } | null {
  const { tokens } = reading;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.rule < 0 || t.quoted || t.negated || !breaks(t.rule)) continue;
    const value = figure(tokens, i);
    if (value === null || unitOf(tokens[i + 1]) !== slot.unit) continue;
    const clause = reading.clauses[t.clause];
    if (!clause || clause.condition || clause.reason) continue;
    const rule = reading.rules[t.rule];
    const said = reading.tokens.slice(rule.from, rule.to);
    if (!said.some((w) => slot.thing.includes(plain(w)))) continue;
    const side = boundSide(tokens, i, true);
    if (!side) continue;
    if (value === slot.value && side !== slot.side)
      return { line: rule.line, quote: quoteRule(reading, rule), change: "turned" };
    const looser = slot.side === "ceiling" ? value > slot.value : value < slot.value;
    if (side === slot.side && looser && boundsThing(tokens, rule.from, i, slot.thing))
      return { line: rule.line, quote: quoteRule(reading, rule), change: "loosened" };
  }
  return null;
}

/**
 * Whether every word of the bounded thing stands between the figure and the figure before it in its rule: in "one
 * subject line of at most 45 characters and one preview line of at most 90 characters" the 90 bounds the preview line.
 */
function boundsThing(tokens: Token[], from: number, at: number, thing: readonly string[]): boolean {
  let start = from;
  for (let k = at - 1; k >= from; k--)
    if (figure(tokens, k) !== null) {
      start = k + 1;
      break;
    }
  const words = new Set(tokens.slice(start, at).map(plain));
  if (thing.every((w) => words.has(w))) return true;
  // A compound shortened to its first word as the label of a template line: "Subject: <max 90 characters>" bounds the
  // subject line ("Preview: ..." the preview line).
  if (thing.length < 2) return false;
  for (let k = start; k < at - 1; k++) if (plain(tokens[k]) === thing[0] && tokens[k + 1].text === ":") return true;
  return false;
}

/** For tests: whether a prompt loosens the first slot read from a description, every rule breakable. */
export function loosensBound(description: string, prompt: string): boolean {
  const [slot] = boundSlots(description);
  if (!slot) throw new Error(`no bound in ${description}`);
  return changedBound(readPrompt(prompt), slot, () => true)?.change === "loosened";
}

/** For tests: the first slot read from a description and checked against a prompt, every rule breakable. */
export function turnsBound(description: string, prompt: string): boolean {
  const [slot] = boundSlots(description);
  if (!slot) throw new Error(`no bound in ${description}`);
  return changedBound(readPrompt(prompt), slot, () => true)?.change === "turned";
}
