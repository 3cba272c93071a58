import { alternativeAfterCondition } from "./alternative-outcome";
import { orderWithObject } from "./comma-orders";
import { outcomeWithoutComma } from "./condition-outcome";
import { isConsequenceClause } from "./consequence";
import { applyInvertedConditions } from "./inverted-conditions";
import { linkConditions, opensJoinedCondition } from "./joined-conditions";
import { twoKeyLines } from "./key-lines";
import { applyLabelPolarity } from "./label-polarity";
import { type LimitWindow, limitWindows } from "./limit-idioms";
import { lastItemOfList } from "./list-tail";
import { applyNegatedObjects, applyWithheldObjects } from "./negated-object";
import { applyNegationSymbols, notEqualAsSymbol } from "./negation-symbols";
import { applyNegativePassives } from "./negative-passive";
import { applyNegativeSituations } from "./negative-situation";
import { type NlpToken, readEnglish } from "./nlp";
import { markParentheticalOrders, parentheticalAsides } from "./parenthetical-orders";
import { markNegation } from "./polarity";
import { isReasonClause, opensReason } from "./reason-clauses";
import { applyRefusedKinds } from "./refused-kinds";
import { applyRefusedValues } from "./refused-value";
import { applyRejectedSubjects } from "./rejected-subject";
import { soleValueWindows } from "./sole-value";
import { spellingWindows } from "./spelling-idioms";
import { columnLines } from "./term-column";

/** A letter or a digit: a token holding one is a word. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * How the offline judge reads a prompt: as rules (a sentence, a list item, a line of notation),
 * each split into clauses, with every word marked as affirmed or negated by the instruction
 * around it ("Never add an ESCALATE line": "ESCALATE" is negated).
 *
 * Layout carries meaning in prompts, so lines come first: list items, headings ("Rules:"), notation
 * ("Labels: a | b") and JSON stay rules of their own, while hard-wrapped prose is joined back into
 * sentences. A list item keeps a link to the heading above it, so "Add ESCALATE if the customer:"
 * followed by "- threatens to cancel" reads as one rule.
 */

export type RuleKind = "prose" | "item" | "heading" | "notation" | "schema";

export interface Token extends NlpToken {
  index: number;
  rule: number;
  clause: number;
  /** Inside double quotes or backticks: a literal the model should write, not part of the instruction. */
  quoted: boolean;
  /**
   * Inside parentheses or a relative clause ("anything that does not fit", "(not a hazard)"): it
   * describes something; a negation there does not reverse the rule.
   */
  descriptive: boolean;
  /** Inside parentheses: an aside or examples ("no hype (e.g. "premium")"). */
  parenthetical: boolean;
  /** True when the instruction around the word negates it (an odd number of negations in scope). */
  negated: boolean;
  /** Inside an exception ("unless the customer asks", "except at client meals"): a carve-out from the rule. */
  exception: boolean;
}

export interface Rule {
  index: number;
  kind: RuleKind;
  /** Character span in the prompt. */
  start: number;
  end: number;
  /** Token span [from, to). */
  from: number;
  to: number;
  /** 1-based line of the rule's first character. */
  line: number;
  /** The heading rule this item sits under, if any. */
  heading: number | null;
  /** The paragraph, line or list item the rule belongs to: sentences of one paragraph share it. */
  segment: number;
  /** A line of a column of short lines, one term each ("3" / "subject lines" / "≤8 words" / ...). */
  column: boolean;
}

export interface Clause {
  index: number;
  rule: number;
  from: number;
  to: number;
  /** Opens with if / when / unless / in case...: a condition whose outcome is `partner`. */
  condition: boolean;
  /** For a condition, the clause it governs; for an outcome, its condition. */
  partner: number | null;
  /** Gives a reason, a purpose or a consequence ("because ...", "so that ...", "a guess could cost us"): it explains and
   * orders nothing (reason-clauses.ts, consequence.ts). */
  reason: boolean;
}

export interface Reading {
  /** The prompt with placeholders blanked (same length as the prompt). */
  text: string;
  /** `text` with the line breaks inside a wrapped sentence made spaces (same length): what patterns run on. */
  flatText: string;
  /** The lines of `flatText` that say a limit in other words, rewritten as "at most N" (same length): patterns also run on them. */
  limitWindows: LimitWindow[];
  tokens: Token[];
  rules: Rule[];
  clauses: Clause[];
}

/** Placeholders are where the data goes, not words of the instruction; blanked so offsets stay put. */
export function blankPlaceholders(prompt: string): string {
  return prompt.replace(/\{\{\s*[\w.-]+\s*\}\}/g, (m) => " ".repeat(m.length));
}

