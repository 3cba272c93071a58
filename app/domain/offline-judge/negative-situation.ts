import { markNegation } from "./polarity";
import type { Clause, Token } from "./reading";

/**
 * A case named by a negative noun phrase, then what it leads to:
 *
 *     No action items yields [].      No relevant clause means NONE.      Nothing relevant gets NONE.
 *
 * The "no" says which case it is; the outcome after the verb is what the model should write, not something it is
 * forbidden to write. The case keeps its negation ("no action items"); the outcome is read as a clause of its own.
 * A predicate that is not one of leading to ("No explanation is needed", "No reasoning appears") still forbids its
 * subject: only the verbs below end the case.
 *
 * A subject that holds its own "no" or "without" is a case too, whatever its verb:
 *
 *     An invoice with no line items gets the reply END alone.      Expenses without a receipt need review.
 *
 * The negation describes which items; the predicate after the subject's verb is read as a clause of its own.
 *
 * So is a case fronted with "with no" or "without", then its outcome, with or without a comma:
 *
 *     With no action items, the reply is [].      With no to-dos the reply is [].      Without a deadline, write null.
 */

const OPENERS = new Set(["no", "nothing", "zero"]);
/** Verbs of leading to an outcome, as lemmas ("yields" may be tagged a noun; its lemma is still "yield"). */
const LEADS_TO = new Set(["yield", "give", "get", "mean", "produce", "become", "result", "lead", "map", "equal"]);
/** The case is a short noun phrase: "No action items", "No relevant clause at all". */
const MAX_CASE_WORDS = 6;

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

function leadsTo(t: Token): boolean {
  if (t.quoted || !/^\p{Ll}+$/u.test(t.text)) return false;
  return LEADS_TO.has(t.lemma) || LEADS_TO.has(t.lower.replace(/s$/, ""));
}

/** Opens a subject: an article, a noun, an adjective ("An invoice", "Expenses", "Unclear tickets"). */
const SUBJECT_OPENERS = new Set(["DET", "NOUN", "PROPN", "ADJ", "NUM"]);
const MAX_SUBJECT_WORDS = 8;

function finiteVerb(t: Token): boolean {
  if (t.pos === "AUX") return true;
  // ("need" is one; "added", "missing" only describe.)
  return t.pos === "VERB" && !(t.lemma !== t.lower && /(?:ing|ed|en)$/.test(t.lower));
}

/** "An invoice with no line items gets ...": the subject's verb after its "with no" / "without", or -1. */
function verbAfterNegatedSubject(tokens: Token[], first: number, to: number): number {
  if (!SUBJECT_OPENERS.has(tokens[first].pos) || OPENERS.has(tokens[first].lower)) return -1;
  // (A capitalised order may be tagged a noun: "Add a line with no text" opens with its verb.)
  if (tokens[first].lemma !== tokens[first].lower.replace(/s$/, "") && tokens[first].pos === "VERB") return -1;
  let negation = false;
  let words = 0;
  for (let k = first + 1; k < to; k++) {
    const t = tokens[k];
    if (/^[,;:.!?()]$/.test(t.text) || t.quoted) return -1;
    if (!isWord(t)) continue;
    if (++words > MAX_SUBJECT_WORDS) return -1;
    if (t.lower === "without" || (t.lower === "no" && tokens[k - 1]?.lower === "with")) negation = true;
    else if (finiteVerb(t)) return negation ? k : -1;
  }
  return -1;
}

/** Words that open the outcome after a fronted case: its subject ("the reply", "it", "output") or its order. */
const OUTCOME_SUBJECTS = new Set(["DET", "PRON"]);

/**
 * "With no action items, the reply is []", "with no to-dos the reply is []", "Without a deadline due is null": a
 * fronted case named by "with no" or "without", then its outcome. The case is the noun phrase after the negation;
 * it ends at a comma, a word that opens the outcome's subject or a verb. Returns where the outcome starts, or -1.
 */
function outcomeAfterFrontedCase(tokens: Token[], first: number, to: number): number {
  const opener = tokens[first];
  let k: number;
  if (opener.lower === "without") k = first + 1;
  else if (opener.lower === "with" && ["no", "zero"].includes(tokens[first + 1]?.lower ?? "")) k = first + 2;
  else return -1;
  // The case opens its sentence, or follows a semicolon or a colon: "...; with no action items it is []". (Inside a
  // sentence, "with no headings, lists or FAQ" is a list of things refused.)
  const before = tokens[first - 1];
  if (before && before.rule === opener.rule && !/^[;:]$/.test(before.text) && !/^[-*•\d.)]+$/.test(before.text))
    return -1;
  let words = 0;
  for (; k < to; k++) {
    const t = tokens[k];
    // After the comma, the outcome opens with its subject or its order, not with one more item of a list.
    if (t.text === ",") {
      const next = tokens[k + 1];
      const opens = next !== undefined && (OUTCOME_SUBJECTS.has(next.pos) || next.pos === "VERB" || next.pos === "AUX");
      return words > 0 && opens ? k + 1 : -1;
    }
    if (/^[;:.!?()]$/.test(t.text) || t.quoted) return -1;
    if (!isWord(t)) continue;
    // ("-" joins "to-dos": the words of a hyphenated noun are one.)
    if (words > 0 && tokens[k - 1]?.text !== "-" && (OUTCOME_SUBJECTS.has(t.pos) || finiteVerb(t))) return k;
    if (++words > MAX_CASE_WORDS) return -1;
  }
  return -1;
}

export function applyNegativeSituations(tokens: Token[], clauses: Clause[]): void {
  for (const clause of clauses) {
    let first = clause.from;
    while (first < clause.to && !isWord(tokens[first])) first++;
    if (first >= clause.to) continue;
    const outcome = outcomeAfterFrontedCase(tokens, first, clause.to);
    if (outcome >= 0 && outcome < clause.to) {
      markNegation(tokens, outcome, clause.to);
      continue;
    }
    const verb = verbAfterNegatedSubject(tokens, first, clause.to);
    if (verb >= 0) {
      markNegation(tokens, verb, clause.to);
      continue;
    }
    if (!OPENERS.has(tokens[first].lower) || tokens[first].quoted) continue;
    let words = 0;
    for (let k = first + 1; k < clause.to; k++) {
      const t = tokens[k];
      if (/^[,;:.!?()]$/.test(t.text) || t.pos === "AUX") break;
      if (!isWord(t)) continue;
      if (++words > MAX_CASE_WORDS) break;
      if (words > 1 && leadsTo(t)) {
        t.negated = false;
        markNegation(tokens, k + 1, clause.to);
        break;
      }
    }
  }
}
