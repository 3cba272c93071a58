import { type BannedSource, bannedSource, orderedSource } from "./banned-source";
import { type Banned, bannedContent, carvedProhibition } from "./carved-prohibition";
import { type ComparisonSlot, comparisonSlots, reversedComparison } from "./comparison-direction";
import { droppedMember, type MemberList, memberList } from "./condition-members";
import { type DefaultSlot, defaultSlot, invertedDefault } from "./default-values";
import { type Exemption, exemption, exemptionElsewhere, revokedExemption, swappedExemption } from "./exemptions";
import { changedFallback, type FallbackSlot, fallbackSlot } from "./fallback-value";
import { guessedFallback } from "./guessed-fallback";
import { declaresClosedList, inventedMember } from "./invented-member";
import { type LackingCondition, lackingCondition, widenedLack } from "./lacking-condition";
import type { Reading } from "./reading";
import { type SideSlot, sideSlot, swappedSide } from "./side-values";
import { type BoundSlot, boundSlots, changedBound } from "./turned-bound";
import { type OnlyWhen, onlyWhen, widenedOnly } from "./widened-only";

/**
 * A requirement's rule as its description states it, in the brief's terms: the side of a figure and what it leads
 * to, a value for some cases and the default for the rest, an exemption, the cases of a condition. Read once per
 * exercise; each reading then finds a prompt that says the rule differently: a comparison turned round ("EUR 25,000
 * or less -> CFO approval"), a default swapped with its exception ("high unless it can wait"), an exemption taken
 * back ("test files included"), a case left out of the rule's list ("a restart or rollback in prod"). The phrase
 * lists say whether a rule is there; these say whether it is the brief's.
 */

export interface StatedRule {
  comparisons: ComparisonSlot[];
  fallback: DefaultSlot | null;
  exemption: Exemption | null;
  members: MemberList | null;
  /** Content forbidden outright: "Never comment on formatting", "(free delivery, gifts)". */
  banned: Banned | null;
  /** A case limited by what it lacks: "a TODO without a ticket id". */
  lack: LackingCondition | null;
  /** The value of the empty case: "other when nothing fits", "null" for what the input does not state. */
  empty: FallbackSlot | null;
  /** The reply picks from a closed list (one requirement per exercise says so: invented-member.ts). */
  closed: boolean;
  /** What the rule limits with "only when": "Mention the promotion only when the last purchase was bedding". */
  only: OnlyWhen | null;
  /** A source the reply must never draw on: "Uses only the chunks, never general knowledge". */
  source: BannedSource | null;
  /** A named case's value and everyone else's: "included on Unlimited plans; other plans £2.25 a day". */
  sides: SideSlot | null;
  /** A limit and its side: "Fuel surcharge at most 6% of the freight charge". */
  bounds: BoundSlot[];
}

export interface StatedRuleBreach {
  line: number;
  quote: string;
  /** Set when the breach is best said otherwise than "goes against it". */
  reason?: string;
}

export function readStatedRule(description: string): StatedRule {
  return {
    comparisons: comparisonSlots(description),
    fallback: defaultSlot(description),
    exemption: exemption(description),
    members: memberList(description),
    banned: bannedContent(description),
    lack: lackingCondition(description),
    empty: fallbackSlot(description),
    closed: false,
    sides: sideSlot(description),
    source: bannedSource(description),
    only: onlyWhen(description),
    bounds: boundSlots(description),
  };
}

/** General words for a closed list ("never a new value", "not in the list") before one key's "is one of". */
const GENERAL_CLOSED = /\b(?:new|not in the list|closed|listed)\b/i;

/**
 * Every requirement's stated rule. The closed list is one requirement's: the one that says so in general words, else
 * the first that lists one, so a coined member is reported once.
 */
export function readStatedRules(descriptions: readonly string[]): StatedRule[] {
  const rules = descriptions.map(readStatedRule);
  const closed = descriptions.map(declaresClosedList);
  const general = descriptions.findIndex((d, k) => closed[k] && GENERAL_CLOSED.test(d));
  const owner = general >= 0 ? general : closed.indexOf(true);
  if (owner >= 0) rules[owner].closed = true;
  for (const rule of rules) {
    const slot = rule.exemption;
    if (slot) rule.exemption = { ...slot, elsewhere: exemptionElsewhere(slot, descriptions) };
  }
  return rules;
}

