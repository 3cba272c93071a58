import { quoteRule, type Reading, readPrompt, type Token } from "./reading";

/** A letter or a digit: a token holding one is a word. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * A member dropped from a rule's list: the brief's rule holds for each of several cases ("ask_user before a
 * restart, scale or rollback in prod"; "complaints about quality, delivery or price alone are OK"), and the prompt
 * restates the rule with fewer of them ("A restart or rollback in prod goes through ask_user"; "OK: complaints
 * about delivery or price"), so the case left out is no longer covered by it.
 *
 * The list comes from the requirement's description, in the brief's terms: three or more cases joined by commas and
 * "or" / "and", with the rest of the description as the rule's frame (what the cases lead to). Examples ("such as
 * fire, overheating, shock or choking") and lists of things forbidden ("no names, amounts or dates") are left out:
 * an example dropped or a catch-all ("nothing but the lines") changes no rule.
 *
 * In the prompt, a clause that says the frame and two or more of the cases is the rule restated. Cases match by
 * their first letters (a restart, restarting, restart_service), and the other words of the prompt's list count as
 * cases said in other words ("restart, resize or roll back" keeps three cases): only a list shorter than the
 * brief's, whose missing case no other clause of the frame names, has dropped it.
 */

export interface MemberList {
  /** Each case's words (lower case), any of which names it. */
  members: string[][];
  /** The frame's words, as lemmas. */
  frame: Set<string>;
}

const SEPARATORS = new Set([",", "or", "and", "/", "|", "&"]);
/** What opens a list of cases: "before a restart, a scale or a rollback", "for X, Y or Z", "about X, Y or Z". */
const CASE_OPENERS = new Set(["for", "before", "about", "on", "after"]);
const EXAMPLE_CUES = new Set(["such", "like", "e.g.", "eg", "including", "example"]);
const NEGATION_CUES = new Set(["no", "not", "never", "nothing", "without", "n't", "none"]);
const CONTENT = new Set(["NOUN", "PROPN", "VERB", "ADJ", "X"]);
const STOP = new Set(["be", "have", "do", "any", "each", "every", "one", "it", "that", "which", "when", "if", "get"]);
/** A case's words stop at what qualifies it: "auto-renewal over 12 months", "text that is not a review". */
const ITEM_ENDS = new Set(["ADP", "SCONJ", "NUM", "PRON", "AUX", "PUNCT", "CCONJ"]);
const PREFIX = 4;

const stem = (w: string) =>
  w
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "")
    .slice(0, PREFIX);

function itemWords(tokens: Token[], from: number, to: number): string[] {
  const words: string[] = [];
  for (let k = from; k < to; k++) {
    const t = tokens[k];
    if (t.text === "-") continue;
    if (ITEM_ENDS.has(t.pos) && words.length > 0) break;
    if (CONTENT.has(t.pos) && /\p{L}{3}/u.test(t.text) && !STOP.has(t.lemma)) words.push(t.lower);
  }
  return words;
}

/** The list of cases a requirement's description states, with its frame, or null. */
export function memberList(description: string): MemberList | null {
  const reading = readPrompt(description);
  const { tokens } = reading;
  // The longest run of items joined by separators, ending in "or"/"and" before its last item.
  let best: { from: number; to: number; cuts: number[] } | null = null;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].text !== ",") continue;
    // Walk left to the list's first item, right to its last.
    let from = i;
    while (from > 0 && !/^[;:.()]$/.test(tokens[from - 1].text) && tokens[from - 1].pos !== "ADP") from--;
    const cuts = [i];
    let to = i + 1;
    let closed = false;
    while (to < tokens.length && !/^[;:.()]$/.test(tokens[to].text)) {
      if (tokens[to].text === ",") cuts.push(to);
      else if (tokens[to].lower === "or" || tokens[to].lower === "and") {
        if (tokens[to - 1].text !== ",") cuts.push(to);
        closed = true;
        to++;
        // The last item: up to what qualifies it.
        while (to < tokens.length && (!ITEM_ENDS.has(tokens[to].pos) || tokens[to].text === "-")) to++;
        break;
      }
      to++;
    }
    // Only the cases of a condition: "before a restart, ...", "for unlimited liability, ...", "about quality, ...".
    const opener = from - 1;
    if (!closed || cuts.length < 2 || opener < 0 || !CASE_OPENERS.has(tokens[opener].lower)) continue;
    while (from < to && tokens[from].pos === "DET") from++;
    if (!best || cuts.length > best.cuts.length) best = { from, to, cuts };
    i = to;
  }
  if (!best) return null;
  const before = tokens.slice(Math.max(0, best.from - 3), best.from).map((t) => t.lower);
  if (before.some((w) => EXAMPLE_CUES.has(w))) return null;
  if (tokens.slice(0, best.to).some((t) => NEGATION_CUES.has(t.lower))) return null;
  const bounds = [best.from, ...best.cuts, best.to];
  const members: string[][] = [];
  for (let b = 0; b + 1 < bounds.length; b++) {
    const start = b === 0 ? bounds[b] : bounds[b] + 1;
    const skip = tokens[start]?.text === "," || tokens[start]?.lower === "or" ? 1 : 0;
    const words = itemWords(tokens, start + skip, bounds[b + 1]);
    if (words.length > 0) members.push(words);
  }
  if (members.length < 3) return null;
  const frame = new Set<string>();
  tokens.forEach((t, k) => {
    if (k >= best.from && k < best.to) return;
    // (A label in capitals, "OK", whatever its tag.)
    const label = /^\p{Lu}{2,}$/u.test(t.text);
    if ((label || CONTENT.has(t.pos)) && /\p{L}{2}/u.test(t.text) && !STOP.has(t.lemma))
      frame.add(t.lemma.toLowerCase());
  });
  // A case is named by its own words, not the frame's: "an empty review" where the rule is about reviews.
  const own = members.map((words) => words.filter((w) => !frame.has(w) && !frame.has(w.replace(/s$/, ""))));
  if (own.some((words) => words.length === 0)) return null;
  return frame.size > 0 ? { members: own, frame } : null;
}

