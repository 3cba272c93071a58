import { negatedBefore } from "./negated-before";
import { quoteRule, type Reading, readPrompt, type Token } from "./reading";

/**
 * A prohibition given a way back in: the brief forbids a kind of content outright ("Never comment on formatting",
 * "Never promise anything the promotion does not say (free delivery, gifts)", "No investment, legal or tax advice"),
 * the prompt lets it in for some cases:
 *
 *     Formatting is normally left to the formatter, but mention it when it clearly hurts readability.
 *     For other customers, a gentle incentive such as free delivery is welcome.
 *     General investment tips are fine if the customer asks.
 *
 * What is forbidden comes from the requirement's description: the examples in its parentheses, else the content after
 * "No" or after "Never <verb> on / about" (never a general word: "words", "answer", "text"). In the prompt, a clause
 * where that content is affirmed (not under "no", "never", "don't") and let in ("welcome", "fine", "allowed", "ok",
 * "acceptable", "permitted"), or a rule that names it and then turns ("but", "however", "except", "unless") to an
 * order about it ("but mention it when ..."), carves the prohibition. "No emojis; plain text is fine" lets in
 * something else.
 */

export interface Banned {
  /** Each forbidden thing's words, lower case: ["free", "delivery"], ["formatting"]. */
  things: string[][];
}

const GENERAL = new Set(
  "word words answer answers question text line lines anything thing things tool tools reply message output value".split(
    " ",
  ),
);
const PERMITS = new Set(["welcome", "fine", "allowed", "ok", "okay", "acceptable", "permitted"]);
const TURNS = new Set(["but", "however", "except", "unless", "yet"]);
const NEGATIONS = new Set(["no", "not", "never", "n't", "without", "avoid", "nor", "don't"]);
const PRONOUNS = new Set(["it", "them", "this", "that", "one"]);
/** Words between the turn and its order: "but do mention it", "but you may flag it". */
const LEAD_INS = new Set(["do", "you", "still", "may", "can", "should", "also", "please", "then", "to"]);

const isWord = (t: Token) => /[\p{L}\p{N}]/u.test(t.text);
const stem = (w: string) => w.toLowerCase().replace(/(?:ing|s)$/, "");

/** What a requirement's description forbids outright, or null. */
export function bannedContent(description: string): Banned | null {
  const { tokens } = readPrompt(description);
  const words = tokens.filter(isWord);
  const first = words[0]?.lower;
  const things: string[][] = [];
  const open = tokens.findIndex((t) => t.text === "(");
  if ((first === "never" || first === "no") && open > 0) {
    // "(free delivery, gifts)"
    let item: string[] = [];
    for (let k = open + 1; k < tokens.length && tokens[k].text !== ")"; k++) {
      if (tokens[k].text === "," || tokens[k].lower === "or" || tokens[k].lower === "and") {
        if (item.length) things.push(item);
        item = [];
      } else if (isWord(tokens[k])) item.push(tokens[k].lower);
    }
    if (item.length) things.push(item);
  } else if (first === "no") {
    // "No investment, legal or tax advice": the first item.
    const noun = words[1];
    if (noun) things.push([noun.lower]);
  } else if (first === "never" && ["on", "about"].includes(words[2]?.lower ?? "")) {
    // "Never comment on formatting"
    const noun = words[3];
    if (noun) things.push([noun.lower]);
  }
  const kept = things.filter((t) => t.length <= 3 && !t.every((w) => GENERAL.has(w)));
  return kept.length > 0 ? { things: kept } : null;
}

/** Where a thing's words start at token `i`, affirmed. */
function namesAt(tokens: Token[], i: number, thing: string[]): boolean {
  for (let j = 0; j < thing.length; j++) {
    const t = tokens[i + j];
    if (!t || t.rule !== tokens[i].rule || stem(t.lower) !== stem(thing[j])) return false;
  }
  return true;
}

/** The first rule that lets the forbidden content back in, quoted with its line, or null. */
export function carvedProhibition(
  reading: Reading,
  banned: Banned,
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  const { tokens } = reading;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.rule < 0 || t.quoted || !breaks(t.rule)) continue;
    const thing = banned.things.find((th) => namesAt(tokens, i, th));
    if (!thing || negatedBefore(reading, t, NEGATIONS, 4)) continue;
    const rule = reading.rules[t.rule];
    const clause = reading.clauses[t.clause];
    const found = () => ({ line: rule.line, quote: quoteRule(reading, rule) });
    // Let in, in its own clause: "free delivery ... is welcome".
    for (let k = clause.from; k < clause.to; k++) {
      const w = tokens[k];
      if (PERMITS.has(w.lower) && !negatedBefore(reading, w, NEGATIONS, 4)) return found();
    }
    // Named, then turned to an order about it: "..., but mention it when it hurts readability".
    for (let k = i + thing.length; k < rule.to - 2; k++) {
      if (!TURNS.has(tokens[k].lower)) continue;
      const verb = tokens.slice(k + 1, k + 5).find((w) => isWord(w) && !LEAD_INS.has(w.lower));
      if (!verb || negatedBefore(reading, verb, NEGATIONS, 4)) break;
      const object = tokens.slice(verb.index + 1).find(isWord);
      if (object && object.rule === t.rule && (PRONOUNS.has(object.lower) || namesAt(tokens, object.index, thing)))
        return found();
      break;
    }
  }
  return null;
}

/** For tests: the banned content read from a description and checked against a prompt, every rule breakable. */
export function carves(description: string, prompt: string): boolean {
  const banned = bannedContent(description);
  if (!banned) throw new Error(`nothing banned in ${description}`);
  return carvedProhibition(readPrompt(prompt), banned, () => true) !== null;
}
