import type { Requirement } from "../exercise";
import type { RequirementHits } from "./coverage";
import type { PhraseHit } from "./phrases";
import { quoteRule, type Reading, type Token } from "./reading";

/**
 * A line that orders nothing (a worked example, background, a courtesy, a self-check: offline-judge.ts's `stating`)
 * may cover nothing and break nothing by its words alone, but when it binds a case the brief rules on to a value, the
 * binding must agree with the brief:
 *
 *     For example, an unsure review is OK.                          unsure must be SAFETY: contradicted
 *     For instance, a charger that overheated counts as OK.         a hazard made OK: contradicted
 *     Background: our queue treats an ambiguous clause as LOW.      unsure is never LOW: contradicted
 *     For example, a customer who threatens to cancel gets no ESCALATE line.
 *
 * A binding is a case, then a copula, a verb of counting or an arrow ("is", "counts as", "means", "gets", "treat ...
 * as", "=", "→", ":"), then the value within a few words: a `broken_by` entry whose groups sit on both sides of it
 * ("unsure" before, "OK" after), or a requirement's case before it and its value denied after it ("a burn is not
 * SAFETY"). Words on one side only bind nothing: "a burned hand is definitely a safety issue" has its emphasis after
 * the copula, so "definitely" is no case, and "a late parcel is OK" agrees with the brief. Past tense is history
 * ("unsure reviews were marked OK until a child got hurt"), not a binding.
 */

const WORD_MARKERS = new Set([
  "is",
  "are",
  "'s",
  "'re",
  "be",
  "means",
  "mean",
  "count",
  "counts",
  "becomes",
  "become",
  "gets",
  "get",
  "stays",
  "stay",
  "remains",
  "remain",
  "equals",
  "equal",
]);
const SYMBOL_MARKERS = new Set(["=", "→", "->", "=>", ":"]);
/** "such as", "as well as", "as long as", "as if": "as" that binds nothing. */
const NOT_AS_BEFORE = new Set(["such", "well", "long", "soon", "far", "much", "same"]);
const NOT_AS_AFTER = new Set(["if", "though", "well", "written", "is", "it", "they", "you", "we", "usual", "needed"]);
/** Words a value may be reached over: "is an OK review", "counts as OK", "is marked OK", "= 'OK'". */
const VALUE_GAP = 4;

/** Whether the token at `i` binds what comes before it (in its clause) to what comes right after it. */
function isMarker(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  if (t.quoted) return false;
  if (SYMBOL_MARKERS.has(t.text)) return true;
  if (WORD_MARKERS.has(t.lower)) return true;
  if (t.lower !== "as") return false;
  const before = tokens[i - 1];
  const after = tokens[i + 1];
  if (before === undefined || after === undefined) return false;
  if (NOT_AS_BEFORE.has(before.lower)) return false;
  if (NOT_AS_AFTER.has(after.lower)) return false;
  // "Read every unsure review as OK", "our queue treats ... as LOW": a verb earlier in the clause.
  for (let k = i - 1; k >= 0 && tokens[k].clause === t.clause && k >= i - 8; k--)
    if (tokens[k].pos === "VERB" || tokens[k].pos === "AUX") return true;
  return false;
}

/** The last token of the value span after a marker: a few words, up to punctuation or "and"/"or"/"but". */
function valueEnd(tokens: Token[], m: number, ruleEnd: number): number {
  let end = m;
  for (let k = m + 1; k < ruleEnd && k <= m + VALUE_GAP; k++) {
    const t = tokens[k];
    if (/^[,.;!?]$/.test(t.text) || t.pos === "CCONJ" || t.newlineBefore) break;
    end = k;
  }
  return end;
}

interface Spans {
  caseFrom: number;
  marker: number;
  valueTo: number;
}

/** Each rule's markers, found once per reading (the judge asks for them per requirement and per entry). */
const markersOf = new WeakMap<Reading, Map<number, Spans[]>>();

function ruleMarkers(reading: Reading, r: number): Spans[] {
  let byRule = markersOf.get(reading);
  if (!byRule) {
    byRule = new Map();
    markersOf.set(reading, byRule);
  }
  const known = byRule.get(r);
  if (known) return known;
  const { tokens } = reading;
  const rule = reading.rules[r];
  const out: Spans[] = [];
  for (let m = rule.from + 1; m < rule.to - 1; m++) {
    if (!isMarker(tokens, m)) continue;
    const clause = reading.clauses[tokens[m].clause];
    if (clause !== undefined) out.push({ caseFrom: clause.from, marker: m, valueTo: valueEnd(tokens, m, rule.to) });
  }
  byRule.set(r, out);
  return out;
}

function* markers(reading: Reading, rules: Iterable<number>): Generator<Spans> {
  for (const r of rules) yield* ruleMarkers(reading, r);
}

const inCase = (s: Spans) => (h: PhraseHit) => h.from >= s.caseFrom && h.to <= s.marker;
const inValue = (s: Spans) => (h: PhraseHit) => h.from > s.marker && h.from <= s.valueTo;

