import type { Reading } from "./reading";

/**
 * A reply shown as one of several options, and the rule that says when to give it by pointing at it:
 *
 *     A) <answer, ≤2 sentences, cited>           Reply in one of these two shapes:
 *     B) Not in the excerpts.                    <1–3 sentences, cited>
 *     Use B only if no excerpt answers.          Not documented. Ask in #data-help.
 *                                                Use the second, word for word, when no chunk answers.
 *
 * The pointing rule ("Use B only if ...", "Use the second when ...") says the case of the option it names, as a rule
 * beside it would; a requirement read `together` (a fixed reply and its case) reads the option with it. An option is
 * a line opened by a letter or digit and ")" (pointed at by that letter after a verb or noun of choosing: "use B",
 * "option B"), or a paragraph after a lead that offers "one of" several shapes (pointed at by its place: "the second",
 * "the last", "the latter"). A letter that points at no option, or a place past the options shown, points at nothing.
 *
 * Returns, per rule of an option, the rules that point at it.
 */
export function optionPointers(reading: Reading): Map<number, number[]> {
  let found = cache.get(reading);
  if (!found) {
    found = findPointers(reading);
    cache.set(reading, found);
  }
  return found;
}

const cache = new WeakMap<Reading, Map<number, number[]>>();

/** Words after which a capital letter names an option: "use B", "option B", "reply with B". */
const CHOOSING = new Set([
  "use",
  "option",
  "shape",
  "form",
  "choose",
  "pick",
  "give",
  "reply",
  "answer",
  "with",
  "send",
]);
const PLACES: Record<string, number> = { first: 0, second: 1, third: 2, fourth: 3, former: 0 };
/** Options shown by place are few: a lead's paragraphs are not read past this many. */
const MAX_OPTIONS = 5;
const LAST = new Set(["last", "latter", "final"]);
/** "one of these two shapes:", "one of the following:", "either of:": a lead that offers options. */
const OFFERS = /\b(?:one|either)\s+of\b[^.\n]{0,40}:\s*$/i;

function findPointers(reading: Reading): Map<number, number[]> {
  const { rules, tokens } = reading;
  const pointers = new Map<number, number[]>();
  const point = (option: number[], from: number) => {
    for (const rule of option) {
      if (rule === from) continue;
      const list = pointers.get(rule) ?? [];
      if (!list.includes(from)) list.push(from);
      pointers.set(rule, list);
    }
  };
  // Lettered options: "B) Not in the excerpts." (the rules of its segment).
  const lettered = new Map<string, number[]>();
  for (const r of rules) {
    const a = tokens[r.from];
    const b = tokens[r.from + 1];
    if (a === undefined || b?.text !== ")" || !/^(?:[A-E]|[1-5])$/.test(a.text)) continue;
    lettered.set(
      a.text,
      rules.filter((x) => x.segment === r.segment).map((x) => x.index),
    );
  }
  if (lettered.size >= 2)
    for (let i = 1; i < tokens.length; i++) {
      const option = lettered.get(tokens[i].text);
      if (option === undefined || !CHOOSING.has(tokens[i - 1].lower) || tokens[i + 1]?.text === ")") continue;
      point(option, tokens[i].rule);
    }
  // Options by place: the paragraphs after a lead that offers "one of" them, up to the rule that points.
  for (const lead of rules) {
    if (!OFFERS.test(reading.text.slice(lead.start, lead.end))) continue;
    const segments: number[][] = [];
    for (let k = lead.index + 1; k < rules.length; k++) {
      const r = rules[k];
      const place = placeNamed(reading, r.from, r.to);
      if (place !== null) {
        const option = place === "last" ? segments.at(-1) : segments[place];
        if (option !== undefined && segments.length >= 2) point(option, k);
        break;
      }
      const last = segments.at(-1);
      if (last !== undefined && rules[last[0]].segment === r.segment) last.push(k);
      else if (segments.length < MAX_OPTIONS) segments.push([k]);
      else break;
    }
  }
  return pointers;
}

/** "Use the second ...", "the latter only when ...": the place of the option a rule names, or null. */
function placeNamed(reading: Reading, from: number, to: number): number | "last" | null {
  const { tokens } = reading;
  for (let i = from + 1; i < Math.min(to, from + 6); i++) {
    if (tokens[i - 1].lower !== "the") continue;
    const next = tokens[i + 1]?.lower;
    // "the second sentence", "the first claim": a place in something else, not an option.
    if (next !== undefined && /^\p{L}/u.test(next) && !["one", "shape", "form", "option", "only"].includes(next))
      continue;
    const word = tokens[i].lower;
    if (word in PLACES) return PLACES[word];
    if (LAST.has(word)) return "last";
  }
  return null;
}
