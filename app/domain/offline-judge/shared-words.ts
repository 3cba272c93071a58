import type { Requirement } from "../exercise";
import type { PhraseHit } from "./phrases";

/**
 * Words that say one rule say no other: in
 *
 *     Reply with a single JSON tool call and nothing else.
 *
 * "nothing else" completes the rule that the reply is the JSON call alone; it says nothing of which tools may be
 * called, though "nothing else" is also a way to say "these tools and no others". A requirement told by one phrase
 * (one group of phrases, no topic) is not covered by words of the rule that the reply is its value alone (the
 * requirements an extra part of the reply breaks, extra-reply-part.ts), where that rule is complete in the same
 * sentence with all its groups and the same words found for both: the words are read there as that rule's own
 * ("exactly" of "JSON only, exactly" spends nothing of "names exactly as written"), and the one-phrase requirement needs
 * words of its own ("Use only these tools", "Tools, closed list:").
 *
 * Returns, per requirement, the hits of its phrases spent on another rule (empty where none).
 */
export function spentOnOtherRule(
  requirements: readonly Pick<Requirement, "id" | "all_of" | "topic">[],
  replyAlone: ReadonlySet<string>,
  groupsPerRequirement: readonly PhraseHit[][][],
): Set<PhraseHit>[] {
  return requirements.map((req, k) => {
    const spent = new Set<PhraseHit>();
    if (req.all_of.length !== 1 || (req.topic?.length ?? 0) > 0 || replyAlone.has(req.id)) return spent;
    for (const h of groupsPerRequirement[k][0]) {
      if (!h.asWritten) continue;
      const shared = groupsPerRequirement.some((groups, j) => {
        if (j === k || groups.length < 2 || !replyAlone.has(requirements[j].id)) return false;
        const inRule = groups.map((hits) => hits.filter((o) => o.asWritten && o.rule === h.rule));
        return (
          inRule.every((hits) => hits.length > 0) &&
          inRule.some((hits) => hits.some((o) => o.from === h.from && o.to === h.to))
        );
      });
      if (shared) spent.add(h);
    }
    return spent;
  });
}
