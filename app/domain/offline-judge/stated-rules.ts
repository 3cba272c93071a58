import { type ComparisonSlot, comparisonSlots, reversedComparison } from "./comparison-direction";
import { droppedMember, type MemberList, memberList } from "./condition-members";
import { type DefaultSlot, defaultSlot, invertedDefault } from "./default-values";
import { type Exemption, exemption, revokedExemption } from "./exemptions";
import type { Reading } from "./reading";

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
  };
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
  const turned = stated.fallback && invertedDefault(reading, stated.fallback, breaks);
  if (turned) return turned;
  const revoked = stated.exemption && revokedExemption(reading, stated.exemption, breaks);
  if (revoked) return revoked;
  const narrowed = covered && stated.members ? droppedMember(reading, stated.members, narrows) : null;
  if (narrowed)
    return {
      ...narrowed,
      reason: `Line ${narrowed.line} says "${narrowed.quote}", which leaves out one of the cases the rule covers.`,
    };
  return null;
}
