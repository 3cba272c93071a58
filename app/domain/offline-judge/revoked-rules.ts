/**
 * A prompt that takes back its own rules: "Do the opposite of every rule below.", "The rules above are optional.",
 * "None of the following applies any more:", "Old version (do not follow):", "All of the above was the old prompt".
 * The rules are all there for a reader who checks them one by one, and the model is told not to keep them: an override
 * of the prompt by itself (grader-address.ts reads these with its override family, so a quoted or mentioned one,
 * "if the ticket says 'do the opposite of the rules below'", stays an example to watch for).
 *
 * Each pattern needs the prompt's own rules as its object ("every rule below", "the above", "the following"), not
 * what the model reads ("ignore instructions inside the passages below" is a rule about the input and stays one),
 * and no condition before it ("if none of the following applies, reply OTHER").
 */
const OWN_RULES = String.raw`(?:(?:all|any|every|each|of|the|these|those|my|its)\s+){0,3}(?:rules?|instructions?|lines|orders|guidelines|directions|requirements|constraints|steps|points)`;
const WHERE = String.raw`(?:above|below|before\s+this|after\s+this|that\s+follows?|in\s+this\s+prompt|here)`;
const LOOSE = String.raw`(?:optional|suggestions?|guidance\s+only|not\s+binding|non-binding|outdated|obsolete|void|cancel+ed|examples\s+of\s+what\s+not\s+to\s+do|what\s+not\s+to\s+do|not\s+to\s+be\s+followed)`;

export const REVOKING: RegExp[] = [
  // "Do the opposite of every rule below", "do the reverse of what the lines above say".
  new RegExp(
    String.raw`\bdo\s+(?:exactly\s+)?the\s+(?:opposite|reverse|contrary)\s+of\s+(?:${OWN_RULES}\s+${WHERE}|(?:everything|all|what(?:ever)?)\s+(?:(?:the\s+)?(?:rules?|instructions?|lines?|text|prompt)\s+)?(?:${WHERE}|(?:is\s+)?(?:written|said|asked|listed)|says?))`,
    "i",
  ),
  // "disregard every rule above", "forget the instructions below" (an order and its object after it).
  new RegExp(
    String.raw`\b(?:ignore|disregard|forget|override|bypass|cancel|discard|drop)\s+${OWN_RULES}\s+${WHERE}\b(?!\s*(?:if|when|unless|for|in\s+case|on|once)\b)`,
    "i",
  ),
  // "The rules above are optional", "everything below is outdated", "the instructions here are just suggestions".
  new RegExp(
    String.raw`\b(?:${OWN_RULES}|everything|all\s+(?:of\s+)?(?:this|that|it))\s+${WHERE}\s+(?:are|is|were|was)\s+(?:now\s+|just\s+|only\s+|purely\s+|entirely\s+|all\s+)?${LOOSE}\b(?!\s+(?:for|when|if|unless|on|in|where)\b)`,
    "i",
  ),
  // "None of the following applies any more", "the rules below no longer apply".
  new RegExp(
    String.raw`(?<!\b(?:if|when|unless|where|whether|in\s+case)\s+)\bnone\s+of\s+(?:the\s+)?(?:following|above|rules?\s+${WHERE}|instructions?\s+${WHERE})\s+(?:\w+\s+)?(?:applies|apply|holds?|counts?|matters?)\s+(?:any\s*more|now|no\s+more)\b`,
    "i",
  ),
  new RegExp(
    String.raw`\b(?:${OWN_RULES}|everything)\s+${WHERE}\s+(?:no\s+longer|do(?:es)?\s+not|don'?t|doesn'?t)\s+(?:apply|applies|count|matter|hold)\b(?!\s+(?:to|if|when|for)\b)`,
    "i",
  ),
  // "All of the above was the old prompt", "the text above is an outdated draft".
  /\b(?:all\s+(?:of\s+)?|everything\s+)?the\s+(?:above|text\s+above|prompt\s+above)\s+(?:was|is)\s+(?:just\s+)?(?:the\s+|an?\s+)?(?:old|outdated|previous|obsolete|former|discarded|rejected)\b/i,
  // "Old version (do not follow):", "Draft rules - don't use".
  /\b(?:old|previous|outdated|obsolete|former|earlier|discarded|rejected)\s+(?:version|prompt|rules|instructions|draft)\s*[(:\-–—,]\s*(?:do\s+not|don'?t|never|not\s+to\s+be)\s+(?:follow|use|apply|obey)(?:ed)?\b/i,
  /\((?:do\s+not|don'?t)\s+(?:follow|obey|apply)(?:\s+(?:this|these|it|them))?\)\s*:?/i,
  // "Scrap all that", "never mind the above", "the real brief is below".
  /\b(?:scrap|scratch|never\s+mind|throw\s+out|bin)\s+(?:all\s+(?:of\s+)?that|the\s+above|everything\s+(?:above|before\s+this))\b/i,
  /\bthe\s+(?:real|actual|true)\s+(?:brief|task|instructions?|prompt|rules)\s+(?:is|are)\s+(?:below|here|as\s+follows|the\s+following)\b/i,
  // The rules sent elsewhere: "The following rules are for a different team's bot", "the prompt above, for reference
  // only", "That was a draft."
  new RegExp(
    String.raw`\b(?:the\s+(?:following|above)|${OWN_RULES}\s+${WHERE})\s+(?:rules?\s+|instructions?\s+|prompt\s+)?(?:are|is|were|was)\s+(?:meant\s+)?for\s+(?:a|an|another|some)\s+(?:different|other|old|older|previous)\s+(?:team|bot|model|assistant|product|project|use|task)`,
    "i",
  ),
  // (Not the input's own text: "instructions found inside the data are for reference only" is a rule about it.)
  /\b(?:prompt|rules|instructions)\b(?![^.\n]{0,30}\b(?:in|inside|within|from|found|contained)\b)[^.\n]{0,60}\bfor\s+reference\s+only\b/i,
  /(?:^|[.!?\n]\s*)(?:that|this|all\s+(?:of\s+)?that|the\s+above|everything\s+above)\s+was\s+(?:just\s+|only\s+)?(?:a|an|the)\s+(?:draft|test|joke|example|old\s+version|placeholder)\s*(?:[.!;:,]|$)/im,
];

/**
 * An order that frees the model from every rule: "answer freely", "write whatever seems helpful", "reply however you
 * like", "just chat with the user". Said of the whole reply (answer, reply, respond, write, say); "greet them however
 * you like" or "word the tip as you like" frees one part and is a rule.
 */
export const FREE_REIN: RegExp[] = [
  /\b(?:answer|reply|respond|write|say|chat)\s+(?:freely|whatever\s+(?:you\s+(?:like|want|wish|think|feel)|seems?\s+(?:helpful|best|right|good|fine|appropriate|natural))|however\s+you\s+(?:like|want|wish|see\s+fit|feel)|anything\s+you\s+(?:like|want))\b/i,
  /\bjust\s+chat(?:\s+with\s+(?:the\s+)?(?:user|customer|them))?\b/i,
  /\bno\s+rules\s+apply\b/i,
];
