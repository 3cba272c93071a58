import type { RequirementCoverage } from "./coverage";
import { jammedRun as jammedTerms } from "./jammed-terms";
import { keyedSets } from "./keyed-sets";
import { canonicalLimits } from "./limit-idioms";
import { opensWithMark } from "./negation-symbols";
import type { PhraseHit } from "./phrases";
import { DIRECTIVE_VERBS, quoteRule, type Reading, type Rule, type Token } from "./reading";
import { isTermRun } from "./term-run";
import { FILLER_WORDS } from "./waste";

/**
 * Tells the rules that instruct from those that only list words.
 *
 * A rule instructs when it has a verb ("Summarise...", "Dates are ISO", "must", "if ... then"), or
 * is structured notation: a labelled line ("Labels: a | b", "Output: JSON"), a mapping ("unsure →
 * SAFETY"), a template or a schema, or a list item under a heading that instructs. A heading that
 * announces terms ("Keywords:", "Tags:") does not make its items instructions.
 *
 * Even with a verb somewhere, a run of requirement terms from several requirements strung together
 * by nothing but spaces and commas is a list of keywords, not an instruction: "summary 3 bullets
 * order number exactly ESCALATE cancel chargeback".
 *
 * A prompt is a keyword list (gaming) when the requirements it would cover lean on such lists:
 * two or more requirements are found only in them, and they outweigh what is truly instructed.
 */

/** Headings and labels that introduce words rather than instructions. */
/**
 * Headings and labels that introduce words rather than instructions (singular: labels are read singular). A
 * "Topic:" or "Tag:" label names a field the model fills ("Topics: delivery, quality, price"), not a list of terms.
 */
const TERM_LABELS = new Set([
  "keyword",
  "key word",
  "hashtag",
  "concept",
  "vocabulary",
  "glossary",
  "buzzword",
  "seo",
  "key term",
  "key phrase",
  "phrase",
]);
const RELATIONAL = new Set([
  "none",
  "null",
  "only",
  "max",
  "min",
  "maximum",
  "minimum",
  "most",
  "least",
  "exactly",
  "never",
  "no",
  "not",
  "if",
  "when",
  "unless",
  "else",
  "otherwise",
  "per",
  "each",
  "every",
  "one",
  "as",
  "to",
  "from",
  "in",
  "with",
  "without",
  "than",
  "under",
  "over",
  "within",
  "then",
  "must",
  "should",
]);
const MAPPING_TOKENS = new Set(["=", "->", "=>", "→", "⇒", ":", "|", "{", "}", "<", ">", "<=", ">=", "∈", "≔"]);

