import { quoteRule, type Reading, readPrompt, type Token } from "./reading";

/**
 * An exemption the brief grants, taken back: "console.log in test files is fine" where the prompt flags "any
 * console.log, test files (.test.ts/.spec.ts) included", "console.log everywhere, even in tests", "console.log in
 * production and in tests too".
 *
 * The slot comes from the requirement's description ("<thing> in <place> is fine / allowed / acceptable"). In the
 * prompt, a rule that names the thing and the place, with a word that folds the place into the rule ("included",
 * "including", "even", "too", "as well", "either", "alike") and no word that allows it ("fine", "allowed", "except",
 * "not"), takes the exemption back. Asides in parentheses are read through: "test files (.test.ts) included".
 */

export interface Exemption {
  /** The exempted thing's words ("console", "log"). */
  thing: string[];
  /** The place where it is allowed ("test"). */
  place: string[];
  /**
   * Where the exercise's other rules still hold the thing ("production", from "Flag console.log in production code"):
   * the side the exemption does not reach. Empty when no other requirement names one.
   */
  elsewhere?: string[];
}

const ALLOWED = new Set(["fine", "allowed", "ok", "okay", "acceptable", "permitted", "exempt"]);
const INCLUDES = new Set(["included", "including", "incl", "even", "too", "either", "alike"]);
const ALLOWS = new Set([
  ...ALLOWED,
  "except",
  "excluding",
  "outside",
  "ignore",
  "skip",
  "not",
  "n't",
  "no",
  "never",
  "but",
]);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);
const words = (tokens: Token[]) =>
  tokens.filter((t) => isWord(t) && t.pos !== "DET" && t.pos !== "ADP").map((t) => t.lower.replace(/s$/, ""));

/** The exemption a requirement's description grants, or null. */
export function exemption(description: string): Exemption | null {
  const { tokens } = readPrompt(description);
  const allowed = tokens.findIndex((t) => ALLOWED.has(t.lower));
  if (allowed < 0) return null;
  const verb = tokens.findIndex((t, i) => i < allowed && t.pos === "AUX");
  const place = tokens.findIndex((t, i) => i < (verb < 0 ? allowed : verb) && t.lower === "in");
  if (verb < 0 || place <= 0) return null;
  const thing = words(tokens.slice(0, place));
  const where = words(tokens.slice(place + 1, verb)).filter((w) => w !== "file" && w !== "code");
  return thing.length > 0 && where.length > 0 ? { thing, place: where } : null;
}

const stem = (t: Token) => t.lower.replace(/[^\p{L}\p{N}]/gu, "").replace(/s$/, "");

/**
 * Where each rule's words end, read through the rules after it on its line: asides such as "test files
 * (.test.ts/.spec.ts) included", which the reader may cut at "(." into rules of one line. (Found from the last rule
 * back, so a long line of many rules is read once.)
 */
function runOnEnds(reading: Reading): number[] {
  const { rules } = reading;
  const ends = new Array<number>(rules.length);
  for (let r = rules.length - 1; r >= 0; r--) {
    const next = rules[r + 1];
    ends[r] = next && next.line === rules[r].line && next.segment === rules[r].segment ? ends[r + 1] : rules[r].to;
  }
  return ends;
}

/** For each token, the first token at or after it that `holds`, or the token count: "does [from, to) hold one?" at once. */
function nextHolding(tokens: Token[], holds: (t: Token) => boolean): Int32Array {
  const next = new Int32Array(tokens.length + 1);
  next[tokens.length] = tokens.length;
  for (let i = tokens.length - 1; i >= 0; i--) next[i] = holds(tokens[i]) ? i : next[i + 1];
  return next;
}

/** The first rule that takes the exemption back, quoted with its line, or null. */
export function revokedExemption(
  reading: Reading,
  slot: Exemption,
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  const { tokens } = reading;
  const ends = runOnEnds(reading);
  const read = (t: Token) => !t.parenthetical && isWord(t) && !/^\./.test(t.text);
  // (A rule's words run to the end of its line: whether they name the thing, or allow it, is looked up, not re-read.)
  const thing = nextHolding(tokens, (t) => read(t) && slot.thing.some((w) => t.lower.includes(w)));
  const allows = nextHolding(tokens, (t) => read(t) && ALLOWS.has(t.lower));
  for (const rule of reading.rules) {
    if (!breaks(rule.index)) continue;
    const end = ends[rule.index];
    if (thing[rule.from] >= end || allows[rule.from] < end) continue;
    const span = tokens.slice(rule.from, end).filter(read);
    const places = span.map((t, k) => (slot.place.includes(stem(t)) ? k : -1)).filter((k) => k >= 0);
    if (places.length === 0 || span.some((t) => ALLOWS.has(t.lower))) continue;
    // "as well" is two words.
    const near = (k: number) =>
      span
        .slice(Math.max(0, k - 5), k + 6)
        .some((t, j, a) => INCLUDES.has(t.lower) || (t.lower === "as" && a[j + 1]?.lower === "well"));
    if (places.some(near)) return { line: rule.line, quote: quoteRule(reading, rule) };
  }
  return null;
}

