import type { Requirement } from "../exercise";
import type { RequirementHits } from "./coverage";
import { DIRECTIVE_VERBS, quoteRule, type Reading, type Rule, type Token } from "./reading";

/**
 * A case the exercise sends to one of its labels, handled another way: the description binds cases to a label ("The
 * named cases escalate (a document not given, not in English)", "NONE when there is no IT question", "Questions that
 * need the customer's own account get exactly ACCOUNT_SPECIFIC"), the prompt gives one of those cases an order of its
 * own and no label at all:
 *
 *     If the clause refers to a schedule that is not supplied, rate only the wording you can see.
 *     If the message holds no IT question, pass it through unchanged.
 *     If the question is about their own balance, answer generally and suggest they check the app.
 *
 * The case is a hit of the requirement's case words inside a condition; its outcome is the rest of the rule after the
 * condition (or the clause before it, for "rate it on the wording you see if it cites a schedule"). An outcome with an
 * affirmed order and no label of the exercise (in any case or spelling: "escalate", "account-specific") does the case
 * another way. An outcome that names another case of the same label ("treat it as ambiguous") still sends it there.
 *
 * Where the reply is a selection from the input (task action `select`), leaving one item out is the selection itself,
 * not the empty case handled another way: "Does the passage help? If no, drop it." or "If it does not help, leave it
 * out" decide each passage, and the reply is empty of them only when every one is dropped. The outcome leaves out a
 * single item ("it", "this passage") and the condition is said of that item, not of the whole set ("If no passage
 * helps, drop them all" or "If nothing helps, leave it out" still handle the empty case another way).
 */

export interface LabelCases {
  /** The label the cases go to, as the exercise writes it. */
  label: string;
  /** Indexes into the requirement's hit groups (topics first, then `all_of`) that name the cases. */
  groups: number[];
}

const LABEL = /^[A-Z][A-Z0-9_]+$/;
/** "NONE when ...", "UNKNOWN if ...", "HIGH for ...": a label that opens its description with its condition. */
const BINDS_AFTER = new Set(["when", "whenever", "if", "for"]);
const NOT = new Set(["never", "not", "no"]);
const norm = (s: string) => s.toLowerCase().replace(/[_\s-]+/g, " ");
/** Orders an outcome may give besides the reader's directive verbs. */
const ORDERS = new Set([
  "assume",
  "judge",
  "score",
  "grade",
  "evaluate",
  "proceed",
  "pass",
  "handle",
  "decline",
  "suggest",
]);

/** The label a requirement's description binds its cases to, and which of its groups name the cases, or null. */
export function labelCases(req: Requirement, labels: readonly string[]): LabelCases | null {
  if (labels.length === 0) return null;
  // The description's own words, outside parentheses: "(hold)" after a rule is a note, not its outcome.
  const said = ` ${norm(req.description.replace(/\([^)]*\)/g, " ").replace(/[^\p{L}\p{N}_\s-]/gu, " "))} `;
  // Labels in capitals ("ESCALATE", "ACCOUNT_SPECIFIC"), not key names ("Subject") or lower-case queues.
  const named = labels.filter((l) => LABEL.test(l) && said.includes(` ${norm(l)} `));
  if (named.length !== 1) return null;
  const label = norm(named[0]);
  // The label as the thing described ("Flag a TODO without a ticket id", "SAFETY is defined ...") binds no case to it;
  // as the outcome it ends the description ("... get exactly ACCOUNT_SPECIFIC", "The named cases escalate") or comes
  // with its condition ("NONE when there is no IT question", "an ESCALATE line when ..."), and is not refused ("unsure
  // is never LOW").
  const words = said.trim().split(" ");
  const n = label.split(" ").length;
  const binds = words.some((_, i) => {
    if (words.slice(i, i + n).join(" ") !== label) return false;
    if (NOT.has(words[i - 1] ?? "") || NOT.has(words[i - 2] ?? "")) return false;
    return i + n === words.length || BINDS_AFTER.has(words[i + n]) || BINDS_AFTER.has(words[i + n + 1] ?? "");
  });
  if (!binds) return null;
  const groups = [...(req.topic ?? []), ...req.all_of]
    .map((group, g) => ({
      g,
      label: group.some((p) => norm(p) === label) || group.every((p) => norm(p).includes(label)),
    }))
    .filter((x) => !x.label)
    .map((x) => x.g);
  return groups.length > 0 ? { label: named[0], groups } : null;
}