const ITEM_SEPARATORS = new Set([",", ";", "|", "#", "•", "·", "/"]);
const NEGATIONS = new Set(["no", "not", "never", "n't", "without"]);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/** "Label: ...", "Label - ...", "Label — ...": a short label opening the rule, lower-cased and singular. */
function labelOf(reading: Reading, rule: Rule): string | null {
  const body = reading.text.slice(rule.start, rule.end).replace(/^\s*(?:[-*•#]+|\d+[.)])\s*/, "");
  const m = /^([^:\n]{1,40}):/.exec(body) ?? DASH_LABEL.exec(body);
  if (!m) return null;
  const label = m[1]
    .trim()
    .toLowerCase()
    .replace(/[*_`#]/g, "");
  // "Topics:" reads like "Topic:", "Keywords:" like "Keyword:".
  return label.replace(/(?<=[a-z]{3})(?:ies)$/, "y").replace(/(?<=[a-z]{3}[^s])s$/, "");
}

/** "Output - one word", "Labels — SAFETY or OK": a label of up to four words, a spaced dash, then what it sets. */
const DASH_LABEL = /^(\p{L}[\p{L}\p{N}_'/&]*(?:[ \t]+[\p{L}\p{N}_'/&]+){0,3})[ \t]+(?:-{1,2}|–|—)[ \t]+(?=\S)/u;

/** Whether the rule has a verb of its own (outside `except`: the requirement terms it mentions). */
/** "...: keep order numbers ...": an order in its base form opening its clause, with its object after it. */
function opensClauseAsOrder(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  if (!DIRECTIVE_VERBS.has(t.lemma) || t.lemma !== t.lower.replace(/^./, (c) => c.toLowerCase())) return false;
  let prev = i - 1;
  while (prev >= 0 && tokens[prev].clause === t.clause && !isWord(tokens[prev])) prev--;
  const opens = prev < 0 || tokens[prev].clause !== t.clause;
  const next = tokens[i + 1];
  return opens && next !== undefined && next.clause === t.clause && isWord(next);
}

function hasVerb(tokens: Token[], rule: Rule, except?: Set<number>): boolean {
  for (let i = rule.from; i < rule.to; i++) {
    const t = tokens[i];
    if (except?.has(i) && !opensClauseAsOrder(tokens, i)) continue;
    if (t.pos === "AUX" || (t.pos === "VERB" && !/ing$/.test(t.lower))) return true;
    // "..., correct the spelling": an order after a comma, with its object's article, even when tagged an adjective.
    if (
      DIRECTIVE_VERBS.has(t.lower) &&
      tokens[i - 1]?.text === "," &&
      ["DET", "PRON"].includes(tokens[i + 1]?.pos ?? "") &&
      i + 1 < rule.to
    )
      return true;
    // "The first sentence names the product": a plural-looking noun between a noun and an article is its verb.
    if (
      t.pos === "NOUN" &&
      /s$/.test(t.lower) &&
      DIRECTIVE_VERBS.has(t.lemma) &&
      tokens[i - 1]?.pos === "NOUN" &&
      ["DET", "PRON"].includes(tokens[i + 1]?.pos ?? "")
    )
      return true;
    if (DIRECTIVE_VERBS.has(t.lemma) && (t.pos === "PROPN" || t.pos === "NOUN" || t.pos === "VERB")) {
      // A capitalised order at a line or clause start is often tagged as a proper noun.
      const prev = tokens[i - 1];
      if (i === rule.from || !prev || prev.rule !== t.rule || !isWord(prev) || prev.newlineBefore) return true;
    }
  }
  return false;
}

function hasNotation(tokens: Token[], rule: Rule): boolean {
  for (let i = rule.from; i < rule.to; i++) if (MAPPING_TOKENS.has(tokens[i].text)) return true;
  return false;
}

/** "No guessing.", "Never a preamble.": a short prohibition is an order. */
function opensWithNegation(tokens: Token[], rule: Rule): boolean {
  const first = tokens.slice(rule.from, rule.to).find(isWord);
  return (
    first !== undefined &&
    (first.lower === "no" || first.lower === "never" || first.lower === "don't" || first.lower === "without")
  );
}

function hasRelational(tokens: Token[], rule: Rule): boolean {
  for (let i = rule.from; i < rule.to; i++) {
    const t = tokens[i];
    if (RELATIONAL.has(t.lower) || /^\d/.test(t.text)) return true;
  }
  return false;
}

/** A limit said in other words ("five entries tops", "capped at eight words"): limit-idioms.ts rewrites it. */
const saysLimit = (text: string) => canonicalLimits(text) !== text;

const PAST_OPENERS =
  /^\W*(?:in the past|previously|historically|last (?:year|month|week|quarter)|we used to|until (?:now|recently)|back then|once upon|years ago|originally|at first|before (?:this|that|now))\b/i;
const PAST_FORMS = new Set(["was", "were", "had", "did", "used"]);
const PAST_SUBJECTS = new Set([
  "we",
  "they",
  "it",
  "he",
  "she",
  "i",
  "customers",
  "people",
  "agents",
  "descriptions",
  "prompts",
]);

/**
 * Background told in the past tense ("In the past, descriptions were longer", "We asked for a summary"), or the
 * writer's own plan ("Let me explain ...").
 */
function isNarrative(reading: Reading, rule: Rule): boolean {
  if (PAST_OPENERS.test(reading.text.slice(rule.start, rule.end))) return true;
  const words = reading.tokens.slice(rule.from, rule.to).filter(isWord);
  const [subject, verb] = words;
  // "Let me explain how our process works": the writer says what they will do, not what the model is to do.
  if (subject?.lower === "let" && verb?.lower === "me") return true;
  if (!subject || !verb || !PAST_SUBJECTS.has(subject.lower)) return false;
  return PAST_FORMS.has(verb.lower) || (verb.pos === "VERB" && /ed$/.test(verb.lower) && verb.lemma !== verb.lower);
}

export interface RuleReading {
  /** The rule tells the model what to do. */
  instructs: boolean;
  /** Why not, for the report. */
  kind: "instruction" | "term-list" | "statement";
}

/**
 * Rules that are lines of a column of bare terms: a run of column lines with no heading over them, three in four
 * of which have no verb or notation of their own ("3" / "subject lines" / "no emojis" / "cache"). A column of
 * short orders ("Write 3 lines" / "keep them short" / ...) is read line by line as usual.
 */
/**
 * A line of a column that gives an order: notation, an auxiliary ("is", "must"), or an order in its base form or a
 * prohibition opening it, with more after it ("copy order numbers", "never guess"). One word is a term whatever its
 * tag ("wants", "ESCALATE"), and so is "already tried" or "no emojis".
 */
function ordersInColumn(tokens: Token[], rule: Rule): boolean {
  if (hasNotation(tokens, rule)) return true;
  const words = tokens.slice(rule.from, rule.to).filter(isWord);
  if (words.length < 2) return false;
  if (words.some((t) => t.pos === "AUX" && !["do", "does"].includes(t.lower))) return true;
  const [first, second] = words;
  if (first.lower === "never" || ((first.lower === "do" || first.lower === "don't") && second.lower.endsWith("n't")))
    return true;
  if (first.lower === "do" && second.lower === "not") return true;
  return DIRECTIVE_VERBS.has(first.lemma) && first.lemma === first.lower && first.text !== first.text.toUpperCase();
}

function bareTermLines(reading: Reading): Set<number> {
  const bare = new Set<number>();
  const { rules, tokens } = reading;
  let run: number[] = [];
  const flush = () => {
    const terms = run.filter((r) => !ordersInColumn(tokens, rules[r]));
    if (run.length > 0 && terms.length >= 0.75 * run.length) for (const r of terms) bare.add(r);
    run = [];
  };
  for (const rule of rules) {
    const inColumn = rule.column && rule.kind !== "item" && rule.heading === null;
    if (!inColumn || (run.length > 0 && rules[run[run.length - 1]].segment !== rule.segment - 1)) flush();
    if (inColumn) run.push(rule.index);
  }
  flush();
  return bare;
}

export function readRules(reading: Reading): RuleReading[] {
  const out: RuleReading[] = [];
  const bareTerms = bareTermLines(reading);
  for (const rule of reading.rules) {
    const label = labelOf(reading, rule);
    const termLabel = label !== null && TERM_LABELS.has(label);
    const heading = rule.heading === null ? null : reading.rules[rule.heading];
    const headingLabel = heading ? labelOf(reading, heading) : null;
    const underTerms = headingLabel !== null && TERM_LABELS.has(headingLabel);
    let instructs: boolean;
    // A line of a column of bare terms ("3" / "subject lines" / "no emojis" / "cache") is one word of a list.
    // ...and so is a long run of terms with no punctuation and no verb (term-run.ts).
    const bareTerm = bareTerms.has(rule.index) || isTermRun(reading.tokens, rule);
    if (termLabel || underTerms || bareTerm) instructs = false;
    // "In the past, descriptions had sections and an FAQ": background, not an instruction.
    else if (isNarrative(reading, rule)) instructs = false;
    else if (rule.kind === "schema") instructs = true;
    // A section heading ("## Unsure", "Labels:") structures a spec; what it governs is read under it.
    else if (rule.kind === "heading") instructs = true;
    else if (
      hasVerb(reading.tokens, rule) ||
      hasNotation(reading.tokens, rule) ||
      opensWithNegation(reading.tokens, rule) ||
      opensWithMark(reading.tokens, rule) ||
      DASH_LABEL.test(reading.text.slice(rule.start, rule.end).replace(/^\s*(?:[-*•]+|\d+[.)])\s*/, ""))
    )
      instructs = true;
    // A list item, or a line, under a heading that instructs ("Categories, exactly one of:").
    else if (heading) instructs = out[heading.index]?.instructs !== false || hasRelational(reading.tokens, rule);
    // "One word.", "Label only.", "3 bullets max", "Five entries tops": a short fragment with a limit in it.
    else
      instructs =
        (hasRelational(reading.tokens, rule) || saysLimit(reading.text.slice(rule.start, rule.end))) &&
        reading.tokens.slice(rule.from, rule.to).filter(isWord).length >= 2;
    out.push({
      instructs,
      kind: instructs ? "instruction" : termLabel || underTerms || bareTerm ? "term-list" : "statement",
    });
  }
  // "Reply with the label. Lowercase.", "Output: one word. SAFETY or OK.": a short verbless sentence after an
  // instruction of its paragraph goes on with it (the verb is understood), as a reader takes it.
  for (let i = 1; i < reading.rules.length; i++) {
    const rule = reading.rules[i];
    const prev = reading.rules[i - 1];
    if (out[i].instructs || out[i].kind !== "statement" || !out[i - 1].instructs || prev.segment !== rule.segment)
      continue;
    if (!/^[.!;]$/.test(reading.tokens[prev.to - 1]?.text ?? "") || isNarrative(reading, rule)) continue;
    const words = reading.tokens.slice(rule.from, rule.to).filter(isWord);
    if (words.length >= 1 && words.length <= 6) out[i] = { instructs: true, kind: "instruction" };
  }
  // ...and one that opens its paragraph before an instruction: "Strictly JSON. No prose."
  for (let i = reading.rules.length - 2; i >= 0; i--) {
    const rule = reading.rules[i];
    if (out[i].instructs || out[i].kind !== "statement" || !out[i + 1].instructs) continue;
    if (reading.rules[i + 1].segment !== rule.segment || reading.tokens[rule.to - 1]?.text !== ".") continue;
    if (isNarrative(reading, rule)) continue;
    const words = reading.tokens.slice(rule.from, rule.to).filter(isWord);
    if (words.length >= 1 && words.length <= 4) out[i] = { instructs: true, kind: "instruction" };
  }
  // "Not sure? SAFETY.": a short question and its short answer instruct together.
  for (let i = 0; i + 1 < reading.rules.length; i++) {
    const q = reading.rules[i];
    const a = reading.rules[i + 1];
    const qWords = reading.tokens.slice(q.from, q.to).filter(isWord).length;
    const aWords = reading.tokens.slice(a.from, a.to).filter(isWord).length;
    if (reading.tokens[q.to - 1]?.text === "?" && qWords <= 12 && aWords <= 6 && out[i].kind !== "term-list") {
      out[i] = { instructs: true, kind: "instruction" };
      out[i + 1] = { instructs: true, kind: "instruction" };
    }
  }
  // "Doesn't fit? other.": a short answer to a question or label that instructs.
  for (let i = 1; i < reading.rules.length; i++) {
    const prev = reading.rules[i - 1];
    const last = reading.tokens[prev.to - 1]?.text;
    const words = reading.tokens.slice(reading.rules[i].from, reading.rules[i].to).filter(isWord);
    if (
      !out[i].instructs &&
      out[i].kind !== "term-list" &&
      out[i - 1].instructs &&
      (last === "?" || last === ":") &&
      words.length <= 6
    )
      out[i] = { instructs: true, kind: "instruction" };
  }
  // "Order number? Copy it exactly.": a short fragment that names the topic of the next instruction.
  for (let i = 0; i + 1 < reading.rules.length; i++) {
    const rule = reading.rules[i];
    if (out[i].instructs || out[i].kind === "term-list" || !out[i + 1].instructs) continue;
    const words = reading.tokens.slice(rule.from, rule.to).filter(isWord);
    const last = reading.tokens[rule.to - 1]?.text;
    if (words.length <= 6 && (last === "?" || last === ":" || last === "—" || last === "-"))
      out[i] = { instructs: true, kind: "instruction" };
  }
  return out;
}

interface Mention {
  from: number;
  to: number;
  requirement: string;
}

/**
 * Rules that string together terms of three or more requirements with nothing to instruct them:
 * almost every word is a requirement's term ("summary, three bullets, order number, exactly,
 * ESCALATE, cancel, chargeback"), or the terms are jammed together with no separator at all
 * ("bullets three problem tried wants order number copied exactly ESCALATE"). A terse spec keeps
 * its own words and separators ("3 bullets max (problem / tried / wants), facts from the ticket
 * only, final line ESCALATE on cancel") and is not one.
 */
/** One "key: a/b/c" or "key: a | b | c" part: a short key and at least three values split by slashes or bars. */
const VALUE_SET =
  /^\s*(?:[-*•]\s+)?[\p{L}_][\p{L}\p{N}_ -]{0,30}:\s*[^\s/|;:]+(?:\s*[/|]\s*[^\s/|;:]+){2,}\s*[.;]?\s*$/u;

/** The rule is only keys, each with the closed set of values it may take, split at semicolons. */
function valueSets(text: string): boolean {
  const parts = text.split(";").filter((p) => /\S/.test(p));
  return parts.length > 0 && parts.every((p) => VALUE_SET.test(p));
}

export function keywordRuns(reading: Reading, coverage: RequirementCoverage[]): Set<number> {
  const byRule = new Map<number, Mention[]>();
  for (const req of coverage)
    for (const h of req.hits as PhraseHit[]) {
      // A shape, or a forbidden thing found affirmed ("redact" of "don't redact"), is no mention of a term.
      if (h.regex || (h.negativePhrase && !h.asWritten)) continue;
      const list = byRule.get(h.rule) ?? [];
      list.push({ from: h.from, to: h.to, requirement: req.id });
      byRule.set(h.rule, list);
    }
  const runs = new Set<number>();
  const { tokens } = reading;
  const mentioned = new Set<number>();
  for (const list of byRule.values()) for (const m of list) for (let i = m.from; i < m.to; i++) mentioned.add(i);
  for (const [index, all] of byRule) {
    const rule = reading.rules[index];
    // "product is one of app, web, billing, api, other; topic one of bug, ...": a field with its closed set of values
    // defines the reply; its words are no terms strung together (keyed-sets.ts).
    const sets = keyedSets(reading, rule, (i) => mentioned.has(i));
    const mentions = sets.length ? all.filter((m) => !sets.some(([from, to]) => m.from >= from && m.from < to)) : all;
    if (mentions.length === 0) continue;
    // A schema instructs, unless it is only an array of strings ("["travel", "meals", ...]").
    if (rule.kind === "schema" && tokens.slice(rule.from, rule.to).some((t) => t.text === ":" || t.text === "{"))
      continue;
    // "KEEP: order numbers, product names": a list introduced by an order is that order's object.
    // ("Replace only:", "Swap out these:": the order may take a word or two before its colon.)
    const first = tokens[rule.from];
    const colon = tokens.slice(rule.from + 1, Math.min(rule.to, rule.from + 4)).findIndex((t) => t.text === ":");
    if (first && colon >= 0 && DIRECTIVE_VERBS.has(first.lemma)) continue;
    // "issue: damaged/missing/late/other; wants: refund/info/other": each key with its closed set of values.
    if (valueSets(reading.text.slice(rule.start, rule.end))) continue;
    // 15 words and more with no punctuation and next to no grammar is not a sentence, verbs or not.
    if (isTelegram(tokens, rule)) {
      runs.add(index);
      continue;
    }
    if (new Set(mentions.map((m) => m.requirement)).size < 3) continue;
    mentions.sort((a, b) => a.from - b.from || b.to - a.to);
    const inMention = new Set<number>();
    for (const m of mentions) for (let i = m.from; i < m.to; i++) inMention.add(i);
    let words = 0;
    let covered = 0;
    for (let i = rule.from; i < rule.to; i++) {
      if (!isWord(tokens[i]) || FILLER_WORDS.has(tokens[i].lower)) continue;
      words++;
      if (inMention.has(i)) covered++;
    }
    // Gaps between consecutive mentions of different requirements.
    let gaps = 0;
    let jammed = 0;
    /** Jammed joins in a row, and the longest such chain (jammed-terms.ts). */
    let chain = 0;
    let longestChain = 0;
    let end = -1;
    let lastReq = "";
    let lastFrom = 0;
    for (const m of mentions) {
      if (m.from < end) continue;
      if (end >= 0 && m.requirement !== lastReq) {
        gaps++;
        const between = tokens.slice(end, m.from);
        // "email=[EMAIL] phone=[PHONE]": pairs of notation side by side are not jammed terms.
        const notation =
          MAPPING_TOKENS.has(tokens[m.to]?.text ?? "") || MAPPING_TOKENS.has(tokens[lastFrom - 1]?.text ?? "");
        if (
          !notation &&
          (between.length === 0 ||
            between.every(
              // (A middle dot or a bullet separates two entries as a comma does: "[EMAIL] email · [PHONE] phone".)
              (t) => !isWord(t) && !MAPPING_TOKENS.has(t.text) && !/[,;:|/()\-–—.!?=>"“”'`→⇒·•]/.test(t.text),
            ))
        ) {
          jammed++;
          longestChain = Math.max(longestChain, ++chain);
        } else chain = 0;
      }
      lastFrom = m.from;
      end = m.to;
      lastReq = m.requirement;
    }
    // The requirement with the most mentions may be listing its own examples ("fire, burning,
    // smoke, ..."); what matters is how the other requirements' terms are joined.
    const perReq = new Map<string, number>();
    for (const m of mentions)
      if (!tokens[m.from].descriptive) perReq.set(m.requirement, (perReq.get(m.requirement) ?? 0) + 1);
    const top = [...perReq].sort((a, b) => b[1] - a[1])[0]?.[0] ?? mentions[0].requirement;
    // Glosses in parentheses ("billing (charges, refunds)") explain the top requirement's items.
    const others = new Set(
      mentions
        .filter((m) => m.requirement !== top && !inRequirement(mentions, top, m) && !tokens[m.from].descriptive)
        .map((m) => m.from),
    );
    const topOnly = new Set<number>();
    for (const m of mentions) if (m.requirement === top) for (let i = m.from; i < m.to; i++) topOnly.add(i);
    for (const m of mentions)
      if (m.requirement !== top && !inRequirement(mentions, top, m))
        for (let i = m.from; i < m.to; i++) topOnly.delete(i);

    // Items between separators: a list of keywords is mostly one- and two-word items, or items made
    // only of requirement terms; items that only give the top requirement's examples are left out.
    let items = 0;
    let bare = 0;
    let itemWords = 0;
    let itemCovered = 0;
    let itemOther = false;
    let itemStart = rule.from;
    /** Items of at most three words: names of things, not sentences. */
    let shortItems = 0;
    /** Tokens of bare items: a verb there is one of the brief's terms ("needs review"), not an order. */
    const inBare = new Set<number>(inMention);
    /** Items of two words or more, and those of them that say something of their term (qualifiedItem). */
    let longItems = 0;
    let qualified = 0;
    const closeItem = (end: number) => {
      if (itemWords >= 2) {
        longItems++;
        if (qualifiedItem(tokens, itemStart, end)) qualified++;
      }
      if (itemWords > 0 && (itemWords <= 2 || itemCovered === itemWords))
        for (let k = itemStart; k < end; k++) inBare.add(k);
      if (itemWords > 0 && itemOther) {
        items++;
        if (itemWords <= 2 || itemCovered === itemWords) bare++;
        if (itemWords <= 3) shortItems++;
      }
      itemWords = 0;
      itemCovered = 0;
      itemOther = false;
      itemStart = end;
    };
    let depth = 0;
    for (let i = rule.from; i < rule.to; i++) {
      const t = tokens[i];
      if (t.text === "(" || t.text === "[" || t.text === "{") depth++;
      else if ((t.text === ")" || t.text === "]" || t.text === "}") && depth > 0) depth--;
      // Commas inside parentheses list a label's values, not separate items (but a bare array is a list).
      if ((ITEM_SEPARATORS.has(t.text) && (depth === 0 || rule.kind === "schema")) || t.newlineBefore) closeItem(i);
      if (!isWord(t) || FILLER_WORDS.has(t.lower)) continue;
      itemWords++;
      if (!topOnly.has(i)) itemOther = true;
      if (inMention.has(i) || NEGATIONS.has(t.lower)) itemCovered++;
    }
    closeItem(rule.to);
    // "max 3, best first, ids only; no scores, no reasons", "chat content only, no guesses; health detail -> "medical
    // reason"": a terse spec whose items each bound, rank, exclude or map their term says what to do with each.
    const terse = longItems >= 4 && qualified >= 0.6 * longItems;
    const listOfTerms = items >= 4 && bare * 3 >= items * 2 && !terse;
    // One requirement's examples with a word or two of another ("SAFETY = injury or hazard (fire,
    // burning, smoke, ...)") are a definition, not a list of the brief's terms.
    // ...three jammed joins, or a short string that is nothing but jammed terms ("classify billing
    // technical account label only").
    // ("All other text stays verbatim": a sentence with its subject's determiner, made only of terms, is still one.)
    const opensWithSubject = tokens.slice(rule.from, rule.to).find(isWord)?.pos === "DET";
    const jammedRun =
      jammedTerms(jammed, gaps, longestChain, covered, words) ||
      (jammed >= 2 && jammed === gaps && covered >= 0.85 * words && !opensWithSubject);
    if (others.size <= 2 && !jammedRun) continue;
    // A rule with a verb of its own is read as an instruction unless its terms are jammed together.
    const verbless = !hasVerb(tokens, rule, inBare);
    // "email=[EMAIL] phone=[PHONE] ...": a map of notation pairs, one per requirement, instructs.
    let mappings = 0;
    for (let i = rule.from; i < rule.to; i++)
      // (Angle brackets are a template's slots, "line <n>: <RULE>", not arrows.)
      if (MAPPING_TOKENS.has(tokens[i].text) && !["|", "<", ">"].includes(tokens[i].text)) mappings++;
    // "<id>;<POS|NEG|MIXED|SKIP>;<delivery|quality|...>": each slot of a template is a field to fill, notation.
    const slots = templateSlots(tokens, rule);
    mappings += slots;
    // "issue ∈ damaged, missing, late; wants ∈ refund, info": each list is the values of the label that opens its
    // clause.
    const labelled = mentions.filter((m) => opensWithLabel(tokens, reading.clauses[tokens[m.from].clause])).length;
    const notationMap =
      mappings + 1 >= new Set(mentions.map((m) => m.requirement)).size ||
      (mappings >= 2 && labelled >= 0.8 * mentions.length) ||
      pairsWithTags(tokens, rule) ||
      // "Output, one line: APPROVE | HOLD: <broken rules>": a labelled line with a template's slot shows the reply.
      (slots > 0 && labelOf(reading, rule) !== null && !TERM_LABELS.has(labelOf(reading, rule) ?? ""));
    // "Brightwave, first name, greet, 3 sentences, only facts, EU roaming, ...": a long run of short names of
    // things, a verb or two among them, is a list of the brief's terms, not a sentence.
    // (A terse spec groups its items with semicolons: "3 bullets max; problem, tried, wants; order number exact".)
    const grouped = tokens.slice(rule.from, rule.to).some((t) => t.text === ";" || t.text === "|");
    const longList =
      (items >= 5 && bare >= 0.8 * items && !terse) ||
      (items >= 8 && !grouped && shortItems >= 0.8 * items && bare * 2 >= items);
    // "JSON object order_id product issue wants damaged missing ...": terms strung on one line with
    // no punctuation at all.
    let punctuation = 0;
    for (let i = rule.from; i < rule.to - 1; i++)
      if (!isWord(tokens[i]) && !/^[_'’-]$/.test(tokens[i].text)) punctuation++;
    // ...and no grammar either: a sentence has its articles, prepositions and conjunctions.
    let grammar = 0;
    for (let i = rule.from; i < rule.to; i++)
      if (
        !inMention.has(i) &&
        !NEGATIONS.has(tokens[i].lower) &&
        ["DET", "ADP", "CCONJ", "SCONJ", "PRON", "AUX", "PART"].includes(tokens[i].pos)
      )
        grammar++;
    const unpunctuated =
      words >= 8 && punctuation === 0 && grammar <= 0.15 * words && covered >= (words >= 15 ? 0.5 : 0.6) * words;
    if (
      jammedRun ||
      (longList && !notationMap) ||
      (verbless && !notationMap && ((words >= 12 && covered >= 0.85 * words) || listOfTerms || unpunctuated))
    )
      runs.add(index);
  }
  // A column of short lines that are nothing but terms ("→ injury", "→ hazard", "→ fire smoke
  // sparks", "→ one word"): a word list written vertically.
  let column: number[] = [];
  const distinctIn = (rules: number[]) =>
    new Set(rules.flatMap((r) => (byRule.get(r) ?? []).map((m) => m.requirement))).size;
  const flush = () => {
    if (column.length >= 4 && distinctIn(column) >= 3) for (const r of column) runs.add(r);
    column = [];
  };
  reading.rules.forEach((rule, index) => {
    const mentions = byRule.get(index) ?? [];
    const words = tokens.slice(rule.from, rule.to).filter((t) => isWord(t) && !FILLER_WORDS.has(t.lower));
    const inMention = (t: Token) => mentions.some((m) => t.index >= m.from && t.index < m.to);
    const bare =
      mentions.length > 0 &&
      words.length <= 4 &&
      !pairsTermWithValue(tokens, rule) &&
      !words.some((t) => !inMention(t) && (t.pos === "VERB" || t.pos === "AUX")) &&
      words.filter(inMention).length >= 0.75 * words.length;
    if (bare) column.push(index);
    else flush();
  });
  flush();
  return runs;
}

