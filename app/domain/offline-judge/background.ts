import { DIRECTIVE_VERBS, type Reading, type Rule, type Token } from "./reading";

/**
 * Background: what the writer's world is like, told so the model understands the rules. It may state a rule ("our
 * brand voice is plain and warm") and so cover it, but it orders nothing, so its words alone never break one (a case
 * it binds to the opposite value, "unsure reviews are OK in our queue", still does: case-bindings.ts):
 *
 *     Some background: our tool reads each line and creates a task in the tracker, assigns it to the owner ...
 *     Here is some context on why this step exists. Our contract-review tool finds ten clauses that look close ...
 *     Background: your reply is read by code. The code takes the clause ids you return and passes them to a
 *     drafting model that writes the answer ...
 *
 * Two kinds: every sentence of a paragraph that opens as background ("Some background:", "Here is why the rules
 * below matter:", "A little context before the instructions."), and a sentence whose subject is the writer's
 * company, its systems or other people ("Our code only reads clause ids", "We use you for this task because ...",
 * "Models use what comes first ..."). A sentence that orders outright stays an order wherever it stands ("So please
 * output only the one line", "We need structured data", "You must ...").
 */

const OPENER = new RegExp(
  String.raw`^\W*(?:` +
    String.raw`(?:(?:some\s+|a\s+(?:little\s+)?(?:bit\s+of\s+)?|a\s+little\s+|more\s+|brief\s+|quick\s+))?(?:background|context)\b` +
    String.raw`|here\s+is\s+(?:some\s+|a\s+(?:little\s+|bit\s+of\s+)?)?(?:background|context)\b` +
    String.raw`|here\s+is\s+why\b|why\s+this\s+matters\b|for\s+context\b|to\s+give\s+you\s+(?:some\s+)?context\b` +
    String.raw`|let\s+me\s+explain\b|a\s+word\s+on\s+why\b` +
    // "ABOUT THE INPUT: The block below contains three parts ...": what the input is, told before the rules.
    String.raw`|about\s+(?:the|this|your)\s+(?:input|context|data|documents?)\s*:)`,
  "i",
);

/** Subjects that are the writer's world, not the reply: the company, its systems, other people. */
const WORLD_NOUNS = new Set(
  (
    "code tool script front-end frontend system parser importer tracker pipeline bot app platform team database " +
    "dashboard customers users people agents analysts lawyers engineers clerks managers staff colleagues models " +
    "company business marketplace helpdesk department office"
  ).split(" "),
);

/** Verbs of asking: "we need", "we want", "we'd like" order as surely as an imperative. */
const REQUESTS = new Set(["need", "want", "like", "ask", "expect", "require", "prefer", "love", "wish", "must"]);
const MODALS = new Set([
  "must",
  "should",
  "shall",
  "need",
  "have",
  "will",
  "'ll",
  "would",
  "'d",
  "may",
  "can",
  "cannot",
  "ca",
]);
const OPENING_ORDERS = new Set(["please", "never", "always", "only", "do", "don't", "no", "avoid", "make", "be"]);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);
const isRequest = (t: Token | undefined) => t !== undefined && REQUESTS.has(t.lower);

/** The rule's indexes that are background. */
export function backgroundRules(reading: Reading): Set<number> {
  const out = new Set<number>();
  let paragraph = -1;
  let opened = false;
  for (const rule of reading.rules) {
    if (rule.segment !== paragraph) {
      paragraph = rule.segment;
      opened = OPENER.test(reading.text.slice(rule.start, rule.end));
    }
    if (ordersOutright(reading.tokens, rule)) continue;
    if (opened || aboutTheWorld(reading.tokens, rule)) out.add(rule.index);
  }
  return out;
}

/** "please", an opening order or prohibition, "you must/should/need to/will", an order opening a later clause. */
function ordersOutright(tokens: Token[], rule: Rule): boolean {
  const words = tokens.slice(rule.from, rule.to).filter(isWord);
  if (words.some((t) => t.lower === "please")) return true;
  const first = words[0];
  if (!first) return false;
  if (OPENING_ORDERS.has(first.lower)) return true;
  if (DIRECTIVE_VERBS.has(first.lower)) return true;
  // "Our team prefers a reason after the label", "The analysts need an explanation": whoever wants it, a want in the
  // present is a request ("we asked for a summary", in the past, is history).
  const verb = words.find((t) => t.pos === "VERB" || t.pos === "AUX");
  if (verb && REQUESTS.has(verb.lemma) && !(verb.lower !== verb.lemma && /ed$/.test(verb.lower))) return true;
  for (let k = 0; k + 1 < words.length; k++) {
    const w = words[k];
    const next = words[k + 1];
    if (
      (w.lower === "you" || w.lower === "reply" || w.lower === "answer" || w.lower === "output") &&
      MODALS.has(next.lower)
    )
      return true;
    // "we need", "we would like", "I want": a request in the present ("we asked for a summary" is history).
    if (
      (w.lower === "we" || w.lower === "i") &&
      (isRequest(next) || (MODALS.has(next.lower) && isRequest(words[k + 2])))
    )
      return true;
    // "..., so output only the line": an order in its base form opening a later clause.
    if (
      (w.lower === "so" || w.lower === "then" || w.lower === "and") &&
      DIRECTIVE_VERBS.has(next.lower) &&
      next.lemma === next.lower
    )
      return true;
  }
  return false;
}

/** "Our code only reads clause ids", "We use you because ...", "Models use what comes first": the world, told. */
function aboutTheWorld(tokens: Token[], rule: Rule): boolean {
  const words = tokens.slice(rule.from, rule.to).filter(isWord);
  const [first, second] = words;
  if (!first || !second) return false;
  if (first.lower === "we" || first.lower === "they")
    return second.pos === "VERB" || second.pos === "AUX" || second.pos === "ADV";
  // The subject: "our"/"the" and up to three words to a world noun, then its verb.
  const determiner = first.lower === "our" || first.lower === "the" || first.lower === "many" || first.lower === "most";
  const start = determiner ? 1 : 0;
  for (let k = start; k < Math.min(words.length - 1, start + 4); k++) {
    const w = words[k];
    // The subject is one noun phrase: adjectives and nouns up to its head.
    if (!["NOUN", "PROPN", "ADJ"].includes(w.pos)) return false;
    if (!WORLD_NOUNS.has(w.lower)) continue;
    const verb = words[k + 1];
    const after = words[k + 2];
    // "reads", "only reads", and "check" tagged a noun before its object's determiner ("check every figure").
    return (
      verb.pos === "VERB" ||
      (verb.pos === "ADV" && after?.pos === "VERB") ||
      (verb.pos === "NOUN" && ["DET", "PRON"].includes(after?.pos ?? ""))
    );
  }
  return false;
}