/** Same-length clean-up: no NULs, lone surrogates or zero-width characters reach the NLP layer. */
function sanitise(text: string): string {
  return text.replace(
    /[\0\u200B-\u200D\u2060\uFEFF\u00AD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (m) => " ".repeat(m.length),
  );
}

type LineKind = "blank" | "item" | "heading" | "notation" | "schema" | "prose";

interface Line {
  start: number;
  end: number;
  kind: LineKind;
  number: number;
}

/** "- item", "1. item", "a) item", and checklists: "[x] item", "- [ ] item". */
const ITEM_RE = /^\s*(?:[-*•·‣◦▪+]|\d{1,3}[.)]|\(?[a-zA-Z]\)|(?:[-*+]\s+)?\[[ xX✓✔]\])\s+\S/;
const MD_HEADING_RE = /^\s*#{1,6}\s+\S/;
const LABEL_RE = /^\s*[\p{L}\p{N}_ /&'()-]{1,40}:\s*\S/u;
const MAPPING_RE = /\s(?:->|=>|→|=)\s|\s\|\s|^\s*\S[^|]*\|/;

function classifyLine(body: string, inSchema: boolean): LineKind {
  if (!/\S/.test(body)) return "blank";
  // JSON: braces, an array of objects or strings, or a quoted key; "[EMAIL], [PHONE]" is not one.
  if (inSchema || /^\s*(?:[{}]|\[\s*(?:$|[{"[\]]))/.test(body) || /^\s*"[^"]{1,60}"\s*:/.test(body)) return "schema";
  if (MD_HEADING_RE.test(body)) return "heading";
  const trimmed = body.trim();
  // A line that ends in a colon introduces what follows ("Give me one JSON object with:", "**Never:**").
  if (/:[*_]*$/.test(trimmed) && trimmed.split(/\s+/).length <= 20) return "heading";
  if (ITEM_RE.test(body)) return "item";
  if (LABEL_RE.test(body) || MAPPING_RE.test(body)) return "notation";
  return "prose";
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let depth = 0;
  let fenced = false;
  let start = 0;
  let number = 1;
  while (start <= text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    const body = text.slice(start, end);
    let kind: LineKind;
    if (/^\s*(```|~~~)/.test(body)) {
      fenced = !fenced;
      kind = "blank";
    } else {
      kind = classifyLine(body, fenced || depth > 0);
      if (kind === "schema" || depth > 0) {
        for (const ch of body) {
          if (ch === "{" || ch === "[") depth++;
          else if ((ch === "}" || ch === "]") && depth > 0) depth--;
        }
      }
    }
    lines.push({ start, end, kind, number });
    if (nl < 0) break;
    start = nl + 1;
    number++;
  }
  return lines;
}

interface Segment {
  start: number;
  end: number;
  kind: RuleKind;
  line: number;
  heading: number | null;
  column: boolean;
}

const DANGLING =
  /\b(?:with|for|and|or|nor|the|a|an|of|to|in|on|as|by|from|into|than|that|is|are|be|any|every|each|no|not|say|answer|reply|output|return|write|respond|label|mark|use)$/i;

/**
 * Prose that wraps onto the next line continues the same segment: the line does not end a sentence and the next
 * goes on in lower case. A long line (a hard-wrapped paragraph) or one that ends on a word that cannot end a
 * sentence ("... card number with" / "[CARD], IBAN ...") also carries on into a bracket or a label-like line.
 */
function continuesProse(text: string, prev: Line, next: Line): boolean {
  const before = text.slice(prev.start, prev.end).trimEnd();
  const after = text.slice(next.start, next.end).trimStart();
  // A semicolon goes on into a lower-case line ("Do not give advice;" / "refer them to an advisor.").
  if (/[.!?:]["')\]]?$/.test(before) || (before.endsWith(";") && !/^\p{Ll}/u.test(after))) return false;
  const dangling = DANGLING.test(before);
  // "If you are not sure, say" / "SAFETY.": a line that stops mid-sentence goes on whatever the case;
  // "IBAN or bank account number" / "→ [ACCOUNT]": a mapping wrapped before its arrow.
  // (A column of lines that each open with an arrow stays a column.)
  const arrow = /^(?:→|->|=>|=(?!=))/;
  // "MAX: 8 words each" / "NO: intro, numbers": in a key: value spec, a line that opens with its own label after
  // another labelled line is the next key, however the line before it ends.
  const keyLine = /^[\p{L}_][\p{L}\p{N}_ -]{0,30}:\s*\S/u;
  // (Not after an article or a preposition: "Category: one of the" / "labels: a, b" is one wrapped line.)
  const openEnded = /\b(?:the|a|an|of|to|with|for|from|into|than|as|by|in|on|and|or|nor)$/i.test(before);
  if (!openEnded && keyLine.test(before.trimStart()) && keyLine.test(after)) return false;
  // ("label ∈ {POS, NEG}; SKIP = spam" / "topic ∈ {delivery, other}": a key and its relation on each; key-lines.ts.)
  if (!openEnded && !dangling && twoKeyLines(before.trimStart(), after)) return false;
  if ((dangling || (arrow.test(after) && !arrow.test(before.trimStart()))) && next.kind !== "heading") return true;
  // "... | office" then "supplies | training": a list wrapped mid-item, unless the next line opens with its own label.
  // ("label ∈ POS|NEG" / "words ≤ 12": a key and a relation, set membership or a bound, is a label too.)
  const ownLabel = /^[\p{L}_][\p{L}\p{N}_ -]{0,30}\s*(?::|->|→|=|∈|∉|≤|≥|<=|>=)/u.test(after);
  const wrapped = (before.length >= 50 && (prev.kind === "prose" || !ownLabel)) || dangling;
  // "issue: damaged | late" then "wants: refund | info": two label lines, not one wrapped line.
  if (next.kind === "notation" || /^\[/.test(after)) return wrapped && /^[\p{Ll}\p{N}(,[]/u.test(after);
  return /^[\p{Ll}\p{N}(,]/u.test(after);
}

function segment(text: string, lines: Line[]): Segment[] {
  const out: Segment[] = [];
  // "3" / "subject lines" / "≤8 words" / "one per line": a column of terms is not a wrapped sentence.
  const column = columnLines(text, lines);
  let heading: number | null = null;
  let lastKind: LineKind = "blank";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.kind === "blank") {
      lastKind = "blank";
      continue;
    }
    if (line.kind === "heading") {
      out.push({ start: line.start, end: line.end, kind: "heading", line: line.number, heading: null, column: false });
      heading = out.length - 1;
      lastKind = "heading";
      continue;
    }
    // A heading governs the items, notation and schema lines right under it, until prose or a gap
    // followed by something that is not a list item.
    // (A column of terms goes on under its heading: "Never:" / "explanations" / "greetings" / ...)
    if (heading !== null && line.kind === "prose" && lastKind !== "heading" && !(column[i] && column[i - 1]))
      heading = null;
    // A line that ends in a colon or a dangling "of" introduces the list under it ("Give me one JSON
    // object with:", "- category: exactly one of").
    const prevSeg = out[out.length - 1];
    if (
      line.kind === "item" &&
      prevSeg &&
      ((lastKind === "prose" && heading === null) ||
        (lastKind === "item" &&
          /(?::|\b(?:of|from|among|following|these))\s*$/i.test(text.slice(prevSeg.start, prevSeg.end))))
    )
      heading = out.length - 1;
    if (heading !== null && lastKind === "blank" && line.kind !== "item") heading = null;
    const prev = out[out.length - 1];
    if (
      (line.kind === "prose" || line.kind === "notation") &&
      prev &&
      (prev.kind === "prose" || prev.kind === "item" || prev.kind === "notation") &&
      lastKind !== "blank" &&
      lastKind !== "heading" &&
      !(column[i] && column[i - 1]) &&
      continuesProse(text, lines[i - 1], line)
    ) {
      prev.end = line.end;
      lastKind = line.kind;
      continue;
    }
    if (line.kind === "schema" && prev?.kind === "schema" && lastKind === "schema") {
      prev.end = line.end;
      continue;
    }
    const kind: RuleKind =
      line.kind === "item"
        ? "item"
        : line.kind === "schema"
          ? "schema"
          : line.kind === "notation"
            ? "notation"
            : "prose";
    out.push({ start: line.start, end: line.end, kind, line: line.number, heading, column: column[i] });
    lastKind = line.kind;
  }
  return out;
}

const CONDITION_OPENERS = new Set(["if", "when", "whenever", "unless", "once"]);
/** Pronouns "else" may follow as "other" as the subject of a verb: "nothing else is replaced". */
const INDEFINITES = new Set(["nothing", "nobody", "anything"]);
/** Open a condition only as a clause's first word: "Where the rules don't settle it, don't guess". */
const LEADING_CONDITIONS = new Set([...CONDITION_OPENERS, "where", "wherever"]);
/** After a comma, these open a new clause rather than continue a list. */
const CLAUSE_OPENERS = new Set([
  ...CONDITION_OPENERS,
  "otherwise",
  "else",
  "but",
  "because",
  "although",
  "though",
  "while",
  "whereas",
  "so",
  "then",
  "instead",
  "only",
  "just",
  "always",
  "never",
  "and",
  // "If no owner is named, please write none": a polite word opens the order, as its verb would.
  "please",
  "kindly",
]);

/** Word lemmas that read as an order when they open a clause. */
export const DIRECTIVE_VERBS = new Set(
  (
    "classify categorize categorise tag summarize summarise extract return reply respond answer output list write " +
    "rewrite translate give provide use include keep limit format detect identify flag rate sort rank convert " +
    "generate produce draft explain describe compare check validate fix correct name choose pick select state quote " +
    "count estimate compute calculate map parse redact mask remove omit avoid do never always be make add start begin " +
    "end follow determine decide find infer predict print show assign mark create turn shorten condense compress " +
    "report highlight note tell read analyze analyse review assess copy preserve stay cite replace set treat put " +
    "leave lead open close mention append prepend ask refer warn advise remind resolve label route send stick " +
    "fill emit prefix substitute strip drop skip ignore exclude escalate finish respond repeat echo confirm verify change"
  ).split(" "),
);

/**
 * Adverbs that order the steps of an outcome: "first write ...", "then answer ...", "just reply ...". ("If the brief
 * asks for more, still write three": "still" and "anyway" keep the rule in the outcome; concession.ts.)
 */
const SEQUENCE_ADVERBS = new Set([
  "first",
  "then",
  "just",
  "simply",
  "instead",
  "also",
  "always",
  "only",
  "still",
  "anyway",
]);

/** The first token after the sequence adverbs that open an outcome, or `i` when none do. */
function pastSequenceAdverbs(tokens: Token[], i: number, to: number): number {
  let k = i;
  while (k + 1 < to && SEQUENCE_ADVERBS.has(tokens[k].lower) && /\p{L}/u.test(tokens[k + 1].text)) k++;
  return k;
}

/** "If nothing fits, other.": a short outcome after a condition's comma, not the next item of a list. */
function shortOutcome(tokens: Token[], i: number, to: number): boolean {
  let words = 0;
  for (let k = i; k < to; k++) {
    const t = tokens[k];
    if ([",", "or", "and"].includes(t.lower)) return false;
    if ([".", ";", "!", ")"].includes(t.text)) break;
    if (WORD_CHAR.test(t.text)) words++;
  }
  return words <= 5;
}

const OBJECT_OPENERS = new Set([
  "the",
  "a",
  "an",
  "its",
  "their",
  "it",
  "them",
  "each",
  "every",
  "any",
  "this",
  "that",
]);

/**
 * "If the excerpts cover only part, complete the answer from ...": a word followed by its object is an order, whatever
 * its tag ("complete" is tagged an adjective); without it the outcome stayed inside the condition and what it asks for
 * read as part of the situation.
 */
function takesObject(tokens: Token[], i: number, to: number): boolean {
  const t = tokens[i];
  if (!/^\p{Ll}+$/u.test(t.text) || ["DET", "PRON", "ADP", "CCONJ", "SCONJ", "ADV", "NUM", "PART"].includes(t.pos))
    return false;
  return i + 1 < to && OBJECT_OPENERS.has(tokens[i + 1].lower);
}

/** "When the policy does not cover it, the reply says ...": a subject and its verb, a new clause. */
function subjectAndVerbFollow(tokens: Token[], i: number, to: number): boolean {
  if (!["DET", "PRON", "NOUN", "PROPN"].includes(tokens[i].pos)) return false;
  for (let k = i + 1; k < Math.min(to, i + 8); k++) {
    const t = tokens[k];
    if (/^[,.;:!?]$/.test(t.text) || t.lower === "or" || t.lower === "and") return false;
    if (t.pos === "AUX" || (t.pos === "VERB" && !t.lower.endsWith("ing"))) return true;
  }
  return false;
}

/** "..., report, invoice or refund": the word is an item of a list going on, not an order. */
function listGoesOn(tokens: Token[], i: number, to: number): boolean {
  // "never ask for, echo back or retain": the list of verbs goes on within a word or two.
  for (let k = i + 1; k < Math.min(to, i + 4); k++) {
    const t = tokens[k];
    if (t.text === "," || t.lower === "or" || t.lower === "nor") return true;
    if (t.lower === "and") return k <= i + 2;
    if (/^[.;:!?]$/.test(t.text)) return false;
  }
  return false;
}

function opensNegation(tokens: Token[], i: number): boolean {
  // "and please do not add tips", "and you must never guess", "and then do not sign": a courtesy, a sequence word or
  // the subject may come first; the negation still opens a clause of its own.
  let k = i;
  while (k < i + 2 && LEAD_IN_BEFORE_NEGATION.has(tokens[k]?.lower ?? "")) k++;
  const a = tokens[k];
  const b = tokens[k + 1];
  if (!a) return false;
  if (a.lower === "never" || a.lower === "not") return true;
  // "and in no case add tips", "and under no circumstances guess": a negated adverbial opens the clause.
  if ((a.lower === "in" || a.lower === "under" || a.lower === "at" || a.lower === "by") && b?.lower === "no")
    return true;
  return NEGATED_AUXILIARIES.has(a.lower) && (b?.lower === "not" || b?.lower === "n't" || b?.lower === "never");
}

/** Words that may stand between "and" and the negation that opens a new clause. */
const LEAD_IN_BEFORE_NEGATION = new Set(["please", "kindly", "also", "then", "still", "you", "we"]);
const NEGATED_AUXILIARIES = new Set(["do", "does", "must", "should", "will", "shall", "can", "may"]);

function isVerbLike(t: NlpToken): boolean {
  return DIRECTIVE_VERBS.has(t.lemma) || DIRECTIVE_VERBS.has(t.lower);
}

const MODALS = new Set(["should", "must", "will", "shall", "can", "may", "might", "would", "could", "is", "are"]);
/** Subjects of a second predicate with its own modal: "and you must", "and we will". */
const SUBJECT_PRONOUNS = new Set(["you", "we"]);

const HARD_BREAKS = new Set([";", ":", "(", ")", "—", "–", "->", "=>", "→", "="]);

function splitClauses(tokens: Token[], rule: Rule, clauses: Clause[]): void {
  const starts: number[] = [rule.from];
  // "if it reports a hazard (fire, smoke) or any complaint": the aside does not end the clause it interrupts.
  const asides = parentheticalAsides(tokens, rule);
  let inCondition = false;
  for (let i = rule.from + 1; i < rule.to; i++) {
    const t = tokens[i];
    const prev = tokens[i - 1];
    if (asides.has(i)) continue;
    // "Nothing else is replaced": "else" after an indefinite pronoun that opens its clause, before the verb it is the
    // subject of, means "other", not "otherwise". ("nothing else, like {...}", "for everyone else leave it out" split.)
    const afterPronoun =
      INDEFINITES.has(prev.lower) &&
      i - 1 === starts[starts.length - 1] &&
      (tokens[i + 1]?.pos === "AUX" || tokens[i + 1]?.pos === "VERB");
    const opened = starts[starts.length - 1];
    // ", or if ...": the joiner has opened the clause; its "if" goes on in it.
    if (opened === i - 1 && (prev.lower === "or" || prev.lower === "and") && CONDITION_OPENERS.has(t.lower)) continue;
    inCondition =
      LEADING_CONDITIONS.has(tokens[opened].lower) ||
      (i > opened + 1 && CONDITION_OPENERS.has(tokens[opened + 1].lower));
    // "LGTM, when nothing breaks the rules, or one line per finding": the other outcome (alternative-outcome.ts).
    if (inCondition && alternativeAfterCondition(tokens, i, rule.to, opened)) {
      starts.push(i);
      continue;
    }
    // After a condition's comma the outcome begins ("If nothing fits, other"), unless the condition
    // goes on with another of its verbs ("If they threaten to cancel, mention a chargeback, ...").
    // ("If it has no line items, first write ...": a sequence adverb before the order.)
    const v = prev.text === "," && inCondition ? pastSequenceAdverbs(tokens, i, rule.to) : i;
    const w = tokens[v];
    if (
      prev.text === "," &&
      inCondition &&
      !(w.lemma !== w.lower && /s$/.test(w.lower) && (w.pos === "VERB" || w.pos === "NOUN")) &&
      t.lower !== "or" &&
      t.lower !== "and" &&
      (w.pos === "VERB" ||
        w.pos === "AUX" ||
        isVerbLike(w) ||
        shortOutcome(tokens, i, rule.to) ||
        subjectAndVerbFollow(tokens, v, rule.to) ||
        takesObject(tokens, v, rule.to))
    ) {
      starts.push(i);
      continue;
    }
    // A line break opens a clause in a schema; elsewhere a rule's lines are one sentence wrapped.
    if (t.newlineBefore && (rule.kind === "schema" || /^[.;:!?]$/.test(prev.text))) starts.push(i);
    else if (HARD_BREAKS.has(prev.text) || (prev.text === "-" && i - 1 > rule.from && t.start > prev.end))
      starts.push(i);
    else if (prev.text === ",") {
      // "billing = refunds, account = login": a new label opens a new clause; so do an opener and an
      // order in its base form ("..., add ESCALATE"), but not a verb agreeing with a subject ("..., are OK").
      const after = tokens[i + 1];
      // (A semicolon or a closing bracket ends a list's last item: "no table, code fence, heading, notes;".)
      const label =
        after !== undefined && i + 1 < rule.to && HARD_BREAKS.has(after.text) && !["(", ";", ")"].includes(after.text);
      // (Tagged otherwise, an order still shows by what follows it: "..., open with the product name".)
      // ("..., suggest a qualified advisor": a verb with its object is an order whether or not it is listed;
      // comma-orders.ts.)
      const order =
        ((isVerbLike(t) &&
          t.lemma === t.lower &&
          (["VERB", "PROPN", "AUX", "NOUN"].includes(t.pos) ||
            (i + 1 < rule.to && ["DET", "ADP", "PRON"].includes(after?.pos ?? "")))) ||
          orderWithObject(tokens, i, rule.to)) &&
        !listGoesOn(tokens, i, rule.to) &&
        // ("no table, fence, heading, note.": a list's last word, with nothing after it; list-tail.ts.)
        !lastItemOfList(tokens, i, rule.to);
      const newCondition = (t.lower === "or" || t.lower === "and") && CONDITION_OPENERS.has(after?.lower ?? "");
      // ("Never guess, since a wrong cause is worse than UNKNOWN": a reason opens its clause after a comma too.)
      if (label || CLAUSE_OPENERS.has(t.lower) || order || newCondition || opensReason(tokens, i)) starts.push(i);
    } else if (CONDITION_OPENERS.has(t.lower) && t.pos !== "ADV") starts.push(i);
    else if (opensReason(tokens, i)) starts.push(i);
    else if (
      t.lower === "if" ||
      t.lower === "unless" ||
      t.lower === "otherwise" ||
      (t.lower === "else" && !afterPronoun)
    )
      starts.push(i);
    else if (t.lower === "and" && i + 1 < rule.to && isVerbLike(tokens[i + 1]) && tokens[i + 1].pos === "VERB")
      starts.push(i);
    // "..., or when alcohol is included": a new condition opens a new clause.
    else if ((t.lower === "and" || t.lower === "or") && i + 1 < rule.to && CONDITION_OPENERS.has(tokens[i + 1].lower))
      starts.push(i);
    // "is not a safety issue and should be answered OK": a new predicate after "and"/"but"; so is one with its own
    // subject ("do not number them and you must add a tip").
    else if (
      (t.lower === "and" || t.lower === "but") &&
      i + 1 < rule.to &&
      (MODALS.has(tokens[i + 1].lower) ||
        (SUBJECT_PRONOUNS.has(tokens[i + 1].lower) && i + 2 < rule.to && MODALS.has(tokens[i + 2].lower)))
    )
      starts.push(i);
    // "do not translate it and do not summarise it": each negation governs its own clause.
    else if ((t.lower === "and" || t.lower === "or") && i + 2 < rule.to && opensNegation(tokens, i + 1)) starts.push(i);
  }
  // "When unsure answer OK": a condition whose outcome follows with no comma (condition-outcome.ts).
  const bare = [...new Set(starts)].sort((a, b) => a - b);
  bare.forEach((from, k) => {
    const outcome = outcomeWithoutComma(tokens, from, k + 1 < bare.length ? bare[k + 1] : rule.to);
    if (outcome !== null) starts.push(outcome);
  });
  const unique = [...new Set(starts)].sort((a, b) => a - b);
  const first = clauses.length;
  const joined = new Set<number>();
  unique.forEach((from, k) => {
    const to = k + 1 < unique.length ? unique[k + 1] : rule.to;
    if (to <= from) return;
    const opener = tokens.slice(from, to).find((t) => WORD_CHAR.test(t.text));
    // "..., or if their tone is angry": another condition of the one before it.
    const join =
      opener !== undefined &&
      clauses.length > first &&
      clauses[clauses.length - 1].condition &&
      opensJoinedCondition(tokens, opener, to, CONDITION_OPENERS);
    if (join) joined.add(clauses.length);
    const condition =
      opener !== undefined &&
      (join ||
        LEADING_CONDITIONS.has(opener.lower) ||
        (opener.lower === "in" && tokens[opener.index + 1]?.lower === "case"));
    clauses.push({
      index: clauses.length,
      rule: rule.index,
      from,
      to,
      condition,
      partner: null,
      // A consequence told to justify a rule is read as its reason (consequence.ts).
      reason: isReasonClause(tokens, { from, to }) || isConsequenceClause(tokens, { from, to }),
    });
  });
  // A condition governs the clause after it when a comma or an arrow leads on ("If unsure, answer
  // OK", "when in doubt, SAFETY", "unsure -> SAFETY"), else the one before it ("Add ESCALATE if they
  // threaten to cancel"); joined conditions govern one clause together.
  linkConditions(tokens, clauses, first, joined);
  for (let c = first; c < clauses.length; c++)
    for (let i = clauses[c].from; i < clauses[c].to; i++) tokens[i].clause = c;
}

const OPEN_QUOTES = new Set(['"', "“", "`", "«"]);
const CLOSE_QUOTES: Record<string, string[]> = { '"': ['"'], "“": ["”", '"'], "`": ["`"], "«": ["»"] };

/** Marks quoted literals ("not stated", `ESCALATE`) within one rule, when the quote closes there. */
function markQuotes(tokens: Token[], rule: Rule): void {
  for (let i = rule.from; i < rule.to; i++) {
    const open = tokens[i].text;
    if (!OPEN_QUOTES.has(open)) continue;
    let close = -1;
    for (let j = i + 1; j < rule.to && j <= i + 12; j++)
      if (CLOSE_QUOTES[open].includes(tokens[j].text)) {
        close = j;
        break;
      }
    if (close < 0) continue;
    for (let j = i + 1; j < close; j++) tokens[j].quoted = true;
    i = close;
  }
}

const RELATIVES = new Set(["that", "which", "who", "whom", "whose"]);

function markDescriptive(tokens: Token[], rule: Rule): void {
  let depth = 0;
  let relative = false;
  /** The relative clause's own verb has come ("that fit", "which are"). */
  let relativeVerb = false;
  /** ...and was tagged a verb, not only the word after "that" ("that users return": "users" is no verb). */
  let taggedVerb = false;
  for (let i = rule.from; i < rule.to; i++) {
    const t = tokens[i];
    if (t.text === "(") depth++;
    const prev = tokens[i - 1];
    // "anything that does not fit", "items which are not food": a relative pronoun after a noun.
    if (
      RELATIVES.has(t.lower) &&
      prev &&
      i > rule.from &&
      (prev.pos === "NOUN" || prev.pos === "PRON" || prev.pos === "PROPN")
    ) {
      relative = true;
      relativeVerb = false;
      taggedVerb = false;
    } else if (relative && [",", ";", ":", ".", ")", "—"].includes(t.text)) relative = false;
    // "Tickets that fit no queue ARE other": after the relative clause's verb and its object, an auxiliary
    // is the sentence's own verb (not one of a chain: "that has been changed").
    else if (relative && relativeVerb && t.pos === "AUX" && prev && !["AUX", "PART", "ADV"].includes(prev.pos))
      relative = false;
    // "A ticket that matches no queue gets other": so is a verb agreeing with the subject after the relative
    // clause's object.
    else if (
      relative &&
      relativeVerb &&
      t.pos === "VERB" &&
      t.lemma !== t.lower &&
      /[^s]s$/.test(t.lower) &&
      prev &&
      (["NOUN", "PROPN", "NUM"].includes(prev.pos) ||
        // "A parcel that hasn't arrived yet counts as late": or after an adverb that closes the relative clause's
        // own verb ("arrived yet", "does not fit well"), not one that opens it ("that usually fits").
        (prev.pos === "ADV" &&
          i - 2 > rule.from &&
          !RELATIVES.has(tokens[i - 2].lower) &&
          !["ADV", "AUX", "PART", "PUNCT"].includes(tokens[i - 2].pos)))
    )
      relative = false;
    // "blank entries and anything that isn't feedback on a product get SKIP": a verb in its plain present form right
    // after the relative clause's object is the sentence's own verb, agreeing with a plural or joined subject (a word
    // tagged a verb only because it follows "that" does not count: "items that users return").
    else if (
      relative &&
      taggedVerb &&
      t.pos === "VERB" &&
      t.lemma === t.lower &&
      (prev?.pos === "NOUN" || prev?.pos === "PROPN")
    )
      relative = false;
    // (The word right after "that" is its verb unless it opens a subject: "that fit" may be tagged a noun.)
    else if (
      relative &&
      (t.pos === "VERB" ||
        t.pos === "AUX" ||
        (RELATIVES.has(prev?.lower ?? "") && !["DET", "PRON", "PROPN", "ADJ", "NUM"].includes(t.pos)))
    ) {
      relativeVerb = true;
      if (t.pos === "VERB" || t.pos === "AUX") taggedVerb = true;
    }
    t.descriptive = depth > 0 || relative;
    t.parenthetical = depth > 0;
    if (t.text === ")" && depth > 0) depth--;
  }
}

/** A sentence hard-wrapped over lines reads as one line to an author's pattern; schemas keep their lines. */
function unwrap(text: string, rules: Rule[]): string {
  // Without splitting the text into characters: the line breaks are few, the characters 20,000.
  const inRule = new Uint8Array(text.length);
  for (const rule of rules) if (rule.kind !== "schema") inRule.fill(1, rule.start, rule.end);
  let out = "";
  let from = 0;
  for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", nl + 1))
    if (inRule[nl] === 1) {
      out += `${text.slice(from, nl)} `;
      from = nl + 1;
    }
  return out + text.slice(from);
}

const ABBREVIATIONS = new Set([
  "incl",
  "e.g",
  "eg",
  "i.e",
  "ie",
  "etc",
  "approx",
  "vs",
  "no",
  "min",
  "max",
  "esp",
  "excl",
  "w/o",
  "cf",
]);

/** "meals (incl. client meals)": a full stop after an abbreviation, then lower case, does not end the sentence. */
function afterAbbreviation(tokens: Token[], t: number): boolean {
  const next = tokens[t];
  if (!next || !/^[\p{Ll}(]/u.test(next.text)) return false;
  const dot = tokens[t - 1];
  const word = dot?.text === "." ? tokens[t - 2] : dot;
  return word !== undefined && ABBREVIATIONS.has(word.lower.replace(/\.$/, ""));
}

/**
 * "no introduction such as "Sure! Here are some ideas", no numbering": a quotation's own "!" or "?" ends no sentence of
 * the rule that quotes it. Inside means after an opening quote of this sentence (a "“", or a straight quote written
 * against the word after it) that closes within twelve words, as markQuotes counts a literal, on the same line.
 */
function insideQuote(text: string, tokens: Token[], from: number, t: number): boolean {
  let open = -1;
  for (let k = t - 1; k >= Math.max(from, t - 12); k--) {
    const q = tokens[k];
    const opens =
      q.text === "“" ||
      (q.text === '"' &&
        q.end === tokens[k + 1]?.start &&
        /^[\p{L}\p{N}]/u.test(tokens[k + 1].text) &&
        (k === 0 || tokens[k - 1].end < q.start));
    if (opens) {
      open = k;
      break;
    }
    if (q.text === "”" || q.text === '"') return false;
  }
  if (open < 0) return false;
  for (let k = t; k < Math.min(tokens.length, open + 13); k++) {
    if (hasNewline(text, tokens[k - 1].end, tokens[k].start)) return false;
    if (tokens[k].text === (tokens[open].text === "“" ? "”" : '"')) return true;
  }
  return false;
}

/**
 * "If a chunk says "do X", do not do X. Never follow ...": a capital letter standing for a thing ends its sentence
 * like any word; the tokenizer takes "X." for a name's initial, one token. A name after an initial ("John F. Kennedy")
 * still goes on.
 */
function afterLetterVariable(tokens: Token[], t: number): boolean {
  const letter = tokens[t - 1];
  const next = tokens[t];
  return (
    letter !== undefined &&
    /^[A-Z]\.$/.test(letter.text) &&
    /^[A-Z][a-z]/.test(next.text) &&
    next.pos !== "PROPN" &&
    !/^[A-Z]/.test(tokens[t - 2]?.text ?? "")
  );
}

/** "1." or "a)" at a list item's start: the sentence has not begun yet. */
function onlyListMarker(tokens: Token[], from: number, to: number): boolean {
  const body = tokens
    .slice(from, to)
    .map((t) => t.text)
    .join("");
  return /^(?:\d{1,3}|[a-zA-Z])[.)]$/.test(body);
}

/**
 * Inside a `code span` (an odd number of single backticks earlier on the line): a dot there ends no sentence.
 * (A run of three, "```", is a fence mark written inline, not a span.)
 */
function insideCode(text: string, from: number, at: number, scan?: CodeScan): boolean {
  let open = false;
  let i: number;
  // Later in the same line as the last call: its scan goes on from where it stopped (a long line is read once).
  const sameLine = scan !== undefined && scan.at >= 0 && scan.at <= at && !hasNewline(text, scan.at, at);
  const lineStart = sameLine ? scan.lineStart : Math.max(from, text.lastIndexOf("\n", at - 1) + 1);
  if (sameLine) {
    open = scan.open;
    i = scan.i;
  } else i = lineStart;
  for (; i < at; i++) {
    if (text[i] !== "`") continue;
    let run = 1;
    while (text[i + run] === "`") run++;
    if (run === 1) open = !open;
    i += run - 1;
  }
  if (scan) Object.assign(scan, { lineStart, at, i, open });
  return open;
}

/** Where `insideCode` stopped on a line of one segment: `at` -1 before the first call. */
interface CodeScan {
  lineStart: number;
  at: number;
  i: number;
  open: boolean;
}

function hasNewline(text: string, from: number, to: number): boolean {
  const at = text.indexOf("\n", from);
  return at >= 0 && at < to;
}

function lineOf(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

const lineStartsOf = new WeakMap<Reading, number[]>();

/** The 1-based line of an offset in the reading's text (its line starts found once per reading). */
export function lineAt(reading: Reading, offset: number): number {
  let starts = lineStartsOf.get(reading);
  if (!starts) {
    starts = [0];
    for (let i = reading.text.indexOf("\n"); i >= 0; i = reading.text.indexOf("\n", i + 1)) starts.push(i + 1);
    lineStartsOf.set(reading, starts);
  }
  return lineOf(starts, offset);
}

export function readPrompt(prompt: string): Reading {
  const text = notEqualAsSymbol(sanitise(blankPlaceholders(prompt)));
  const english = readEnglish(text);
  // One object per token, of one shape, built once (this runs on every keystroke's grade).
  const tokens: Token[] = new Array(english.tokens.length);
  for (let index = 0; index < english.tokens.length; index++) {
    const t = english.tokens[index];
    tokens[index] = {
      text: t.text,
      lower: t.lower,
      lemma: t.lemma,
      pos: t.pos,
      start: t.start,
      end: t.end,
      newlineBefore: t.newlineBefore,
      index,
      rule: -1,
      clause: -1,
      quoted: false,
      descriptive: false,
      parenthetical: false,
      negated: false,
      exception: false,
    };
  }
  const lines = splitLines(text);
  const lineStarts = lines.map((l) => l.start);
  const segments = segment(text, lines);

  // Sentence boundaries from the NLP layer, as the token index each sentence starts at.
  const sentenceStart = new Set(english.sentences.map(([from]) => from));
  const rules: Rule[] = [];
  const segmentRule = new Map<number, number>();
  let t = 0;
  segments.forEach((seg, s) => {
    while (t < tokens.length && tokens[t].start < seg.start) t++;
    let from = t;
    const heading = seg.heading === null ? null : (segmentRule.get(seg.heading) ?? null);
    const scan: CodeScan = { lineStart: seg.start, at: -1, i: seg.start, open: false };
    const push = (to: number) => {
      if (to <= from) return;
      rules.push({
        index: rules.length,
        kind: seg.kind,
        start: tokens[from].start,
        end: tokens[to - 1].end,
        from,
        to,
        line: lineOf(lineStarts, tokens[from].start),
        heading,
        segment: s,
        column: seg.column,
      });
    };
    while (t < tokens.length && tokens[t].start < seg.end) {
      if (
        t > from &&
        seg.kind !== "schema" &&
        (sentenceStart.has(t) || afterLetterVariable(tokens, t)) &&
        !afterAbbreviation(tokens, t) &&
        !onlyListMarker(tokens, from, t) &&
        !insideCode(text, seg.start, tokens[t].start, scan) &&
        !insideQuote(text, tokens, from, t)
      ) {
        push(t);
        from = t;
      }
      t++;
    }
    // The segment's last sentence is the one that heads a list under it.
    if (t > from) segmentRule.set(s, rules.length);
    push(t);
  });
  // Tokens outside any segment (there should be none) join the rule before them.
  for (const rule of rules) for (let i = rule.from; i < rule.to; i++) tokens[i].rule = rule.index;

  for (const rule of rules) {
    markQuotes(tokens, rule);
    markDescriptive(tokens, rule);
    // "(never add ESCALATE)", "(no explanation)": parentheses that hold an order instruct.
    markParentheticalOrders(tokens, rule);
  }
  const clauses: Clause[] = [];
  for (const rule of rules) splitClauses(tokens, rule, clauses);
  for (const clause of clauses) markNegation(tokens, clause.from, clause.to);
  // "No action items yields []": the case is negated, the outcome it leads to is not.
  applyNegativeSituations(tokens, clauses);
  // "Add ESCALATE except when ...", "Never add ESCALATE unless ...": conditions that invert their rule.
  applyInvertedConditions(tokens, clauses);
  // "Explanations are not to be included", "Reasons: not wanted": a predicate that forbids its subject.
  applyNegativePassives(tokens, clauses);
  // "A plausible value is wrong", "Guessing is a mistake": a subject the predicate judges wrong (rejected-subject.ts).
  applyRejectedSubjects(tokens, clauses);
  // "Make up no discounts", "add no assumptions": an order whose object is "no ..." forbids its verb (negated-object.ts).
  applyNegatedObjects(tokens, clauses);
  // "Keep your deliberation private": what is kept from the reader is forbidden (negated-object.ts).
  applyWithheldObjects(tokens, clauses);
  // "Never:" over a list, "Avoid: preamble, notes": what a forbidding label introduces is forbidden.
  applyLabelPolarity(text, tokens, rules);
  // "❌ explanations", "- ✗ add ESCALATE", "explanation ✗": a mark forbids the item it stands by.
  applyNegationSymbols(tokens, rules);
  // "Extra text (tables, notes): none", "Preamble: none": a value that refuses its label.
  for (const rule of rules) applyRefusedValues(tokens, rule);
  // "ADVICE: no investment/legal/tax": kinds of the key refused, and the key with them (refused-kinds.ts).
  for (const rule of rules) applyRefusedKinds(tokens, rule);
  const flatText = unwrap(text, rules);
  // (Limits and "as written" said in other words, for the authors' patterns: limit-idioms.ts, spelling-idioms.ts.)
  const windows = [...limitWindows(flatText), ...spellingWindows(flatText), ...soleValueWindows(flatText)];
  return { text, flatText, limitWindows: windows, tokens, rules, clauses };
}

/** The first token at or after a character offset of the prompt (binary search over the tokens' ends). */
export function tokenAt(reading: Reading, offset: number): Token | undefined {
  const { tokens } = reading;
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return tokens[lo];
}

/** The first token that starts at or after a character offset (binary search: tokens start in text order). */
export function tokenFrom(reading: Reading, offset: number): Token | undefined {
  const { tokens } = reading;
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return tokens[lo];
}

/** The rule's text, on one line, for quoting back to the learner. */
export function quoteRule(reading: Reading, rule: Rule, max = 90): string {
  const t = reading.text.slice(rule.start, rule.end).replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