/**
 * Words that say something of the term beside them rather than name one more: a bound ("max 3"), a rank ("best
 * first"), a restriction ("ids only", "verbatim") or an exclusion ("no scores", "never pad").
 */
const QUALIFIERS = new Set([
  "only",
  "no",
  "not",
  "never",
  "none",
  "without",
  "max",
  "min",
  "maximum",
  "minimum",
  "exactly",
  "first",
  "last",
  "per",
  "each",
  "every",
  "verbatim",
]);

/** An item of a terse line that qualifies its term (a word of QUALIFIERS) or maps it ("health detail -> X"). */
function qualifiedItem(tokens: Token[], from: number, to: number): boolean {
  let lastWord = -1;
  for (let i = from; i < to; i++) if (isWord(tokens[i])) lastWord = i;
  let wordBefore = false;
  for (let i = from; i < to; i++) {
    if (QUALIFIERS.has(tokens[i].lower)) return true;
    if (PAIRING_SIGNS.has(tokens[i].text) && wordBefore && lastWord > i) return true;
    if (isWord(tokens[i])) wordBefore = true;
  }
  return false;
}

/** Arrows and equals signs: what stands left of one is sent to, or means, what stands right of it. */
const PAIRING_SIGNS = new Set(["->", "=>", "→", "⇒", "="]);