function isOrder(t: Token): boolean {
  // ("do" in "don't rate it" is the negation's helper, not an order.)
  if (t.negated || t.quoted || t.pos === "AUX" || t.lower === "do" || t.lower === "be") return false;
  const lemma = t.lemma.toLowerCase();
  return DIRECTIVE_VERBS.has(lemma) || ORDERS.has(lemma) || DIRECTIVE_VERBS.has(t.lower) || ORDERS.has(t.lower);
}

const DEFINES = new Set(["=", "means", "→", "->", "=>"]);

const LEAVES_OUT = new Set([
  "drop",
  "omit",
  "remove",
  "discard",
  "exclude",
  "skip",
  "cut",
  "delete",
  "ignore",
  "leave",
]);
/** Words of a condition said of the whole set rather than of one item ("if nothing helps", "if none of them"). */
const WHOLE = new Set(["nothing", "none", "all", "every", "any", "neither", "them", "they"]);
const ONE = new Set(["it", "this", "that", "one"]);

/** "drop it", "leave it out", "omit this passage": an outcome that leaves out one item, each order of it. */
function leavesOutOne(orders: Token[], tokens: readonly Token[]): boolean {
  return orders.every((o) => {
    const lemma = o.lemma.toLowerCase();
    if (!LEAVES_OUT.has(lemma) && !LEAVES_OUT.has(o.lower)) return false;
    const after = tokens.slice(o.index + 1, o.index + 4).filter((t) => t.pos !== "PUNCT" && t.lower !== "out");
    if (lemma === "leave" && !tokens.slice(o.index + 1, o.index + 4).some((t) => t.lower === "out")) return false;
    const object = after[0]?.pos === "DET" && !ONE.has(after[0].lower) ? after[1] : after[0];
    if (!object || WHOLE.has(object.lower)) return false;
    return ONE.has(object.lower) || (object.pos === "NOUN" && object.lemma.toLowerCase() === object.lower);
  });
}

/** A condition said of one item ("If it does not help", "If no," after a question), not of the whole set. */
function ofOne(words: readonly Token[]): boolean {
  return !words.some(
    (w, i) => WHOLE.has(w.lower) || (w.lower === "no" && (words[i + 1]?.pos === "NOUN" || words[i + 1]?.pos === "ADJ")),
  );
}

/** "NONE only for an empty message", "SKIP only when ...": a label kept for the case that follows it. */
const RESTRICTS = new Set(["for", "when", "if", "on", "in", "to", "where"]);
function restricted(tokens: readonly Token[], t: Token): boolean {
  return LABEL.test(t.text) && tokens[t.index + 1]?.lower === "only" && RESTRICTS.has(tokens[t.index + 2]?.lower ?? "");
}

/** "When in doubt, flag it. Flag = reply SAFETY": the prompt defines the order as the label elsewhere. */
function defined(reading: Reading, order: Token, named: (words: Token[]) => boolean): boolean {
  const lemma = order.lemma.toLowerCase();
  return reading.rules.some((r) => {
    if (r.index === order.rule) return false;
    const words = reading.tokens.slice(r.from, r.to);
    return (
      words.some((w) => DEFINES.has(w.lower)) && words.some((w) => w.lemma.toLowerCase() === lemma) && named(words)
    );
  });
}

/** Words a lead may hold before its colon: "Requests for someone else's details:" names a case, it is no sentence. */
const LEAD_WORDS = 12;

/**
 * "- Requests for someone else's details: politely explain we can't share them": a lead that names the case, then a
 * colon and what to do, reads like a condition (the row shape of "SKIP: empty reviews", with the case first). Returns
 * the colon's token index when the case hit ending at `hitTo` sits in such a lead: the rule's first colon, after the
 * hit, with no order of the lead's own before it ("Reply exactly ACCOUNT_SPECIFIC for other people's details: ..."
 * orders already) and words after it.
 */
function caseLead(reading: Reading, r: number, hitTo: number): number | null {
  const { tokens } = reading;
  const rule = reading.rules[r];
  let words = 0;
  for (let k = rule.from; k < rule.to; k++) {
    const t = tokens[k];
    if (t.text === ":" && !t.quoted && !t.parenthetical) return k >= hitTo && k + 1 < rule.to ? k : null;
    if (/^[.;!?]$/.test(t.text) || (k > rule.from && t.newlineBefore)) return null;
    if (/[\p{L}\p{N}]/u.test(t.text) && ++words > LEAD_WORDS) return null;
    // An imperative ("Reply", "answer") makes the lead an order of its own; "Asks for", "Questions asking", "Clauses
    // that cite" name a case.
    if (isOrder(t) && !t.descriptive && t.lower === t.lemma.toLowerCase()) return null;
  }
  return null;
}

