import type { Requirement } from "../exercise";
import { concededCondition } from "./concession";
import { hypotheticalHit } from "./hypothetical";
import { optionPointers } from "./option-pointer";
import { findPhrase, type PhraseHit, type PhraseIndex } from "./phrases";
import { quoteRule, type Reading } from "./reading";
import { inWritersAct } from "./writers-act";

/** A condition opened by "if", "when" or "where": it tells a case; "unless" and "except" carve one out. */
function tellsCase(reading: Reading, clause: number): boolean {
  const c = reading.clauses[clause];
  if (!c?.condition) return false;
  const first = reading.tokens.slice(c.from, c.to).find((t) => WORD_CHAR.test(t.text));
  // ("except if", "except when": a carve-out still.)
  const before = reading.tokens[c.from - 1]?.lower;
  return (
    first !== undefined &&
    ["if", "when", "whenever", "where"].includes(first.lower) &&
    before !== "except" &&
    before !== "unless" &&
    !first.exception
  );
}

/** A letter or a digit: a token holding one is a word. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Whether the prompt instructs each requirement, leaves it out, or contradicts it.
 *
 * - Covered: every `all_of` group is found as written (affirmed, or negated for a phrase such as
 *   "don't guess") in a rule that instructs; with `together`, all groups in one rule (a list item
 *   counts with its heading).
 * - Contradicted, whatever else the prompt says:
 *   - a rule holds every group, and some group only the other way round ("Never ESCALATE on
 *     cancel", "Add ESCALATE unless they threaten to sue", "Do not summarise");
 *   - a clause with its condition affirms everything a `broken_by` entry names ("If unsure,
 *     answer OK" where unsure must be SAFETY; "explain your choice" in a label-only task).
 * - Missing otherwise. The reason names the requirement in the brief's terms, never the phrases
 *   the judge looks for.
 */

export type RequirementStatus = "covered" | "missing" | "contradicted";

export interface RequirementCoverage {
  id: string;
  level: "must" | "should";
  description: string;
  weight: number;
  status: RequirementStatus;
  covered: boolean;
  reason: string;
  /** The contradicting rule, quoted, and its line. */
  contradiction: { line: number; quote: string } | null;
  /** Rules (indexes) whose words the requirement was found in, for the keyword-list test. */
  rules: number[];
  /** Every hit of the requirement's phrases (any rule, any polarity). */
  hits: PhraseHit[];
}

/**
 * A list reads as one rule with its heading: "Add ESCALATE if the customer:" + "- threatens to
 * cancel" + "- mentions a chargeback".
 */
function scopeOf(reading: Reading, rule: number, neighbours = true): number[] {
  const r = reading.rules[rule];
  const heading = r.heading ?? (r.kind === "heading" ? r.index : null);
  if (heading !== null) return [heading, ...itemsUnder(reading.rules, heading)];
  // A rule may run over into the next sentence of its paragraph: "Never give investment, legal or
  // tax advice. Refer such questions to an advisor."
  const scope = [rule];
  if (!neighbours) return scope;
  const next = reading.rules[rule + 1];
  if (next && next.segment === r.segment) scope.push(rule + 1);
  const prev = reading.rules[rule - 1];
  if (prev && prev.segment === r.segment) scope.push(rule - 1);
  // A short question or label and its answer read as one rule: "Doesn't fit? other."
  if (rule > 0 && leadsOn(reading, rule - 1)) scope.push(rule - 1);
  if (rule + 1 < reading.rules.length && leadsOn(reading, rule)) scope.push(rule + 1);
  return scope;
}

/**
 * The rules under each heading, in order: read once per reading, since every rule with hits asks for its heading's
 * (a 4,000-token prompt has hundreds of rules).
 */
const itemsByHeading = new WeakMap<Reading["rules"], Map<number, number[]>>();

function itemsUnder(rules: Reading["rules"], heading: number): number[] {
  let byHeading = itemsByHeading.get(rules);
  if (!byHeading) {
    byHeading = new Map();
    for (const x of rules) {
      if (x.heading === null) continue;
      const items = byHeading.get(x.heading);
      if (items) items.push(x.index);
      else byHeading.set(x.heading, [x.index]);
    }
    itemsByHeading.set(rules, byHeading);
  }
  return byHeading.get(heading) ?? [];
}

