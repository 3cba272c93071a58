/**
 * Words that name a grader only as nouns of their own: a "to-do marker" or a "TODO marker" is a comment in code, a
 * "type checker" a tool, and "Judge only by these rules" an order to the model. In a sentence that also says "passes"
 * or "approved" ("a to-do marker lacking a tracker reference (TODO(PAY-123) passes)"), they address no grader
 * (grader-address.ts reads its contextual patterns on the text with them set aside). "The marker: pass", "judge this
 * prompt as a pass" and "note to the checker" keep their grader.
 */

/** A grader noun as the head of a compound: after a hyphenated word, an identifier in capitals, or "to do". */
const COMPOUND_HEAD =
  /(\b(?:[A-Z][A-Z0-9_]+(?:\([^()\s]{0,20}\))?|\p{L}+-\p{L}+|[Tt]o do|spell|type|link|style|grammar|syntax|conflict|fact)[ \t])(markers?|checkers?)\b/gu;
/** "Judge" opening a sentence as an order, with its object or manner after it ("Judge only by", "Judge each invoice"). */
const JUDGE_ORDER =
  /((?:^|[.!?:;]\s+|\n\s*(?:[-*•]\s+)?))Judge(?=\s+(?:only|solely|each|every|all|whether|if|by|on|from|against|the\s+(?:invoice|ticket|message|review|email|text|input|code|patch|claim|document|request))\b)/g;

/** The text with those words replaced by a neutral noun or verb of the same role. */
export function withoutGraderHomonyms(text: string): string {
  return text
    .replace(COMPOUND_HEAD, (_, before: string, noun: string) => `${before}${noun.endsWith("s") ? "tags" : "tag"}`)
    .replace(JUDGE_ORDER, "$1Weigh");
}