/** A frame word in any form: "confirmed" for "confirmation", "production" for "prod". */
function inFrame(list: MemberList, t: Token): boolean {
  if (t.negated) return false;
  const word = t.lower.replace(/[^\p{L}\p{N}]/gu, "");
  if (word.length < 2) return false;
  for (const f of list.frame) {
    if (f === word || f === t.lemma.toLowerCase()) return true;
    if (f.length >= 5 ? word.length >= 5 && word.slice(0, 5) === f.slice(0, 5) : f.length >= 3 && word.startsWith(f))
      return true;
  }
  return false;
}

/** A clause with its condition or outcome. */
function clauseSpan(reading: Reading, c: number): number[] {
  const clause = reading.clauses[c];
  return clause.partner === null ? [c] : [c, clause.partner];
}

/** Items in the prompt's list around the members found: "restart, resize or roll back" has three. */
function listLength(tokens: Token[], from: number, to: number, hits: number[]): number {
  let first = Math.min(...hits);
  let last = Math.max(...hits);
  let items = 1;
  for (let k = first; k < last; k++)
    if (SEPARATORS.has(tokens[k].lower) && !SEPARATORS.has(tokens[k + 1]?.lower)) items++;
  // Items before the first case and after the last one, joined by the same separators.
  while (first - 2 >= from && SEPARATORS.has(tokens[first - 1].lower) && WORD_CHAR.test(tokens[first - 2].text)) {
    items++;
    first -= 2;
  }
  while (last + 2 < to && SEPARATORS.has(tokens[last + 1].lower) && WORD_CHAR.test(tokens[last + 2].text)) {
    items++;
    last += 2;
    // "or roll back", "or legal action": a case of two words.
    while (
      last + 1 < to &&
      tokens[last + 1].pos !== "PUNCT" &&
      !SEPARATORS.has(tokens[last + 1].lower) &&
      last - first < 40
    )
      if (tokens[last + 1].pos === "NOUN" || tokens[last + 1].pos === "VERB" || tokens[last + 1].pos === "ADP") last++;
      else break;
  }
  return items;
}

/**
 * The first rule that restates the list with a case left out (and no other clause of the frame naming it), quoted
 * with its line, or null.
 */
export function droppedMember(
  reading: Reading,
  list: MemberList,
  breaks: (rule: number) => boolean,
): { line: number; quote: string; member: string } | null {
  const { tokens, clauses } = reading;
  // For each clause (with its partner): which cases it names, and whether it says the frame. Each token's stem and
  // each clause's cases are read once: a 4,000-token prompt has hundreds of clauses to weigh against each other.
  const named: Set<number>[] = clauses.map(() => new Set());
  const framed: boolean[] = clauses.map(() => false);
  /** The tokens of each clause that name a case, quoted or negated or not (for the length of its list). */
  const naming: number[][] = clauses.map(() => []);
  const memberStems = list.members.map((m) => m.map(stem));
  for (const t of tokens) {
    if (t.clause < 0) continue;
    // A token names a case when its stem (three letters or more: "restart", "restarting") is a stem of the case's words.
    const s = stem(t.text);
    const cases = s.length >= 3 ? memberStems.flatMap((m, j) => (m.includes(s) ? [j] : [])) : [];
    if (cases.length > 0) naming[t.clause].push(t.index);
    if (t.quoted) continue;
    if (!t.negated) for (const j of cases) named[t.clause].add(j);
    if (inFrame(list, t)) framed[t.clause] = true;
  }
  const spans = clauses.map((_, c) => clauseSpan(reading, c));
  const saying = spans.map((span) => span.some((k) => framed[k]));
  const says = (c: number) => saying[c];
  const casesBy = spans.map((span) => new Set(span.flatMap((k) => [...named[k]])));
  const casesOf = (c: number) => casesBy[c];
  for (let c = 0; c < clauses.length; c++) {
    const cases = casesOf(c);
    // (One case with the frame is often one of several rules, each for its own case, or a case in other words.)
    if (cases.size < 2 || cases.size >= list.members.length || !says(c) || !breaks(clauses[c].rule)) continue;
    const missing = list.members.map((_, j) => j).filter((j) => !cases.has(j));
    // Named with the frame elsewhere: "Scaling in prod also needs confirmation."
    // ...or in the same sentence: "Restarting prod needs an ask_user confirmation; the same goes for scaling".
    const elsewhere = (j: number) =>
      clauses.some((other, o) => o !== c && (other.rule === clauses[c].rule || says(o)) && casesOf(o).has(j));
    if (missing.every(elsewhere)) continue;
    const hits = spans[c].flatMap((k) => naming[k]);
    // (The list may run on into the next clause: "when the review is empty, spam or not a review".)
    const rule = reading.rules[clauses[c].rule];
    if (listLength(tokens, rule.from, rule.to, hits) >= list.members.length) continue;
    return { line: rule.line, quote: quoteRule(reading, rule), member: list.members[missing[0]][0] };
  }
  return null;
}