/**
 * A clause with its condition or outcome; a verbless fragment ("like smoke or overheating,") reads
 * on into the clause that completes it ("are OK").
 */
function clauseScope(reading: Reading, c: number): number[] {
  const clause = reading.clauses[c];
  const scope = clause.partner === null ? [c] : [c, clause.partner];
  // "bug: ..., login or 2FA failures", "SAFETY = injury (...), and also anything broken": a label
  // governs everything after it up to the next label.
  for (let k = c - 1; k >= 0 && reading.clauses[k].rule === clause.rule; k--) {
    const label = labelOf(reading, k);
    if (label === "none") continue;
    // "choking risks and allergic reactions are usage issues, not product hazards → OK": an arrow right before the
    // clause leads its case there, however long the case is (a long clause ending in ":" may be a lead-in).
    if (label === "short" || (k === c - 1 && ARROWS.has(reading.tokens[reading.clauses[k].to - 1].text))) scope.push(k);
    break;
  }
  // "For SKIP lines, choose the closest topic": a fronted phrase scopes the order after it like a condition.
  if (c > 0 && frontedPhrase(reading, c - 1) && reading.clauses[c - 1].rule === clause.rule) scope.push(c - 1);
  let k = c;
  while (
    k + 1 < reading.clauses.length &&
    reading.clauses[k + 1].rule === clause.rule &&
    !hasVerb(reading, k) &&
    reading.tokens[reading.clauses[k].to - 1].text === "," &&
    opensWithVerb(reading, k + 1)
  ) {
    k++;
    scope.push(k);
  }
  return scope;
}

const ARROWS = new Set(["->", "=>", "→"]);
const LABEL_ENDS = new Set(["=", ":", ...ARROWS]);

/** Whether a clause ends in "=", ":" or an arrow, the label of what follows ("SAFETY =", "OK:"), and is short. */
function labelOf(reading: Reading, c: number): "none" | "short" | "long" {
  const clause = reading.clauses[c];
  const last = reading.tokens[clause.to - 1];
  if (last === undefined || !LABEL_ENDS.has(last.text)) return "none";
  const words = reading.tokens.slice(clause.from, clause.to).filter((t) => WORD_CHAR.test(t.text)).length;
  return words <= 6 ? "short" : "long";
}

const FRONTING = new Set(["for", "on", "in", "with", "about", "regarding", "as", "to"]);

/** "For SKIP lines,", "On spam,", "As for empty reviews,": a short verbless phrase that opens a rule, then a comma. */
function frontedPhrase(reading: Reading, c: number): boolean {
  const clause = reading.clauses[c];
  const first = reading.tokens[clause.from];
  if (first === undefined || !FRONTING.has(first.lower) || reading.tokens[clause.to - 1]?.text !== ",") return false;
  if (clause.to - clause.from > 7) return false;
  // (A label in capitals is no verb, "SKIP" though it is tagged one; nor a participle: "For reviews marked SKIP,".)
  for (let i = clause.from; i < clause.to; i++) {
    const t = reading.tokens[i];
    if (t.pos === "AUX" || (t.pos === "VERB" && t.text !== t.text.toUpperCase() && !/(?:ing|ed)$/.test(t.lower)))
      return false;
  }
  return true;
}

function opensWithVerb(reading: Reading, c: number): boolean {
  const t = reading.tokens[reading.clauses[c].from];
  return t !== undefined && (t.pos === "AUX" || t.pos === "VERB");
}

function hasVerb(reading: Reading, c: number): boolean {
  const clause = reading.clauses[c];
  for (let i = clause.from; i < clause.to; i++) {
    const t = reading.tokens[i];
    if (t.pos === "AUX" || (t.pos === "VERB" && !t.lower.endsWith("ing"))) return true;
  }
  return false;
}

/**
 * An item that opens with a label of its own ("- OK: no such risk; price alone is OK") defines that label: with its
 * heading it is the whole rule, and its sibling items, which define the other labels, are not part of it.
 */
