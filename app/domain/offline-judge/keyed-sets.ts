import type { Reading, Rule } from "./reading";

/**
 * A key given with the closed set of values it may take, in words or in notation: "product is one of app, web,
 * billing, api, other", "topic, one of bug, how_to, other", "sentiment (negative, neutral, positive)", "churn_risk -
 * true / false". Several of them in one sentence define the reply's fields; their words are no heap of the brief's
 * terms (instruction.ts, keywordRuns), whatever the sentence says besides.
 *
 * A comma-separated set needs the words "one of" or its parentheses after the key: "Terms: summary, bullets,
 * escalate" names no key's values; a set in notation ("a / b / c", "a | b | c") needs only its key and a sign.
 */
const QUOTE = `["“”'\`]?`;
const WORD = "[\\p{L}\\p{N}_][\\p{L}\\p{N}_'-]{0,30}";
/** One value: a word or two ("office supplies"), maybe quoted. */
const VALUE = `${QUOTE}${WORD}(?:[ \\t]${WORD})?${QUOTE}`;
const KEY = `${QUOTE}[\\p{L}_][\\p{L}\\p{N}_]{0,30}${QUOTE}`;
/** "a, b or c", "a, b, and c": three values or more. */
const LISTED = `${VALUE}(?:\\s*,\\s*(?:(?:or|and)\\s+)?${VALUE}|\\s+or\\s+${VALUE}){2,12}`;
/** "a / b / c", "a | b | c". */
const NOTATED = `${VALUE}(?:\\s*[/|]\\s*${VALUE}){2,12}`;
const ONE_OF =
  "\\s*,?\\s*(?:(?:is|takes|holds|must\\s+be|can\\s+be|may\\s+be|should\\s+be)\\s+)?(?:(?:exactly|only|always|just|strictly)\\s+)?one\\s+of(?:\\s+(?:these|the\\s+following))?\\s*:?\\s*";
const SIGN = "\\s*(?::|=|∈|->|→|–|—|\\s-)\\s*\\{?\\s*";

const KEYED_SET = new RegExp(
  `(?<![\\p{L}\\p{N}_])(${KEY})(?:${ONE_OF}\\{?\\s*${LISTED}|\\s*[({]\\s*${LISTED}\\s*[)}]|${SIGN}${NOTATED})`,
  "gu",
);

/**
 * The stretches of `rule` (token ranges [from, to)) that give a key with its closed set of values, with the token
 * of the key; `isTerm` says whether the key is one of the brief's terms (a field it names), which it must be.
 */
export function keyedSets(reading: Reading, rule: Rule, isTerm: (token: number) => boolean): [number, number][] {
  const text = reading.text.slice(rule.start, rule.end);
  if (!/one\s+of|[({/|]/i.test(text)) return [];
  const out: [number, number][] = [];
  const { tokens } = reading;
  let t = rule.from;
  for (const m of text.matchAll(KEYED_SET)) {
    const start = rule.start + (m.index ?? 0);
    const end = start + m[0].length;
    while (t < rule.to && tokens[t].end <= start) t++;
    let e = t;
    while (e < rule.to && tokens[e].start < end) e++;
    const key = tokens.slice(t, e).findIndex((tok) => /[\p{L}\p{N}]/u.test(tok.text));
    if (key >= 0 && isTerm(t + key)) out.push([t, e]);
  }
  return out;
}
