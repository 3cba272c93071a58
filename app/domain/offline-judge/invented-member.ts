import { quoteRule, type Reading, type Token } from "./reading";

/**
 * A closed list opened by leave to make up a member: the brief says the reply picks from a list ("product is one of
 * app, web, ...", "never a new value", "Never uses a tool that is not in the list", "The closed set of causes"), the
 * prompt lets the model coin one:
 *
 *     topic: {bug, how_to, ...}; if none fits, a short new snake_case label
 *     If another tool would fit better, you may call it by a descriptive name.
 *     When no queue matches, invent a fitting queue.
 *
 * The declaration is the requirement's description; the breach is an affirmed order, outside a condition, for a new
 * (custom, made-up, invented, descriptive...) member: a label, value, tool, queue, cause or category, or a name when
 * it is made up. "Never a new value", "no made-up labels", "map any new value to other" and "a new topic" (a case,
 * not a member) keep the list closed.
 */

const CLOSED_DESCRIPTION =
  /\b(?:one of|closed (?:set|list)|not in the list|(?:never|no) (?:a |any )?new|only the listed|exactly one \w+ per)\b/i;

/** Whether a requirement's description says the reply picks from a closed list. */
export function declaresClosedList(description: string): boolean {
  return CLOSED_DESCRIPTION.test(description);
}

const NOVEL = new Set(["new", "custom", "invented", "descriptive", "fresh", "unlisted", "bespoke", "own"]);
const MEMBERS = new Set(["label", "value", "tool", "queue", "cause", "category", "tag", "enum"]);
/** "name" is a member only when it is made up: "a descriptive name", "a new name", not "their own name". */
const NAMING = new Set(["new", "custom", "invented", "descriptive", "fresh", "made-up"]);
const COINING = new Set(["invent", "coin", "create", "make", "devise"]);
/** "map any new value to other": the new member is sent into the list, not added to it. */
const MAPPING = new Set(["to", "as", "into", "onto", "under", "with"]);
const FORBIDDING = new Set(["no", "not", "never", "n't", "without", "avoid", "nor"]);

const isWord = (t: Token) => /[\p{L}\p{N}]/u.test(t.text);
const lemma = (t: Token) => t.lemma.toLowerCase();

/** The member noun within three modifiers after `i` ("new snake_case label"), or null. */
function memberAfter(tokens: Token[], i: number, naming: boolean): Token | null {
  for (let k = i + 1, seen = 0; k < tokens.length && seen < 4; k++) {
    const t = tokens[k];
    if (t.rule !== tokens[i].rule || /^[.;:,!?()]$/.test(t.text)) return null;
    if (!isWord(t) && t.text !== "-" && t.text !== "_") continue;
    seen++;
    if (MEMBERS.has(lemma(t)) || MEMBERS.has(t.lower.replace(/s$/, ""))) return t;
    if (naming && (t.lower === "name" || t.lower === "names")) return t;
    if (!["ADJ", "NOUN", "PROPN", "X", "DET", "ADV"].includes(t.pos) && !/_/.test(t.text)) return null;
  }
  return null;
}

/** Whether a clause forbids or conditions what is at `i`: a negation before it, a condition, a reason. */
function refused(reading: Reading, t: Token): boolean {
  if (t.quoted || t.exception) return true;
  const clause = reading.clauses[t.clause];
  if (!clause || clause.reason) return true;
  let from = clause.from;
  if (clause.condition) {
    // "if nothing fits, a short new label": a verbless outcome after the condition's comma, whose negation is the
    // condition's.
    let comma = t.index - 1;
    while (comma >= clause.from && reading.tokens[comma].text !== ",") comma--;
    if (comma < clause.from) return true;
    from = comma + 1;
  } else if (t.negated) return true;
  for (let k = from; k < t.index; k++) if (FORBIDDING.has(reading.tokens[k].lower)) return true;
  return false;
}

/** The first order to coin a member of a closed list, quoted with its line, or null. */
export function inventedMember(
  reading: Reading,
  breaks: (rule: number) => boolean,
): { line: number; quote: string; reason: string } | null {
  const { tokens } = reading;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.rule < 0 || !breaks(t.rule)) continue;
    let member: Token | null = null;
    // "made-up label", "made up values"
    const madeUp = t.lower === "made" && (tokens[i + 1]?.lower === "up" || tokens[i + 2]?.lower === "up");
    // "sentiment and churn_risk take their own values": "its"/"their" own names the keys' lists, not a coined member.
    const thingsOwn = t.lower === "own" && ["its", "their"].includes(tokens[i - 1]?.lower ?? "");
    if ((NOVEL.has(t.lower) && !thingsOwn) || madeUp) {
      const from = madeUp ? (tokens[i + 1]?.lower === "up" ? i + 1 : i + 2) : i;
      member = memberAfter(tokens, from, madeUp || NAMING.has(t.lower));
    } else if (COINING.has(lemma(t)) && t.pos === "VERB") {
      // "invent a fitting queue", "make up a label"
      const from = tokens[i + 1]?.lower === "up" ? i + 1 : i;
      if (lemma(t) !== "make" || from > i) member = memberAfter(tokens, from, false);
    }
    if (!member || refused(reading, t) || refused(reading, member)) continue;
    const next = tokens.slice(member.index + 1).find(isWord);
    if (next && next.rule === member.rule && MAPPING.has(next.lower)) continue;
    const rule = reading.rules[t.rule];
    const quote = quoteRule(reading, rule);
    return {
      line: rule.line,
      quote,
      reason: `Line ${rule.line} says "${quote}", which lets the reply use a ${member.text} the closed list does not have.`,
    };
  }
  return null;
}