/** An outcome (`words`) with an order of its own and no label of the exercise anywhere in its rule, quoted, or null. */
function handledWithoutLabel(
  reading: Reading,
  rule: Rule,
  words: Token[],
  named: (words: Token[]) => boolean,
  sameLabel: ReadonlySet<number>,
): { line: number; quote: string } | null {
  const { tokens } = reading;
  if (words.length === 0) return null;
  if (named(tokens.slice(rule.from, rule.to).filter((t) => !restricted(tokens, t)))) return null;
  const next = reading.rules[rule.index + 1];
  if (tokens[rule.to - 1]?.text === ":" && next && named(tokens.slice(next.from, next.to))) return null;
  if (words.some((w) => sameLabel.has(w.index))) return null;
  const orders = words.filter(isOrder);
  if (orders.length > 0 && !orders.some((o) => defined(reading, o, named)))
    return { line: rule.line, quote: quoteRule(reading, rule) };
  return null;
}

/**
 * The first rule that gives one of the cases an order of its own and no label, quoted with its line, or null.
 * `labels` are all the exercise's labels; `sameLabel` the token indexes where any requirement names a case of the same
 * label.
 */
export function otherHandling(
  reading: Reading,
  cases: LabelCases,
  hits: RequirementHits,
  labels: readonly string[],
  sameLabel: ReadonlySet<number>,
  breaks: (rule: number) => boolean,
  /** The reply is a selection from the input: leaving one item out is the selection (see above). */
  selects = false,
): { line: number; quote: string } | null {
  const { tokens, clauses } = reading;
  const said = labels.map(norm);
  // "ESCALATE" in "flag it for escalation": a label's stem counts as the label.
  const stems = labels.filter((l) => l.length >= 6 && !/[_\s-]/.test(l)).map((l) => l.toLowerCase().slice(0, 6));
  const named = (words: Token[]) => {
    const text = ` ${norm(words.map((w) => w.text).join(" "))} `;
    return said.some((l) => text.includes(` ${l} `)) || words.some((w) => stems.some((s) => w.lower.startsWith(s)));
  };
  const conditions = new Set<number>();
  /** Rules whose lead before a colon names a case: "Requests for someone else's details: politely decline". */
  const leads = new Map<number, number>();
  for (const g of cases.groups)
    for (const h of hits.groups[g] ?? []) {
      if (!h.asWritten || h.regex) continue;
      if (clauses[h.clause]?.condition) conditions.add(h.clause);
      else if (!leads.has(h.rule)) {
        const colon = caseLead(reading, h.rule, h.to);
        if (colon !== null) leads.set(h.rule, colon);
      }
    }
  for (const [r, colon] of leads) {
    if (!breaks(r)) continue;
    const rule = reading.rules[r];
    let to = colon + 1;
    while (to < rule.to && tokens[to].text !== ";") to++;
    const handled = handledWithoutLabel(reading, rule, tokens.slice(colon + 1, to), named, sameLabel);
    if (handled) return handled;
  }
  for (const c of conditions) {
    const clause = clauses[c];
    if (!breaks(clause.rule)) continue;
    const rule = reading.rules[clause.rule];
    let span: [number, number];
    // "If ..., X": the outcome after the condition's own comma, or the clauses after it up to the next condition.
    const comma = tokens.slice(clause.from + 2, clause.to).findIndex((t) => t.text === ",");
    if (comma >= 0) span = [clause.from + 2 + comma + 1, clause.to];
    else if (clause.partner !== null && clause.partner < c)
      span = [clauses[clause.partner].from, clauses[clause.partner].to];
    else {
      let to = clause.to;
      while (to < rule.to && tokens[to].text !== ";" && !clauses[tokens[to].clause]?.condition) to++;
      span = [clause.to, to];
    }
    if (comma >= 0) {
      let to = span[1];
      while (to < rule.to && tokens[to].text !== ";" && !clauses[tokens[to].clause]?.condition) to++;
      span = [span[0], to];
    }
    const words = tokens.slice(span[0], span[1]);
    if (words.length === 0) continue;
    // The label anywhere in the rule but the condition ("ACCOUNT_SPECIFIC: output exactly this, if ...") sends it there.
    // ...unless the label is kept for another case there: "...; output NONE only for an empty message".
    const rest = tokens.slice(rule.from, rule.to).filter((t) => t.clause !== c && !restricted(tokens, t));
    if (named(rest)) continue;
    // "..., the whole reply is:" then "ACCOUNT_SPECIFIC" on its own line: a rule that ends in a colon is completed by
    // the line after it, a template's value.
    const next = reading.rules[rule.index + 1];
    if (tokens[rule.to - 1]?.text === ":" && next && named(tokens.slice(next.from, next.to))) continue;
    if (words.some((w) => sameLabel.has(w.index))) continue;
    const orders = words.filter(isOrder);
    if (selects && orders.length > 0 && leavesOutOne(orders, tokens) && ofOne(tokens.slice(clause.from, clause.to)))
      continue;
    if (orders.length > 0 && !orders.some((o) => defined(reading, o, named)))
      return { line: rule.line, quote: quoteRule(reading, rule) };
  }
  return null;
}