/**
 * "email -> [EMAIL]", "card number → [CARD]", "unsure = SAFETY": a line that pairs a term with what becomes of it, words
 * on both sides of an arrow, is one row of a mapping, an order without a verb. A column of such rows is a table, not a
 * word list; an arrow with nothing before it ("→ injury") only marks an item.
 */
function pairsTermWithValue(tokens: Token[], rule: Rule): boolean {
  for (let i = rule.from + 1; i < rule.to - 1; i++) {
    if (!PAIRING_SIGNS.has(tokens[i].text)) continue;
    const before = tokens.slice(rule.from, i).some(isWord);
    const after = tokens.slice(i + 1, rule.to).some(isWord);
    return before && after;
  }
  return false;
}

/** What separates the entries of a legend: "[EMAIL] email · [PHONE] phone", "email [EMAIL]; phone [PHONE]". */
const LEGEND_SEPARATORS = new Set([",", ";", "|", "·", "•"]);

/**
 * "email [EMAIL]; phone [PHONE]; card number [CARD]", "[EMAIL] email · [PHONE] phone": every item of a line pairs
 * words with a [TAG] of its own, a map written without arrows (a legend). Each line is read on its own: a legend
 * followed by its example ("e.g. ... -> ... [EMAIL]") is still a legend.
 */