function labelledItem(reading: Reading, rule: number): number[] | null {
  const r = reading.rules[rule];
  if (r.heading === null || r.kind === "heading") return null;
  const first = reading.tokens[r.from]?.clause;
  if (first === undefined || first < 0) return null;
  // "- SAFETY:": the list marker may stand alone as the first clause.
  const words = (c: number) =>
    reading.tokens.slice(reading.clauses[c].from, reading.clauses[c].to).filter((t) => WORD_CHAR.test(t.text));
  const label = words(first).length === 0 && reading.clauses[first + 1]?.rule === rule ? first + 1 : first;
  return labelOf(reading, label) === "short" ? [r.heading, rule] : null;
}

function leadsOn(reading: Reading, rule: number): boolean {
  const r = reading.rules[rule];
  const last = reading.tokens[r.to - 1]?.text;
  if ((last === "?" || last === ":") && r.to - r.from <= 10) return true;
  // "If it needs their own account data ..., the whole reply is:" then "ACCOUNT_SPECIFIC" alone on the next line: a
  // rule of any length that ends in a colon is completed by the one value shown after it.
  const next = reading.rules[rule + 1];
  return (
    last === ":" && next !== undefined && /^[A-Z][A-Z0-9_]+$/.test(reading.text.slice(next.start, next.end).trim())
  );
}

/**
 * The rules a `together` requirement may be read across from a rule with hits: its scope (scopeOf); a phrase that runs
 * on into the next sentences ("Not documented. Ask in #data-help.", a fixed reply of two sentences) reads on with the
 * scope of its last sentence ("... (only when no chunk answers)"); a reply shown as an option reads with the rules that
 * point at it ("B) Not in the excerpts." and "Use B only if no excerpt answers", option-pointer.ts).
 */
function togetherScope(reading: Reading, rule: number, byRule: HitsByRule): number[] {
  const scope = new Set(scopeOf(reading, rule));
  let last = rule;
  for (const hits of byRule.get(rule) ?? []) for (const h of hits) last = Math.max(last, reading.tokens[h.to - 1].rule);
  for (let r = rule + 1; r <= last; r++) for (const x of scopeOf(reading, r)) scope.add(x);
  const pointers = optionPointers(reading);
  for (let r = rule; r <= last; r++) for (const x of pointers.get(r) ?? []) scope.add(x);
  return [...scope];
}

function groupHits(index: PhraseIndex, group: readonly string[], strict = false): PhraseHit[] {
  return group.flatMap((phrase) => findPhrase(index, phrase, 40, strict));
}

interface GroupsInScope {
  all: boolean;
  affirmed: boolean[];
  opposite: boolean[];
}

/** Each group's hits, by the rule they stand in (in their order): a long prompt's rules each look up their own. */
type HitsByRule = Map<number, PhraseHit[][]>;

function hitsByRule(groups: PhraseHit[][]): HitsByRule {
  const byRule: HitsByRule = new Map();
  groups.forEach((hits, g) => {
    for (const h of hits) {
      let inRule = byRule.get(h.rule);
      if (!inRule) {
        inRule = groups.map(() => []);
        byRule.set(h.rule, inRule);
      }
      inRule[g].push(h);
    }
  });
  return byRule;
}

function inScope(groups: PhraseHit[][], byRule: HitsByRule, scope: number[]): GroupsInScope {
  const some = (g: number, test: (h: PhraseHit) => boolean) =>
    scope.some((rule) => byRule.get(rule)?.[g].some(test) === true);
  const affirmed = groups.map((_, g) => some(g, (h) => h.asWritten));
  // A negation in a description ("anything that does not fit one of the above") reverses nothing.
  const opposite = groups.map((_, g) => some(g, (h) => !h.asWritten && !h.descriptive));
  return { all: groups.every((_, g) => affirmed[g] || opposite[g]), affirmed, opposite };
}

/** Every hit of a requirement's phrases, found once and judged against several readings of the rules. */
export interface RequirementHits {
  groups: PhraseHit[][];
  breakers: PhraseHit[][][];
}

export function findRequirement(index: PhraseIndex, req: Requirement): RequirementHits {
  // A topic is found in any polarity: its hits all count as written. But a phrase that holds its own negation ("not
  // given") names nothing where its words stand without it: "Give a one-word rating" is no document not given.
  const topics = (req.topic ?? []).map((group) =>
    groupHits(index, group)
      .filter((h) => h.asWritten || !h.negativePhrase)
      .map((h) => ({ ...h, asWritten: true })),
  );
  return {
    groups: [...topics, ...req.all_of.map((group) => groupHits(index, group))],
    // What breaks a requirement is matched strictly (no typo tolerance): "analyst" is not "analyse".
    breakers: req.broken_by.map((entry) =>
      (Array.isArray(entry) ? [entry] : entry.all_of).map((g) => groupHits(index, g, true)),
    ),
  };
}

