import type { Clause, Token } from "./reading";

/**
 * A consequence told to justify a rule explains it; it orders nothing:
 *
 *     Honesty is one of our core values, and an invented certification could get us into real trouble.
 *     Accuracy matters, and an invented detail could send an agent in the wrong direction.
 *     Weak matches would only distract the drafting model.
 *
 * What such a clause names ("an invented certification") is what the prompt warns against, not what it asks for, so
 * its words never break a requirement (the clause is read as a reason, reason-clauses.ts). A clause is a consequence
 * when a subject other than the reader ("you", "we", "it", "there") is followed by a modal of possibility or result
 * (could, might, may, would, will, can) and then by harm: a verb of harm ("break", "confuse", "cost") or a word of
 * harm after the verb ("get us into trouble", "send them the wrong way"). "It would be great if you added a note" and
 * "The reply will be one line" are not consequences: the first is a request, the second a rule.
 */

const MODALS = new Set(["could", "might", "may", "would", "will", "can", "'d", "'ll"]);
const NOT_SUBJECTS = new Set(["you", "i", "we", "it", "there", "please", "this", "that", "they", "your"]);
const HARM_VERBS = new Set(
  (
    "break confuse mislead distract cost waste hurt harm damage crash fail lose annoy frustrate slow cause ruin " +
    "spoil corrupt trigger expose violate embarrass anger upset overwhelm clutter derail invalidate endanger delay " +
    "undermine breach jeopardise jeopardize risk"
  ).split(" "),
);
const HARM_WORDS = new Set(
  (
    "trouble wrong problem problems complaint complaints risk error errors mistake mistakes confusion harm damage " +
    "expensive costly useless worse dangerous liability lawsuit lawsuits angry unhappy misleading " +
    "failure failures"
  ).split(" "),
);
const LEADS = new Set([",", "and", "but", "so", "or", "—", "-", ";"]);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/** Frames before the consequence: "Remember that ...", "Please note that ...", "Keep in mind that ...". */
const FRAMES = [["remember"], ["note"], ["keep", "in", "mind"], ["bear", "in", "mind"]];

/** The index after an opening frame ("Please remember that"), or `i`. */
function afterFrame(tokens: readonly Token[], i: number, to: number): number {
  let k = i;
  if (tokens[k]?.lower === "please") k++;
  const frame = FRAMES.find((f) => f.every((w, j) => tokens[k + j]?.lower === w));
  if (!frame || tokens[k + frame.length]?.lower !== "that" || k + frame.length + 1 >= to) return i;
  return k + frame.length + 1;
}

/** The clause tells what would go wrong, to justify a rule, and orders nothing. */
export function isConsequenceClause(tokens: readonly Token[], clause: Pick<Clause, "from" | "to">): boolean {
  let i = clause.from;
  while (i < clause.to && LEADS.has(tokens[i].lower)) i++;
  i = afterFrame(tokens, i, clause.to);
  const first = tokens[i];
  if (first === undefined || first.quoted || NOT_SUBJECTS.has(first.lower)) return false;
  // An order opens with its verb ("Make sure ...", "Never invent ..."): no subject before a modal.
  // (A participle opening a noun phrase is a subject: "invented materials would confuse shoppers".)
  const participle = first.pos === "VERB" && first.lower !== first.lemma && /(?:ed|en)$/.test(first.lower);
  if ((first.pos === "VERB" && !participle) || first.pos === "AUX" || first.pos === "ADV") return false;
  let modal = -1;
  for (let k = i + 1; k < clause.to && k < i + 12; k++) {
    const t = tokens[k];
    if (t.quoted) continue;
    if (MODALS.has(t.lower)) {
      modal = k;
      break;
    }
    // A subject is a noun phrase: a finite verb before any modal means another kind of clause.
    if (t.pos === "AUX" || t.text === ":") return false;
  }
  if (modal < 0) return false;
  const rest = tokens.slice(modal + 1, clause.to).filter(isWord);
  // "would only distract", "could easily break": the verb after an adverb or two.
  const verb = rest.find((t) => t.pos === "VERB" || t.pos === "AUX");
  if (verb === undefined) return false;
  if (HARM_VERBS.has(verb.lemma) || HARM_VERBS.has(verb.lower)) return true;
  return rest.some((t) => HARM_WORDS.has(t.lower));
}