/**
 * A case the exercise sends to one of its labels, bound to another of its labels instead: the description binds the
 * cases to a label ("SKIP for an empty review, spam, or text that is not a review"), the prompt writes one of those
 * cases, then a binding ("is", "count as", "=", "→", ":", "gets", "labelled"), then another of the exercise's labels:
 *
 *     SKIP only for an empty review (spam and non-review text count as NEG)
 *     Spam or text that is not a review counts as negative: NEG with topic other.
 *
 * The case may be joined to others before the binding ("spam and non-review text"), over a relative clause that
 * describes it ("text that is not a review counts as NEG"), and the label may come a few
 * words after it ("counts as negative: NEG"), within its clause (up to a comma or a full stop). The first label
 * reached decides: "spam → SKIP, a broken lid → NEG" agrees with the brief. A case refused ("not spam"), a binding
 * denied ("spam is never NEG") or a quoted case binds nothing.
 */
const BINDINGS = new Set([
  "is",
  "are",
  "'s",
  "be",
  "count",
  "counts",
  "counted",
  "get",
  "gets",
  "becomes",
  "become",
  "means",
  "mean",
  "labelled",
  "labeled",
  "marked",
  "coded",
  "tagged",
  "as",
  "=",
  "→",
  "->",
  "=>",
  ":",
]);
const DENIALS = new Set(["not", "never", "no", "n't", "nor", "except", "unless", "but", "instead"]);
const STOPS = /^[,.;!?()]$/;
const NOT_A_CASE = new Set(["otherwise", "else", "<", ">"]);
/**
 * Words that open a clause of their own after the case: "unsure whether it is HIGH or LOW" asks a question about the
 * case, it binds nothing.
 */
const OPENS_CLAUSE = new Set(["whether", "if", "when", "because", "since", "though", "although", "while"]);
/** Words a case may be joined to others over before its binding ("spam and non-review text count as"). */
const CASE_GAP = 6;
/** Words a label may be reached over after the binding ("counts as negative: NEG"). */
const LABEL_GAP = 4;

/** The first rule that binds one of the cases to another label of the exercise, quoted with its line, or null. */
export function otherLabelBound(
  reading: Reading,
  cases: LabelCases,
  hits: RequirementHits,
  labels: readonly string[],
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  const { tokens } = reading;
  const closed = new Set(labels.filter((l) => LABEL.test(l)));
  if (closed.size < 2 || !closed.has(cases.label)) return null;
  const labelAt = (t: Token) => /^[\p{L}\p{N}_-]+/u.exec(reading.text.slice(t.start))?.[0] ?? "";
  for (const g of cases.groups)
    for (const h of hits.groups[g] ?? []) {
      if (!h.asWritten || h.regex || h.exception || !breaks(h.rule)) continue;
      const first = tokens[h.from];
      if (first.quoted || first.negated) continue;
      // "Otherwise it is HIGH", "anything else: LOW": a case that means whatever the rules before it left, and a
      // template's slot ("line <n>: TODO: ..."), are not the brief's case.
      if (tokens.slice(h.from, h.to).some((t) => NOT_A_CASE.has(t.lower))) continue;
      const rule = reading.rules[h.rule];
      // The binding after the case, over words that join other cases to it.
      let marker = -1;
      // "Label spam or text that isn't a review NEG": after a verb of labelling, the label itself binds the case.
      const labelled = labellingVerbBefore(tokens, h.from, rule.from);
      for (let k = h.to, seen = 0; k < rule.to && seen < CASE_GAP; k++) {
        const t = tokens[k];
        // (A label in capitals ends the description the reader ran on into it: "text that isn't a review NEG".)
        if (labelled && closed.has(labelAt(t)) && !t.newlineBefore && !t.quoted && !(t.negated && !t.descriptive)) {
          if (labelAt(t) !== cases.label && !choiceAt(tokens, k, rule.to, closed, labelAt))
            return { line: rule.line, quote: quoteRule(reading, rule) };
          break;
        }
        // "text that is not a review counts as": a relative clause describes the case, it binds nothing.
        if (t.descriptive && !first.descriptive) continue;
        seen++;
        if (STOPS.test(t.text) || t.newlineBefore || DENIALS.has(t.lower) || closed.has(labelAt(t))) break;
        if (OPENS_CLAUSE.has(t.lower)) break;
        if (BINDINGS.has(t.lower) && !t.quoted) {
          marker = k;
          break;
        }
      }
      if (marker < 0) {
        if (coveredBy(tokens, h.from, rule.from, first.descriptive, closed, labelAt, cases.label))
          return { line: rule.line, quote: quoteRule(reading, rule) };
        continue;
      }
      for (let k = marker + 1; k < rule.to && k <= marker + LABEL_GAP; k++) {
        const t = tokens[k];
        if (STOPS.test(t.text) || t.newlineBefore || DENIALS.has(t.lower)) break;
        const word = labelAt(t);
        if (!closed.has(word)) continue;
        // "it is HIGH or LOW": a choice between labels binds the case to neither.
        const choice = choiceAt(tokens, k, rule.to, closed, labelAt);
        if (word !== cases.label && !t.negated && !t.quoted && !choice)
          return { line: rule.line, quote: quoteRule(reading, rule) };
        break;
      }
    }
  return null;
}