/** Some group on the value side and another on the case side; every group on one side or the other. */
function bindsAcross(groups: PhraseHit[][], s: Spans): boolean {
  const sides = groups.map((hits) => ({ c: hits.some(inCase(s)), v: hits.some(inValue(s)) }));
  if (!sides.every((x) => x.c || x.v)) return false;
  return sides.some((x, g) => x.v && sides.some((y, h) => h !== g && y.c));
}

/**
 * The first rule among `states` that binds a case of the requirement to a value the brief rules out, quoted with its
 * line, or null. `found` holds the requirement's hits as the judge filtered them (asides and what is not asked for
 * already set aside).
 */
export function boundOpposite(
  reading: Reading,
  req: Requirement,
  found: RequirementHits,
  states: (rule: number) => boolean,
  /** The exercise's closed labels (`task.labels`), as written. */
  labels: readonly string[] = [],
): { line: number; quote: string } | null {
  const quote = (rule: number) => ({ line: reading.rules[rule].line, quote: quoteRule(reading, reading.rules[rule]) });
  const usable = (h: PhraseHit) => states(h.rule) && !h.parenthetical && !reading.clauses[h.clause]?.reason;
  // A broken_by entry whose groups sit on both sides of a binding: "an unsure review is OK".
  for (const entry of found.breakers) {
    const groups = entry.map((hits) => hits.filter((h) => h.asWritten && usable(h)));
    if (groups.some((hits) => hits.length === 0)) continue;
    const rules = new Set(groups[0].map((h) => h.rule));
    if (groups.length === 1) {
      // One pattern that is a binding in itself: "broken items count as SAFETY".
      for (const s of markers(reading, rules))
        if (groups[0].some((h) => h.from < s.marker && s.marker < h.to - 1))
          return quote(reading.tokens[s.marker].rule);
      continue;
    }
    for (const s of markers(reading, rules)) if (bindsAcross(groups, s)) return quote(reading.tokens[s.marker].rule);
  }
  if (req.names_only) return null;
  const swapped = otherLabel(reading, req, found, usable, labels);
  if (swapped !== null) return quote(swapped);
  // The requirement's case, then its value denied: "a customer who threatens to cancel gets no ESCALATE line".
  const start = req.topic?.length ?? 0;
  const groups = found.groups.slice(start).map((hits) => hits.filter((h) => usable(h) && !h.descriptive));
  if (groups.length < 2) return null;
  const rules = new Set(groups.flat().map((h) => h.rule));
  for (const s of markers(reading, rules)) {
    const affirmed = groups.map((hits) => hits.some((h) => h.asWritten && inCase(s)(h)));
    const denied = groups.map((hits) => hits.some((h) => !h.asWritten && !h.negativePhrase && inValue(s)(h)));
    const present = groups.map((hits) => hits.some((h) => h.rule === reading.tokens[s.marker].rule));
    // Every group in the rule and one denied, or the core (the first group) denied with part of the rest.
    const all = present.every(Boolean);
    if (denied.some((d, g) => d && (all || g === 0) && affirmed.some((a, h) => a && h !== g)))
      return quote(reading.tokens[s.marker].rule);
  }
  return null;
}

/** Words between a marker and the value it binds: "is an OK review", "counts as LOW", "is always 'LOW'". */
const SKIPPED = new Set(["DET", "ADV", "ADP", "PUNCT", "PART"]);

/**
 * A case of a requirement whose value is one of the closed labels ("ESCALATE when not sure") bound to another of
 * them: "For example, an ambiguous clause is LOW". The label is matched as the exercise writes it ("LOW", not "low
 * risk"). Returns the rule, or null.
 */
function otherLabel(
  reading: Reading,
  req: Requirement,
  found: RequirementHits,
  usable: (h: PhraseHit) => boolean,
  labels: readonly string[],
): number | null {
  if (!req.together || labels.length < 2) return null;
  const closed = new Set(labels);
  const start = req.topic?.length ?? 0;
  const own = req.all_of.findIndex((group) => group.length > 0 && group.every((p) => closed.has(p)));
  if (own < 0) return null;
  const ownLabels = new Set(req.all_of[own]);
  const cases = found.groups
    .slice(start)
    .filter((_, g) => g !== own)
    .flat()
    .filter((h) => h.asWritten && usable(h) && !h.regex);
  if (cases.length === 0) return null;
  const { tokens } = reading;
  for (const s of markers(reading, new Set(cases.map((h) => h.rule)))) {
    if (!cases.some(inCase(s))) continue;
    for (let k = s.marker + 1; k <= s.valueTo; k++) {
      const t = tokens[k];
      const word = /^[\p{L}\p{N}_-]+/u.exec(reading.text.slice(t.start))?.[0] ?? "";
      if (closed.has(word)) {
        if (!ownLabels.has(word) && !t.negated && !t.quoted) return t.rule;
        break;
      }
      if (!SKIPPED.has(t.pos) && !/^["'“‘`]$/.test(t.text)) break;
    }
  }
  return null;
}
