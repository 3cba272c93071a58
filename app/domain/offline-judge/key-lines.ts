/**
 * A spec written as one key per line, each with its relation: "label ∈ {POS, NEG}; SKIP = spam, topic other" then
 * "topic ∈ {delivery, quality, other}", or "words ≤ 12" then "tone: plain". Two lines that each open with their own
 * key and relation are two rules, however long the first one is and whatever case the second opens in; read as one
 * wrapped sentence, a negation on the first ("not a review") would run over the second's values. A key may join two
 * names with a slash: "quote/reproduce excerpts: never" opens a line of its own after "cite: label per claim".
 */
const KEY_RELATION = /^[\p{L}_][\p{L}\p{N}_ /-]{0,30}?\s*(?::|∈|∉|≤|≥|<=|>=|=(?!=)|->|→)\s*\S/u;

/** "wants ∈ refund, replacement, info, other", "words ≤ 12": a key, a relation sign, and what it is set to. */
const SET_LINE = /^[\p{L}_][\p{L}\p{N}_ -]{0,30}?\s*(?:∈|∉|≤|≥|<=|>=|=(?!=)|->|→)\s*\S/u;
/** A line that stops where a list or a bracket goes on: "label ∈ {POS, NEG,". */
const OPEN_END = /[,{([|/&+=-]\s*$/;

/** "SAFETY = injury, fire" / "or anything dangerous": a line that opens with a joining word goes on. */
const GOES_ON = /^(?:or|and|but|nor|with|without|if|when|unless|except|for|to|in|on|of|than|plus)\b/i;

/**
 * The line after `before` starts a rule of its own: both lines open with a key and its relation, or `before` is a
 * complete set line ("wants ∈ refund, replacement, info, other" then "order_id exactly as in the email").
 */
export function twoKeyLines(before: string, after: string): boolean {
  if (OPEN_END.test(before) || GOES_ON.test(after)) return false;
  return (KEY_RELATION.test(before) && KEY_RELATION.test(after)) || SET_LINE.test(before);
}