function pairsWithTags(tokens: Token[], rule: Rule): boolean {
  let items = 0;
  let pairs = 0;
  let tag = false;
  let words = 0;
  let depth = 0;
  let legend = false;
  const close = () => {
    if (tag || words > 0) items++;
    if (tag && words > 0) pairs++;
    tag = false;
    words = 0;
  };
  const endLine = () => {
    close();
    if (items >= 3 && pairs >= 0.8 * items) legend = true;
    items = 0;
    pairs = 0;
    depth = 0;
  };
  for (let i = rule.from; i < rule.to; i++) {
    const t = tokens[i];
    if (t.newlineBefore && i > rule.from) endLine();
    if (t.text === "[") {
      depth++;
      if (/^[A-Z][A-Z_]*$/.test(tokens[i + 1]?.text ?? "") && tokens[i + 2]?.text === "]") tag = true;
    } else if (t.text === "]") depth = Math.max(0, depth - 1);
    else if (depth === 0 && LEGEND_SEPARATORS.has(t.text)) close();
    else if (depth === 0 && isWord(t)) words++;
  }
  endLine();
  return legend;
}

/**
 * Slots of a template line: "<id>", "<first name>", "<POS|NEG|MIXED>" (a short name, or alternatives between
 * bars), closed on the same rule. A long run of words between angle brackets is no slot: "<summary 3 bullets order
 * number ESCALATE cancel>" is a list of terms however it is wrapped.
 */
