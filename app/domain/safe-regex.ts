import { type Matcher, RE2JS, RE2Set } from "re2js";

/**
 * Instructor-written regular expressions (prompt and output checks, `/…/` phrases of the offline judge) run on text
 * learners control, so they run on RE2 (re2js, a pure-JS port of RE2): matching is linear in the text whatever the
 * pattern, so `^(a+)+$` cannot stall the server or a learner's tab. The same engine runs in the browser's live
 * checks and on the server, so both give the same verdict. Patterns RE2 cannot run (lookarounds, backreferences)
 * are refused with a reason, which authoring shows at the pattern's line.
 */

export interface SafeMatch {
  index: number;
  end: number;
  text: string;
}

export interface SafeRegex {
  readonly source: string;
  readonly flags: string;
  /** The first match at or after `from` (a UTF-16 index), or null. */
  find(text: string, from?: number): SafeMatch | null;
  /** Every non-overlapping match, left to right. */
  findAll(text: string): SafeMatch[];
  /** The same matches, each found when asked for: a caller that needs the first few does not scan for the rest. */
  matches(text: string): Generator<SafeMatch, void, undefined>;
  test(text: string): boolean;
}

export type CompiledRegex = { ok: true; regex: SafeRegex } | { ok: false; error: string };

/** Longest pattern accepted: enough for any real check, small enough that compiling one is cheap. */
export const MAX_PATTERN_LENGTH = 1_000;

const FLAG_BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };
/** Accepted and ignored: RE2 always matches Unicode code points; every search here is stateless. */
const NEUTRAL_FLAGS = new Set(["u", "g", "y"]);
/** A search that may start anywhere at or after the given position (re2js's anchor flags, exported on RE2Set). */
const UNANCHORED = RE2Set.UNANCHORED;

/** re2js says "error parsing regexp: <what>: `<fragment>`"; authors get what is wrong and, for RE2's limits, why. */
function reason(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err))
    .replace(/^error parsing regexp: /, "")
    .replace(/`(?:\(\?[ims]\))+/, "`"); // the flags compile() prepended
  if (/\(\?<?[=!]/.test(message))
    return `uses a lookaround (${message.slice(message.indexOf("`"))}), which RE2 cannot run: patterns run on a linear-time engine; write separate checks instead`;
  if (/invalid escape sequence: `\\[1-9]/.test(message))
    return `uses a backreference (${message.slice(message.indexOf("`"))}), which RE2 cannot run: patterns run on a linear-time engine`;
  return `is not a valid regular expression (${message})`;
}

/** Compiles `source` with JavaScript-style `flags` (i, m, s; u, g, y ignored) for RE2, or says why it cannot. */
export function compileSafeRegex(source: string, flags = ""): CompiledRegex {
  if (source.length > MAX_PATTERN_LENGTH)
    return { ok: false, error: `the pattern is ${source.length} characters; at most ${MAX_PATTERN_LENGTH}` };
  let bits = 0;
  for (const f of new Set(flags)) {
    if (f in FLAG_BITS) bits |= FLAG_BITS[f];
    else if (!NEUTRAL_FLAGS.has(f)) return { ok: false, error: `unknown regex flag "${f}" (use i, m, s)` };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(source), bits);
  } catch (err) {
    return { ok: false, error: reason(err) };
  }
  // re2js finds a match's bounds on its NFA, ~50× slower than its DFA, which only says whether one exists: ask the DFA
  // first, from the same position (so `^`, `$` and `\b` read the same context), and scan with the NFA only where a
  // match is certain. Most patterns match nowhere in a long prompt; their scan costs a DFA pass instead of an NFA one.
  const re2 = re.re2();
  const matchesFrom = (text: string, from: number): boolean =>
    re2.matchWithGroup(text, from, text.length, UNANCHORED, 0)[0] === true;
  const findWith = (m: Matcher, text: string, from: number): SafeMatch | null =>
    matchesFrom(text, from) && m.find(from) ? { index: m.start(), end: m.end(), text: m.group() ?? "" } : null;
  function* matches(text: string): Generator<SafeMatch, void, undefined> {
    const m = re.matcher(text);
    let from = 0;
    while (from <= text.length) {
      const match = findWith(m, text, from);
      if (!match) return;
      yield match;
      // After an empty match, step over one code point, as re2js's own iteration does.
      from = match.end > match.index ? match.end : match.end + codePointLength(text, match.end);
    }
  }
  return {
    ok: true,
    regex: {
      source,
      flags,
      find: (text, from = 0) => findWith(re.matcher(text), text, from),
      findAll: (text) => [...matches(text)],
      matches,
      test: (text) => re.test(text),
    },
  };
}

/**
 * Which of several compiled regexes match somewhere in a text, in one pass: re2js's RE2Set runs them as one DFA, where
 * each regex alone takes a pass of its own. Each pattern is parsed as `compileSafeRegex` parses it (its flags written
 * into it in the order RE2JS.compile writes them), so the set says "matches" exactly where the regex's own search
 * finds a match. Returns the positions in `regexes` of those that match; null when re2js cannot build the set (then
 * search each regex alone).
 */
export function compileSafeRegexSet(regexes: readonly SafeRegex[]): ((text: string) => number[]) | null {
  const set = new RE2Set(RE2Set.UNANCHORED, 0);
  try {
    for (const re of regexes) {
      const flags = new Set(re.flags);
      set.add(
        `${flags.has("m") ? "(?m)" : ""}${flags.has("s") ? "(?s)" : ""}${flags.has("i") ? "(?i)" : ""}${RE2JS.translateRegExp(re.source)}`,
      );
    }
    set.compile();
  } catch {
    return null;
  }
  return (text) => set.match(text);
}

/** UTF-16 units of the code point at `at` (1 past the end, as re2js steps). */
function codePointLength(text: string, at: number): number {
  const c = text.codePointAt(at);
  return c !== undefined && c > 0xffff ? 2 : 1;
}

/** The reason `source` cannot run on RE2, or null when it can (for authoring's validation). */
export function safeRegexError(source: string, flags = ""): string | null {
  const compiled = compileSafeRegex(source, flags);
  return compiled.ok ? null : compiled.error;
}
