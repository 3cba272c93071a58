import type { Clause, Token } from "./reading";

/**
 * Conditions that invert the rule they govern: "unless", "except when", "except if", "except for".
 *
 *     Add ESCALATE unless they threaten to cancel            = if they threaten to cancel, no ESCALATE
 *     Add ESCALATE except when they threaten to cancel       = the same
 *     Never add ESCALATE unless they threaten to cancel      = add ESCALATE when they threaten to cancel
 *     Unless they threaten to cancel, do not add ESCALATE    = the same
 *     Never add ESCALATE except for cancellation threats     = the same
 *
 * `polarity.ts` reads "unless" as a negation of its condition, which is right under an order ("Add ESCALATE unless
 * X": X is where ESCALATE is not added) but wrong under a prohibition, where the two negations cancel out: "Never A
 * unless X" asks for A when X. Here "except when/if" reads like "unless", and under a prohibition both the
 * prohibition and its exception turn round. ("Nothing except the label", "anything but" are restrictions, read in
 * `polarity.ts`, not exceptions.)
 */

const CONDITIONS = new Set(["if", "when", "whenever"]);
const EXCEPT = new Set(["except", "excepting"]);
const NEGATION_CUES = new Set(["never", "not", "n't", "no", "cannot", "without", "nothing", "none"]);
const NEGATIVE_VERBS = new Set(["avoid", "skip", "omit", "refrain"]);
/** "anything except", "nothing except", "all except": a restriction of what is allowed, not a carve-out. */
const RESTRICTED = new Set(["anything", "nothing", "everything", "else", "all", "any"]);

/**
 * "unless the ticket says so", "unless the contract states it", "unless stated": a condition on what the input says
 * grounds the prohibition rather than carving an exception out of it ("Never guess unless the ticket says so" still
 * forbids guessing), so it is left as `polarity.ts` reads it.
 */
const GROUNDING = new Set([
  "say",
  "state",
  "mention",
  "give",
  "contain",
  "include",
  "specify",
  "provide",
  "show",
  "list",
  "support",
  "confirm",
  "write",
  "spell",
]);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/** What a grounding verb takes when it refers back to the thing forbidden: "says so", "states it", "(is) stated". */
const BACK_REFERENCES = new Set(["it", "them", "so", "this", "that", "one", "these", "those", "explicitly", "clearly"]);

function grounding(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (!GROUNDING.has(t.lemma) && !GROUNDING.has(t.lower.replace(/s$/, ""))) continue;
    // ("unless the customer mentions cancelling" names a situation: a trigger, not a source.)
    let next = i + 1;
    while (next < to && !isWord(tokens[next])) next++;
    if (next >= to || BACK_REFERENCES.has(tokens[next].lower) || /(?:ed|en)$/.test(t.lower)) return true;
  }
  return false;
}

function toggle(tokens: Token[], from: number, to: number): void {
  for (let i = from; i < to; i++) tokens[i].negated = !tokens[i].negated;
}

/** The span forbids what it names: a negation in it, outside quotes and descriptions, and negated words after it. */
function prohibits(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.quoted || t.descriptive) continue;
    if (NEGATION_CUES.has(t.lower) || (NEGATIVE_VERBS.has(t.lemma) && t.text !== t.text.toUpperCase()))
      return tokens.slice(i + 1, to).some((w) => isWord(w) && w.negated);
  }
  return false;
}

function firstWord(tokens: Token[], clause: Clause): Token | undefined {
  for (let i = clause.from; i < clause.to; i++) if (isWord(tokens[i])) return tokens[i];
  return undefined;
}

export function applyInvertedConditions(tokens: Token[], clauses: Clause[]): void {
  const turned = new Set<number>();
  for (const clause of clauses) {
    const opener = firstWord(tokens, clause);
    if (!opener) continue;
    // "... except for cancellation threats", "... except when they cancel" (the tagger may keep "when" in the clause).
    if (!clause.condition) {
      for (let i = clause.from + 1; i < clause.to - 1; i++) {
        if (!EXCEPT.has(tokens[i].lower) || !isWord(tokens[i + 1])) continue;
        if (tokens.slice(Math.max(clause.from, i - 2), i).some((t) => RESTRICTED.has(t.lower))) break;
        if (turned.has(clause.index)) break;
        if (prohibits(tokens, clause.from, i)) toggle(tokens, clause.from, clause.to);
        // Under an order only a condition turns round: "Redact everything except order numbers" forbids nothing.
        else if (CONDITIONS.has(tokens[i + 1].lower)) toggle(tokens, i + 1, clause.to);
        turned.add(clause.index);
        break;
      }
      continue;
    }
    const unless = opener.lower === "unless";
    const exceptWhen = CONDITIONS.has(opener.lower) && EXCEPT.has(tokens[clause.from - 1]?.lower ?? "");
    if (!unless && !exceptWhen) continue;
    const main = clause.partner === null ? undefined : clauses[clause.partner];
    if (!main || main.rule !== clause.rule || main.condition) continue;
    const prohibition = prohibits(tokens, main.from, main.to) && !grounding(tokens, clause.from, clause.to);
    if (prohibition && !turned.has(main.index)) {
      // "Never A unless X", "Do not add A except when X": A is asked for when X.
      toggle(tokens, main.from, main.to);
      turned.add(main.index);
      if (unless) toggle(tokens, clause.from, clause.to);
    } else if (!prohibition && exceptWhen) toggle(tokens, clause.from, clause.to);
  }
}