function templateSlots(tokens: Token[], rule: Rule): number {
  let slots = 0;
  for (let i = rule.from; i < rule.to; i++) {
    if (tokens[i].text !== "<") continue;
    let words = 0;
    let longest = 0;
    let close = -1;
    for (let k = i + 1; k < Math.min(rule.to, i + 40); k++) {
      const t = tokens[k];
      if (t.text === ">") {
        close = k;
        break;
      }
      if (t.text === "<") break;
      if (t.text === "|" || t.text === "/" || t.text === ",") words = 0;
      else if (isWord(t)) longest = Math.max(longest, ++words);
    }
    if (close > i + 1 && longest >= 1 && longest <= 4) {
      slots++;
      i = close;
    }
  }
  return slots;
}

/** The clause opens with a label of up to three words and a mapping sign: "issue ∈", "wants:", "unsure ->". */
function opensWithLabel(tokens: Token[], clause: { from: number; to: number } | undefined): boolean {
  if (!clause) return false;
  for (let i = clause.from; i < Math.min(clause.to, clause.from + 4); i++) {
    const t = tokens[i];
    if (MAPPING_TOKENS.has(t.text) && t.text !== "|") return i > clause.from;
    if (!isWord(t) && t.text !== "_") return false;
  }
  return false;
}

