import type { Span, TextIndex, WordToken } from "../text-match";
import { FILLER_WORDS } from "./waste";

/**
 * Tells a prompt that *instructs* from one that merely *lists* the words the judge looks for.
 *
 * Each covered requirement should sit in an instruction-like clause. A clause (a sentence, or a
 * paragraph with no sentence breaks) is instruction-like when its requirement phrases are joined by
 * the words of a sentence, not just by spaces, commas or line breaks:
 * - one phrase: the clause has another real word, or the phrase itself is 3+ words, or it opens
 *   with an imperative ("Return JSON.");
 * - several phrases of different requirements: at least one gap between them holds a real word and
 *   half the gaps are joined (by a word, an enumeration closed by "or"/"and", or a clause-opening
 *   verb directly followed by its object: "Classify billing, technical or account tickets"),
 *   or the clause has at least as many real words outside the phrases as it has joins to make.
 * "Real word" means not part of a requirement phrase and not filler ("please", "very"...).
 * A prompt is a keyword list when it covers 2+ requirements and under half of their weight sits in
 * instruction-like clauses.
 */

export const FORMAT_ID = "(format)";

export interface Unit extends Span {
  ids: string[];
}

export interface KeywordListResult {
  keywordList: boolean;
  /** Requirement ids (and FORMAT_ID) with at least one phrase inside an instruction-like clause. */
  instructed: Set<string>;
  reason: string | null;
}

const DIRECTIVE_VERBS = new Set(
  (
    "classify categorize categorise tag summarize summarise extract return reply respond answer output list write " +
    "rewrite translate give provide use include keep limit format detect identify flag rate sort rank convert " +
    "generate produce draft explain describe compare check validate fix correct name choose pick select state quote " +
    "count estimate compute calculate map parse redact mask remove omit avoid do don't never always only be make add " +
    "start begin end follow determine decide find infer predict print show assign mark create turn shorten condense " +
    "compress report highlight note tell read analyze analyse review assess copy preserve stay cite"
  ).split(" "),
);
const CONJUNCTIONS = new Set(["or", "and", "nor", "and/or"]);

/** Sentences and blank-line-separated blocks; a list number ("1.") at a line start is not a sentence end. */
export function splitClauses(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  for (const m of text.matchAll(/\n[ \t]*\n|[.!?;]+(?=\s|$)/g)) {
    if (m[0][0] !== "\n") {
      const lineStart = text.lastIndexOf("\n", m.index - 1) + 1;
      if (/^\s*\d{1,3}$/.test(text.slice(lineStart, m.index))) continue;
    }
    out.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  out.push({ start, end: text.length });
  return out.filter((c) => /[\p{L}\p{N}]/u.test(text.slice(c.start, c.end)));
}

/** Overlapping units become one unit carrying every id. */
export function mergeUnits(units: Unit[]): Unit[] {
  const sorted = [...units].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Unit[] = [];
  for (const u of sorted) {
    const last = out[out.length - 1];
    if (last && u.start < last.end) {
      last.end = Math.max(last.end, u.end);
      for (const id of u.ids) if (!last.ids.includes(id)) last.ids.push(id);
    } else out.push({ start: u.start, end: u.end, ids: [...u.ids] });
  }
  return out;
}

interface Run {
  start: number;
  end: number;
  ids: Set<string>;
  units: number;
}

type GapKind = "word" | "conj" | "space" | "comma" | "other";

function isInstructionLike(text: string, words: WordToken[], units: Unit[]): boolean {
  const inUnit = (w: WordToken) => units.some((u) => u.start < w.end && w.start < u.end);
  const real = (w: WordToken) => !inUnit(w) && !FILLER_WORDS.has(w.text);
  const wordUnits = units.filter((u) => words.some((w) => u.start < w.end && w.start < u.end));
  const runs: Run[] = [];
  for (const u of wordUnits) {
    const last = runs[runs.length - 1];
    if (last && u.ids.some((id) => last.ids.has(id))) {
      last.end = u.end;
      last.units++;
      for (const id of u.ids) last.ids.add(id);
    } else runs.push({ start: u.start, end: u.end, ids: new Set(u.ids), units: 1 });
  }
  if (runs.length === 0) return false;
  const residue = words.filter(real).length;
  const lead = words.find((w) => !FILLER_WORDS.has(w.text));
  const opensWithVerb = lead !== undefined && DIRECTIVE_VERBS.has(lead.text);

  if (runs.length === 1) {
    if (runs[0].units > 1) return residue >= 1 || opensWithVerb;
    return words.length >= 2 && (residue >= 1 || words.length >= 3 || opensWithVerb);
  }

  const kinds: GapKind[] = [];
  for (let k = 0; k + 1 < runs.length; k++) {
    const from = runs[k].end;
    const to = runs[k + 1].start;
    const gapWords = words.filter((w) => w.start >= from && w.end <= to && real(w));
    const gapText = text.slice(from, to);
    if (gapWords.length > 0) kinds.push(gapWords.every((w) => CONJUNCTIONS.has(w.text)) ? "conj" : "word");
    else if (/^[\s\-–]*$/.test(gapText)) kinds.push("space");
    else if (/^\s*[,/]\s*$/.test(gapText)) kinds.push("comma");
    else kinds.push("other");
  }
  const byWord = kinds.filter((k) => k === "word" || k === "conj").length;
  let joined = byWord;
  const leadRun = lead !== undefined && runs[0].start <= lead.start && lead.start < runs[0].end;
  if (kinds[0] === "space" && opensWithVerb && leadRun) joined++;
  kinds.forEach((kind, k) => {
    if (kind !== "comma") return;
    const next = kinds.slice(k + 1).find((x) => x !== "comma");
    if (next === "conj") joined++;
  });
  return (byWord >= 1 && joined / kinds.length >= 0.5) || residue >= runs.length - 1;
}

function excerpt(text: string, span: Span): string {
  const t = text.slice(span.start, span.end).replace(/\s+/g, " ").trim();
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
}

export function detectKeywordList(
  index: TextIndex,
  rawUnits: Unit[],
  covered: { id: string; weight: number }[],
): KeywordListResult {
  const units = mergeUnits(rawUnits);
  const instructed = new Set<string>();
  let listLike: Span | null = null;
  for (const clause of splitClauses(index.text)) {
    const clauseUnits = units.filter((u) => u.start >= clause.start && u.start < clause.end);
    if (clauseUnits.length === 0) continue;
    const words = index.words.filter((w) => w.start >= clause.start && w.end <= clause.end);
    if (isInstructionLike(index.text, words, clauseUnits)) {
      for (const u of clauseUnits) for (const id of u.ids) instructed.add(id);
    } else listLike ??= clause;
  }
  const total = covered.reduce((s, c) => s + c.weight, 0);
  const inClauses = covered.filter((c) => instructed.has(c.id));
  const share = covered.reduce((s, c) => s + (instructed.has(c.id) ? c.weight : 0), 0);
  const keywordList = covered.length >= 2 && share < total / 2;
  const reason = keywordList
    ? `The prompt reads as a list of keywords, not instructions: ${inClauses.length} of ${covered.length} covered requirements sit in a sentence that tells the model what to do${listLike ? ` (e.g. "${excerpt(index.text, listLike)}")` : ""}.`
    : null;
  return { keywordList, instructed, reason };
}