/**
 * Where the other requirements hold the exempted thing: the place after "in" in a description that names the thing
 * and is not the exemption's own ("Flag console.log in production code." → "production").
 */
export function exemptionElsewhere(slot: Exemption, descriptions: readonly string[]): string[] {
  const out = new Set<string>();
  for (const description of descriptions) {
    const { tokens } = readPrompt(description);
    const at = tokens.findIndex((t) => slot.thing.some((w) => t.lower.includes(w)));
    if (at < 0 || tokens.some((t) => ALLOWED.has(t.lower))) continue;
    const place = tokens.findIndex((t, i) => i > at && t.lower === "in");
    if (place < 0) continue;
    for (const w of words(tokens.slice(place + 1)))
      if (w !== "file" && w !== "code" && !slot.place.includes(w) && !slot.thing.includes(w)) out.add(w);
  }
  return [...out];
}

/** Words that let the thing stay where it is: "may keep it", "can stay", "is free to use". */
const KEEPS = new Set(["keep", "stay", "remain", "use", "have", "retain", "leave"]);
const PERMITS = new Set(["may", "can"]);
const NEGATORS = new Set(["not", "n't", "never", "no"]);
const SEGMENT_ENDS = new Set([";", ",", "(", ")", ".", "but", "while", "whereas", "except", "unless"]);

/**
 * Whether the words of a segment let something be: an allowing word, "may keep", or leave to do the thing itself
 * ("production code may log", "can log freely": the thing's own word as the verb after "may" or "can"), not negated
 * just before it.
 */
function permits(segment: Token[], thing: readonly string[]): boolean {
  return segment.some((t, k) => {
    const negated = NEGATORS.has(segment[k - 1]?.lower ?? "") || NEGATORS.has(segment[k - 2]?.lower ?? "");
    if (negated) return false;
    if (ALLOWED.has(t.lower)) return true;
    const next = segment[k + 1];
    if (!PERMITS.has(t.lower) || !next || NEGATORS.has(next.lower)) return false;
    return KEEPS.has(next.lemma ?? "") || thing.includes(next.lower) || thing.includes(next.lemma ?? "");
  });
}

/** The thing's words and their parts: "console.log" is also "console" and "log". */
const thingParts = (thing: readonly string[]) => [
  ...new Set(thing.flatMap((w) => [w, ...w.split(/[^\p{L}\p{N}]+/u).filter((p) => p.length >= 3)])),
];

/**
 * The exemption moved to the other side: "CONSOLE_LOG: console.log in test files; in production code it is fine",
 * "... production code may keep it", "... production code may log". In a rule naming the thing, a segment (between commas, semicolons, brackets or a
 * "but") that lets the thing be where the other requirements hold it, and does not name the exempt place, swaps the
 * exemption's scope. "console.log in production code (fine in test files)" and "fine in tests, not in production" keep
 * it.
 */
export function swappedExemption(
  reading: Reading,
  slot: Exemption,
  breaks: (rule: number) => boolean,
): { line: number; quote: string } | null {
  if (!slot.elsewhere || slot.elsewhere.length === 0) return null;
  const { tokens } = reading;
  const { elsewhere } = slot;
  const parts = thingParts(slot.thing);
  const ends = runOnEnds(reading);
  const thing = nextHolding(tokens, (t) => slot.thing.some((w) => t.lower.includes(w)));
  const names = (segment: Token[], places: string[]) => segment.some((w) => places.includes(stem(w)));
  // Whether a segment from `from` on, up to `end`, lets the thing be: rules on one line share their later segments, so
  // each segment's answer, once known, is kept by where it starts (a long line of many rules is read once).
  const known = new Map<number, boolean>();
  const swapsFrom = (from: number, end: number): boolean => {
    const starts: number[] = [];
    let answer = false;
    let start = from;
    let segment: Token[] = [];
    for (let i = from; ; i++) {
      if (i === start && start < end) {
        const memo = known.get(start);
        if (memo !== undefined) {
          answer = memo;
          break;
        }
        starts.push(start);
      }
      const t = i < end ? tokens[i] : null;
      if (t && !SEGMENT_ENDS.has(t.lower)) {
        if (isWord(t)) segment.push(t);
        continue;
      }
      if (names(segment, elsewhere) && !names(segment, slot.place) && permits(segment, parts)) {
        answer = true;
        break;
      }
      if (!t) break;
      segment = [];
      start = i + 1;
    }
    for (const s of starts) known.set(s, answer);
    return answer;
  };
  for (const rule of reading.rules) {
    if (!breaks(rule.index)) continue;
    if (thing[rule.from] >= ends[rule.index]) continue;
    if (swapsFrom(rule.from, ends[rule.index])) return { line: rule.line, quote: quoteRule(reading, rule) };
  }
  return null;
}
