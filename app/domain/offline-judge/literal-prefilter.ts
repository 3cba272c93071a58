/**
 * A cheap "can this regex match here at all?" before running it: the literal words a match must contain, read from
 * the pattern's source, checked against a bitmap of the text's three-character windows (ASCII letters folded to
 * lower case). A pattern whose required words are not all in the text cannot match it, so it need not run; every
 * other pattern runs as before, which keeps every result the same (the bitmap can say "maybe" wrongly, never "no").
 *
 * For the grader-address check's ~90 fixed JavaScript regexes (`grader-address.ts`), which on a prompt without any
 * grader talk each scan the whole prompt for nothing: one pass over the text builds the bitmap, then each pattern is
 * a few bit look-ups.
 *
 * What the reading of the source keeps sound:
 * - Only ASCII letters, digits and ASCII punctuation count as literal characters; anything else (a class, `.`, an
 *   escape such as `\s` or `\p{L}`, a non-ASCII character, a lookaround, an anchor) ends a run of literals and
 *   requires nothing. Non-`u` case-insensitive matching only pairs an ASCII letter with its other-case ASCII letter,
 *   which is all the folding does. A pattern that is both `i` and `u` gets no filter (`ſ` matches `s` there).
 * - A quantified atom requires its words only when it must occur at least once, and ends the run.
 * - An alternation requires one of its branches' words; a branch that requires nothing makes it require nothing.
 * - A back-reference, a `{` that is not a quantifier, or anything not read gives up: no filter for that pattern.
 */

/** Each inner list: one of these words must occur in a match (lower case, 3 characters or more). All must hold. */
export type Requirement = string[][];

const BITS = 1 << 16;

class Unsupported extends Error {}

/** One of `words` at least, or null: the node requires nothing usable. */
type Clause = string[] | null;

interface Parser {
  src: string;
  i: number;
}

/** What a sequence (or group) requires: a conjunction of clauses, none empty. */
function parseAlternation(p: Parser): Requirement {
  const branches: Requirement[] = [parseSequence(p)];
  while (p.src[p.i] === "|") {
    p.i++;
    branches.push(parseSequence(p));
  }
  if (branches.length === 1) return branches[0];
  // One clause per branch (its most selective), joined: a match holds one of them.
  const words: string[] = [];
  for (const branch of branches) {
    const best = mostSelective(branch);
    if (best === null) return [];
    words.push(...best);
  }
  return [[...new Set(words)]];
}

function mostSelective(req: Requirement): Clause {
  let best: Clause = null;
  for (const clause of req) {
    if (
      best === null ||
      clause.length < best.length ||
      (clause.length === best.length && minLength(clause) > minLength(best))
    )
      best = clause;
  }
  return best;
}

function minLength(words: string[]): number {
  return Math.min(...words.map((w) => w.length));
}

/** The well-formed tails of the escapes that name one character or a property, by their letter. */
const ESCAPE_TAILS: Record<string, RegExp> = {
  x: /^[0-9a-fA-F]{2}/,
  u: /^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]{1,6}\})/,
  p: /^\{[A-Za-z_]+(?:=[A-Za-z_0-9]+)?\}/,
  P: /^\{[A-Za-z_]+(?:=[A-Za-z_0-9]+)?\}/,
  c: /^[A-Za-z]/,
  // NUL; "\0" and a digit is a legacy octal escape.
  "0": /^(?![0-9])/,
};

const QUANTIFIER = /^(?:[*+?]|\{(\d+)(?:,(\d*))?\})/;