function contradictionReason(c: { line: number; quote: string }): string {
  return `Line ${c.line} says "${c.quote}", which goes against it.`;
}

/** The requirement contradicted by a rule another reading found (comparison-direction.ts). */
export function contradict(
  r: RequirementCoverage,
  c: { line: number; quote: string },
  reason = contradictionReason(c),
): RequirementCoverage {
  return { ...r, status: "contradicted", covered: false, contradiction: c, reason };
}

/**
 * The requirements `picked` names, contradicted by one finding of the prompt (a line quoted, the reason in the brief's
 * terms); those already contradicted keep their own reason.
 */
export function contradictAll(
  coverage: RequirementCoverage[],
  picked: (id: string) => boolean,
  c: { line: number; quote: string },
  reason: string,
): RequirementCoverage[] {
  return coverage.map((r) => (picked(r.id) && r.status !== "contradicted" ? contradict(r, c, reason) : r));
}

/** Whether a hit shares a word with any of the others: one stretch of words says one thing. */
function overlapsAny(hit: PhraseHit, others: readonly PhraseHit[]): boolean {
  return others.some((o) => hit.from < o.to && o.from < hit.to);
}

export function assessRequirement(
  reading: Reading,
  req: Requirement,
  found: RequirementHits,
  instructs: (rule: number) => boolean,
  /** Rules that may break a requirement: orders, not background (background.ts), which may still cover one. */
  breaks: (rule: number) => boolean = instructs,
): RequirementCoverage {
  // A negative phrase found affirmed ("don't add" in "add a last line") neither covers nor contradicts.
  const groups = found.groups.map((hits) =>
    hits.filter((h) => instructs(h.rule) && (h.asWritten || !h.negativePhrase)),
  );
  const hits = found.groups.flat();
  const byRule = hitsByRule(groups);
  const rulesWithHits = [...byRule.keys()].sort((a, b) => a - b);

  // Contradiction 1: a rule that holds the whole requirement, some of it negated.
  let contradiction: { line: number; quote: string } | null = null;
  for (const rule of req.names_only ? [] : rulesWithHits) {
    // Strictly the rule (a list with its heading): a neighbouring sentence may say the other half.
    const scope = labelledItem(reading, rule) ?? scopeOf(reading, rule, false);
    const s = inScope(groups, byRule, scope);
    const own = byRule.get(rule) ?? groups.map(() => []);
    // Only the rule's own words may be the negated part; the heading only completes the scope.
    // A negation inside a condition tells the case ("if there are no breaches at all, write APPROVE"); it forbids
    // nothing, as a negated hit in a description does not ("unless ..." still reverses: an exception).
    const reverses = (h: PhraseHit) => !h.asWritten && !h.descriptive && !tellsCase(reading, h.clause);
    const negatedHere = own.some((hits, g) => !s.affirmed[g] && hits.some(reverses));
    // ...or that forbids the requirement's core (its first group) along with part of the rest:
    // "Never ESCALATE on cancel".
    const core = own[0].filter((h) => !h.descriptive && (h.asWritten || reverses(h)));
    const coreReversed =
      core.length > 0 &&
      core.every((h) => !h.asWritten) &&
      (own.length === 1 || own.slice(1).some((hits) => hits.some((h) => !overlapsAny(h, core))));
    if (((s.all && negatedHere) || coreReversed) && breaks(rule)) {
      contradiction = { line: reading.rules[rule].line, quote: quoteRule(reading, reading.rules[rule]) };
      break;
    }
  }
  // Contradiction 1b: one clause forbids the requirement's core and more of it, whatever the rest of its rule
  // says: "Avoid opening with the product name; ... then name the product" reverses "open with the name".
  if (!contradiction && !req.names_only) {
    const start = req.topic?.length ?? 0;
    const byClause = new Map<number, PhraseHit[][]>();
    groups.slice(start).forEach((hits, g) => {
      for (const h of hits) {
        if (h.descriptive || h.regex) continue;
        const list = byClause.get(h.clause) ?? groups.slice(start).map(() => []);
        list[g].push(h);
        byClause.set(h.clause, list);
      }
    });
    for (const [c, inClause] of byClause) {
      // A condition describes a situation ("if it's not in the data"); it forbids nothing.
      if (reading.clauses[c].condition || !breaks(reading.clauses[c].rule)) continue;
      // One stretch of words is one thing said: "not safety issues" negates SAFETY's name, not also the hazards that
      // define it. The other groups count only with words of their own.
      const core = inClause[0];
      const own = inClause.map((hits, g) => (g === 0 ? hits : hits.filter((h) => !overlapsAny(h, core))));
      const present = own.filter((hits) => hits.length > 0);
      if (inClause[0].length === 0 || present.length < 2) continue;
      if (present.every((hits) => hits.every((h) => !h.asWritten))) {
        const rule = reading.rules[reading.clauses[c].rule];
        contradiction = { line: rule.line, quote: quoteRule(reading, rule) };
        break;
      }
    }
  }
  // Contradiction 2: a broken_by entry affirmed in one clause (with its condition, if any).
  if (!contradiction) {
    for (const entry of found.breakers) {
      // A carve-out asks for what breaks the rule as surely as an order does: "to the original card
      // unless the customer asks for a different card".
      // An example in parentheses ("no hype (e.g. "premium")") shows what is meant; it asks for nothing.
      // A reason given for a rule ("because new values break our charts") asks for nothing either.
      const entryGroups = entry.map((hits) =>
        hits.filter(
          (h) =>
            (h.exception || (h.asWritten && !h.parenthetical)) &&
            breaks(h.rule) &&
            !reading.clauses[h.clause].reason &&
            // "even if the brief asks for more" concedes; it licenses nothing (concession.ts).
            !concededCondition(reading, h) &&
            // "I will explain the format in detail": the writer's own telling, not the reply's (writers-act.ts).
            !inWritersAct(reading, h) &&
            // "if answering would reveal another person's details": a case described, not an order (hypothetical.ts).
            !hypotheticalHit(reading, h),
        ),
      );
      const clauses = new Set(entryGroups.flat().map((h) => h.clause));
      for (const c of clauses) {
        const clause = reading.clauses[c];
        const scope = clauseScope(reading, c);
        // What the situation describes ("If the customer asks for advice about investments") is not
        // what the prompt asks for: some of the breaking words must sit outside the condition.
        const inScopeHits = entryGroups.map((hits) => hits.filter((h) => scope.includes(h.clause)));
        // A pattern the author wrote spans the clauses it names ("over $75, if no receipt").
        const ordered = inScopeHits.some((hits) =>
          hits.some((h) => h.exception || h.regex || !reading.clauses[h.clause].condition),
        );
        if (inScopeHits.every((hits) => hits.length > 0) && ordered) {
          const rule = reading.rules[clause.rule];
          contradiction = { line: rule.line, quote: quoteRule(reading, rule) };
          break;
        }
      }
      if (contradiction) break;
    }
  }

  let covered: boolean;
  if (req.together) {
    covered = rulesWithHits.some((rule) =>
      inScope(groups, byRule, togetherScope(reading, rule, byRule)).affirmed.every(Boolean),
    );
  } else covered = groups.every((hits) => hits.some((h) => h.asWritten));
  const foundIn = [
    ...new Set(
      groups
        .flat()
        .filter((h) => h.asWritten)
        .map((h) => h.rule),
    ),
  ];

  const status: RequirementStatus = contradiction ? "contradicted" : covered ? "covered" : "missing";
  const reason =
    status === "contradicted" && contradiction
      ? contradictionReason(contradiction)
      : status === "covered"
        ? `Instructed on line${foundIn.length === 1 ? "" : "s"} ${foundIn
            .map((r) => reading.rules[r].line)
            .filter((l, i, a) => a.indexOf(l) === i)
            .join(", ")}.`
        : "Not instructed anywhere in the prompt.";
  return {
    id: req.id,
    level: req.level,
    description: req.description,
    weight: req.weight,
    status,
    covered: status === "covered",
    reason,
    contradiction,
    rules: foundIn,
    hits,
  };
}