const GRAMMAR_POS = new Set(["DET", "ADP", "CCONJ", "SCONJ", "PRON", "AUX", "PART"]);

function isTelegram(tokens: Token[], rule: Rule): boolean {
  // Any stretch between two punctuation marks: "OWNER | TASK | DUE exactly one line ISO date ..." has
  // its notation first and its heap of terms after.
  let words = 0;
  let grammar = 0;
  for (let i = rule.from; i <= rule.to; i++) {
    const t = tokens[i];
    // (Symbols inside a stretch, "£ 2.25", "#", "%", go on with it; punctuation ends it.)
    if (i === rule.to || (!isWord(t) && !/^[_'’\-£$€%#&+@*/]$/.test(t.text))) {
      if (words >= 15 && grammar <= 0.12 * words) return true;
      words = 0;
      grammar = 0;
      continue;
    }
    if (!isWord(t)) continue;
    words++;
    if (GRAMMAR_POS.has(t.pos) && !NEGATIONS.has(t.lower)) grammar++;
  }
  return false;
}

/** The mention overlaps one of `requirement`'s own ("SAFETY" is both a label and the unsure answer). */
function inRequirement(mentions: Mention[], requirement: string, m: Mention): boolean {
  return mentions.some((o) => o.requirement === requirement && o.from < m.to && m.from < o.to);
}

export interface KeywordListResult {
  keywordList: boolean;
  reason: string | null;
}

/**
 * Gaming by listing terms: at least two requirements are found only in rules that do not instruct
 * (or in keyword runs), and those outweigh the requirements truly instructed.
 */
export function detectKeywordList(
  reading: Reading,
  coverage: RequirementCoverage[],
  listed: (rule: number) => boolean,
): KeywordListResult {
  const onlyListed = coverage.filter(
    (r) => r.status !== "covered" && r.hits.some((h) => h.asWritten && listed(h.rule)),
  );
  const instructedWeight = coverage.filter((r) => r.status === "covered").reduce((s, r) => s + r.weight, 0);
  const listedWeight = onlyListed.reduce((s, r) => s + r.weight, 0);
  const keywordList = onlyListed.length >= 2 && listedWeight >= instructedWeight;
  if (!keywordList) return { keywordList, reason: null };
  const example = onlyListed[0].hits.find((h) => listed(h.rule));
  const quote = example ? quoteRule(reading, reading.rules[example.rule], 60) : "";
  return {
    keywordList,
    reason: `The prompt lists terms instead of instructing the model (e.g. "${quote}"): ${onlyListed.length} requirements appear only as bare words.`,
  };
}