function parseSequence(p: Parser): Requirement {
  const req: Requirement = [];
  let run = "";
  const endRun = () => {
    if (run.length >= 3) req.push([run]);
    run = "";
  };
  while (p.i < p.src.length && p.src[p.i] !== "|" && p.src[p.i] !== ")") {
    // One atom: a literal character (or null), or a group's requirement.
    let literal: string | null = null;
    let inner: Requirement = [];
    let zeroWidth = false;
    const c = p.src[p.i];
    if (c === "(") {
      p.i++;
      let lookaround = false;
      if (p.src.startsWith("?:", p.i)) p.i += 2;
      else if (p.src.startsWith("?=", p.i) || p.src.startsWith("?!", p.i)) {
        p.i += 2;
        lookaround = true;
      } else if (p.src.startsWith("?<=", p.i) || p.src.startsWith("?<!", p.i)) {
        p.i += 3;
        lookaround = true;
      } else if (p.src[p.i] === "?") throw new Unsupported("named group or flag group");
      const body = parseAlternation(p);
      if (p.src[p.i] !== ")") throw new Unsupported("unclosed group");
      p.i++;
      if (lookaround) zeroWidth = true;
      else inner = body;
    } else if (c === "[") {
      p.i++;
      // (In JavaScript a "]" right after "[" or "[^" closes the class: "[]", "[^]".)
      if (p.src[p.i] === "^") p.i++;
      while (p.i < p.src.length && p.src[p.i] !== "]") p.i += p.src[p.i] === "\\" ? 2 : 1;
      if (p.src[p.i] !== "]") throw new Unsupported("unclosed class");
      p.i++;
    } else if (c === "\\") {
      const e = p.src[p.i + 1];
      p.i += 2;
      if (e === undefined) throw new Unsupported("trailing backslash");
      if (/[1-9kupPxcu0]/.test(e)) {
        if (/[1-9k]/.test(e)) throw new Unsupported("back-reference");
        // \p{..}, \x.., \u...., \u{..}, \c., \0: not read; their well-formed tail is skipped. A malformed one means
        // the letter itself outside u-mode ("\x|" is "x|"), so a skip could swallow a "|" or "(": not read at all.
        const tail = ESCAPE_TAILS[e]?.exec(p.src.slice(p.i));
        if (!tail) throw new Unsupported(`escape \\${e} not read`);
        p.i += tail[0].length;
      } else if (e === "b" || e === "B") zeroWidth = true;
      else if (/[!-/:-@[-`{-~]/.test(e)) literal = e;
      // \d \w \s \n \t and the like: a class, no literal.
    } else if (c === "^" || c === "$") {
      p.i++;
      zeroWidth = true;
    } else if (c === "{" || c === "}" || c === "]" || c === "*" || c === "+" || c === "?") {
      throw new Unsupported(`stray ${c}`);
    } else {
      p.i++;
      if (c !== "." && c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) < 0x7f) literal = c.toLowerCase();
    }
    // Its quantifier, if any.
    const q = QUANTIFIER.exec(p.src.slice(p.i, p.i + 20));
    let min = 1;
    let single = true;
    if (q) {
      p.i += q[0].length;
      if (p.src[p.i] === "?") p.i++;
      min = q[0] === "+" ? 1 : q[0] === "*" || q[0] === "?" ? 0 : Number(q[1]);
      single = false;
    }
    if (zeroWidth) {
      endRun();
      continue;
    }
    if (literal !== null && single) {
      run += literal;
      continue;
    }
    endRun();
    if (literal !== null && min >= 1 && literal.length >= 3) req.push([literal]);
    if (min >= 1) req.push(...inner);
  }
  endRun();
  return req;
}

/** The words a match of `re` must hold, or null when none are known (the pattern always runs). */
export function requiredLiterals(re: RegExp): Requirement | null {
  if (re.flags.includes("i") && re.flags.includes("u")) return null;
  if (re.flags.includes("v") || re.flags.includes("x")) return null;
  const p: Parser = { src: re.source, i: 0 };
  try {
    const req = parseAlternation(p);
    if (p.i !== p.src.length) return null;
    const usable = req.filter((clause) => clause.every((w) => w.length >= 3));
    return usable.length === 0 ? null : usable;
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

function hash(a: number, b: number, c: number): number {
  return ((a * 0x9e3 + b) * 0x3b1 + c * 0x61) & (BITS - 1);
}

/** Lower-case ASCII letters, leave every other code unit. */
function fold(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/** A bitmap of the text's three-code-unit windows, ASCII letters folded to lower case. */
export function trigramBits(text: string): Uint8Array {
  const bits = new Uint8Array(BITS >> 3);
  if (text.length < 3) return bits;
  let a = fold(text.charCodeAt(0));
  let b = fold(text.charCodeAt(1));
  for (let i = 2; i < text.length; i++) {
    const c = fold(text.charCodeAt(i));
    const h = hash(a, b, c);
    bits[h >> 3] |= 1 << (h & 7);
    a = b;
    b = c;
  }
  return bits;
}

function mayHold(word: string, bits: Uint8Array): boolean {
  for (let i = 2; i < word.length; i++) {
    const h = hash(word.charCodeAt(i - 2), word.charCodeAt(i - 1), word.charCodeAt(i));
    if ((bits[h >> 3] & (1 << (h & 7))) === 0) return false;
  }
  return true;
}

/** False only when the text (read by `trigramBits`) cannot hold a match of the pattern whose requirement this is. */
export function mayMatch(req: Requirement | null, bits: Uint8Array): boolean {
  if (req === null) return true;
  for (const clause of req) if (!clause.some((word) => mayHold(word, bits))) return false;
  return true;
}