/**
 * The first rule of the prompt that states the requirement otherwise than its description, or null. A case left out
 * only counts against a requirement the prompt covers: a rule it does not state at all is missing, not narrowed.
 */
export function breachOfStatedRule(
  reading: Reading,
  stated: StatedRule,
  breaks: (rule: number) => boolean,
  covered: boolean,
  /** Rules that may narrow a list of cases: orders (a worked example names only some cases). */
  narrows: (rule: number) => boolean = breaks,
): StatedRuleBreach | null {
  for (const slot of stated.comparisons) {
    const found = reversedComparison(reading, slot, breaks);
    if (found) return found;
  }
  for (const slot of stated.bounds) {
    const found = changedBound(reading, slot, breaks);
    const limit = `${slot.value}${slot.unit === "%" ? "%" : ` ${slot.unit}s`}`;
    if (found)
      return {
        line: found.line,
        quote: found.quote,
        reason:
          found.change === "turned"
            ? `Line ${found.line} says "${found.quote}", which sets the limit of ${limit} from the other side.`
            : `Line ${found.line} says "${found.quote}", which sets a looser limit than ${limit}.`,
      };
  }
  const turned = stated.fallback && invertedDefault(reading, stated.fallback, breaks);
  if (turned) return turned;
  const revoked = stated.exemption && revokedExemption(reading, stated.exemption, breaks);
  if (revoked) return revoked;
  const swappedScope = stated.exemption && swappedExemption(reading, stated.exemption, breaks);
  if (swappedScope)
    return {
      ...swappedScope,
      reason: `Line ${swappedScope.line} says "${swappedScope.quote}", which allows it where the rule holds and not where the brief exempts it.`,
    };
  const carved = stated.banned && carvedProhibition(reading, stated.banned, breaks);
  if (carved)
    return {
      ...carved,
      reason: `Line ${carved.line} says "${carved.quote}", which lets in what the rule forbids outright.`,
    };
  const widened = stated.lack && widenedLack(reading, stated.lack, breaks);
  if (widened)
    return {
      ...widened,
      reason: `Line ${widened.line} says "${widened.quote}", which also takes in cases that have ${stated.lack?.lacked.join(" ")}.`,
    };
  const emptied = stated.empty && changedFallback(reading, stated.empty, breaks);
  if (emptied)
    return {
      ...emptied,
      reason: `Line ${emptied.line} says "${emptied.quote}", which gives the empty case another value than ${stated.empty?.value}.`,
    };
  const everyCase = stated.only && widenedOnly(reading, stated.only, breaks);
  if (everyCase)
    return {
      ...everyCase,
      reason: `Line ${everyCase.line} says "${everyCase.quote}", which gives every case what the rule limits to some.`,
    };
  const drawn = stated.source && orderedSource(reading, stated.source, breaks);
  if (drawn)
    return {
      ...drawn,
      reason: `Line ${drawn.line} says "${drawn.quote}", which draws on a source the reply must never use.`,
    };
  const swapped = stated.sides && swappedSide(reading, stated.sides, breaks);
  if (swapped)
    return {
      ...swapped,
      reason: `Line ${swapped.line} says "${swapped.quote}", which gives ${stated.sides?.name} what the other cases get.`,
    };
  const guessed = stated.empty && guessedFallback(reading, stated.empty, breaks);
  if (guessed)
    return {
      ...guessed,
      reason: `Line ${guessed.line} says "${guessed.quote}", which answers the empty case with a guess instead of ${stated.empty?.value}.`,
    };
  const coined = stated.closed ? inventedMember(reading, breaks) : null;
  if (coined) return coined;
  const narrowed = covered && stated.members ? droppedMember(reading, stated.members, narrows) : null;
  if (narrowed)
    return {
      ...narrowed,
      reason: `Line ${narrowed.line} says "${narrowed.quote}", which leaves out one of the cases the rule covers.`,
    };
  return null;
}