/** "HIGH or LOW", "POS/NEG": the label at `k` is one of a choice between labels. */
function choiceAt(
  tokens: readonly Token[],
  k: number,
  to: number,
  closed: ReadonlySet<string>,
  labelAt: (t: Token) => string,
): boolean {
  const after = tokens[k + 1];
  return !!after && (after.lower === "or" || after.text === "/") && k + 2 < to && closed.has(labelAt(tokens[k + 2]));
}

/** Verbs that name a label for their object: "label spam NEG", "mark them SKIP". */
const LABELLING = new Set(["label", "mark", "tag", "code", "classify", "call", "rate", "flag"]);

/**
 * "Label spam ... NEG", "Mark any empty review and spam SKIP": the case is the object of an affirmed verb of labelling,
 * right before it or over a determiner.
 */
function labellingVerbBefore(tokens: readonly Token[], from: number, ruleFrom: number): boolean {
  let k = from - 1;
  if (k >= ruleFrom && (tokens[k].pos === "DET" || tokens[k].lower === "any" || tokens[k].lower === "all")) k--;
  const v = tokens[k];
  return k >= ruleFrom && !v.negated && !v.quoted && LABELLING.has(v.lemma.toLowerCase());
}

/** Verbs by which a label takes in the cases after it: "SAFETY covers ...", "NEG includes ...", "SKIP: ...". */
const TAKES_IN = new Set(["covers", "cover", "includes", "include", "means", "for", ":", "=", "→", "->"]);
/** Words that end the reach of a label over the words after it: a condition, a concession, a denial. */
const REACH_ENDS = new Set([
  ...DENIALS,
  "if",
  "when",
  "whenever",
  "unless",
  "even",
  "though",
  "although",
  "regardless",
  "whether",
  "while",
  "whereas",
  "despite",
]);
/** Words a label's reach runs over back to it. */
const REACH = 25;

/**
 * The other way round: another label, then a verb that takes cases in, then the case within its sentence: "SAFETY
 * covers any injury or hazard (fire, smoke) and also complaints about quality, delivery or price". The label nearest
 * before the case decides ("POS or NEG for reviews, SKIP for spam"); a condition, a concession or a denial on the way
 * back ("SAFETY for a hazard even if the review is about price", "SAFETY covers injuries, not price") ends its reach.
 */
function coveredBy(
  tokens: readonly Token[],
  from: number,
  ruleFrom: number,
  descriptive: boolean,
  closed: ReadonlySet<string>,
  labelAt: (t: Token) => string,
  own: string,
): boolean {
  for (let k = from - 1, seen = 0; k >= ruleFrom && seen < REACH; k--) {
    const t = tokens[k];
    if (tokens[k + 1].newlineBefore) return false;
    // Asides in parentheses are read over: "hazard (fire, smoke) and also complaints".
    if (t.parenthetical && !descriptive) continue;
    seen++;
    if (/^[.;!?]$/.test(t.text) || REACH_ENDS.has(t.lower)) return false;
    const word = labelAt(t);
    if (!closed.has(word)) continue;
    if (word === own || t.negated || t.quoted) return false;
    const next = tokens[k + 1]?.lower === "also" || tokens[k + 1]?.lower === "is" ? tokens[k + 2] : tokens[k + 1];
    return next !== undefined && next.index < from && TAKES_IN.has(next.lower);
  }
  return false;
}
