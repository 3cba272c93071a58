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

/** re2js's flag bits for JavaScript-style `flags`, or the first flag it does not know. */
function flagBits(flags: string): { bits: number } | { unknown: string } {
  let bits = 0;
  for (const f of new Set(flags)) {
    if (f in FLAG_BITS) bits |= FLAG_BITS[f];
    else if (!NEUTRAL_FLAGS.has(f)) return { unknown: f };
  }
  return { bits };
}

/** Compiles `source` with JavaScript-style `flags` (i, m, s; u, g, y ignored) for RE2, or says why it cannot. */
export function compileSafeRegex(source: string, flags = ""): CompiledRegex {
  if (source.length > MAX_PATTERN_LENGTH)
    return { ok: false, error: `the pattern is ${source.length} characters; at most ${MAX_PATTERN_LENGTH}` };
  const parsed = flagBits(flags);
  if ("unknown" in parsed) return { ok: false, error: `unknown regex flag "${parsed.unknown}" (use i, m, s)` };
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(source), parsed.bits);
  } catch (err) {
    return { ok: false, error: reason(err) };
  }
  // re2js finds a match's bounds on its NFA, ~50× slower than its DFA, which only says whether one exists: ask the DFA
  // first, from the same position (so `^`, `$` and `\b` read the same context), and scan with the NFA only where a
  // match is certain. Most patterns match nowhere in a long prompt; their scan costs a DFA pass instead of an NFA one.
  const re2 = re.re2();
  const internals = re2 as unknown as Re2Internals;
  const matchesFrom = (text: string, from: number): boolean =>
    re2.matchWithGroup(text, from, text.length, UNANCHORED, 0)[0] === true;
  const found = (m: Matcher): SafeMatch => ({ index: m.start(), end: m.end(), text: m.group() ?? "" });
  // re2js finds a pattern that is one literal string by a string search, and one anchored at its start on its
  // one-pass engine, which stops where the anchor fails: those always ask re2js first.
  const ownSearch = internals.prefixComplete === true || internals.onepass !== null;
  /**
   * `askFirst`: whether re2js's own DFA search says first that there is a match, as it does fastest where there is
   * none. Otherwise the walk to the match (`leftmostStart`) says so itself: after a match, the next search of the
   * same text (a prompt says its rules again and again) costs one walk instead of two.
   */
  const findWith = (m: Matcher, text: string, from: number, askFirst: boolean): SafeMatch | null => {
    const start = (askFirst || ownSearch) && !matchesFrom(text, from) ? null : leftmostStart(internals, text, from);
    if (start === null) return null;
    // The NFA then starts where the match starts, not at `from`: it no longer walks the text between matches.
    if (start >= 0) {
      if (m.find(start) && m.start() === start) return found(m);
    } else if (!askFirst && !ownSearch && !matchesFrom(text, from)) return null;
    return m.find(from) ? found(m) : null;
  };
  function* matches(text: string): Generator<SafeMatch, void, undefined> {
    const m = re.matcher(text);
    let from = 0;
    while (from <= text.length) {
      const match = findWith(m, text, from, from === 0);
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
      find: (text, from = 0) => findWith(re.matcher(text), text, from, true),
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
export function compileSafeRegexSet(
  regexes: readonly Pick<SafeRegex, "source" | "flags">[],
): ((text: string) => number[]) | null {
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

/** A counted repetition: `{2}`, `{1,40}`, `{3,}` (what follows a `\\` or sits in a class is read apart). */
const COUNTED = /^\{\d+(?:,\d*)?\}/;

/**
 * The pattern with every counted repetition unbounded (`[^.\n]{0,40}` → `[^.\n]*`): it matches wherever the pattern
 * does (a repeat of k items is a repeat of any number), so where it finds nothing neither does the pattern. A DFA holds
 * a counted repetition as that many states, which multiply in a set of patterns; an unbounded one is a single loop.
 */
export function withUnboundedRepeats(source: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      // An escape, with its braces: `\u{1F600}`, `\p{L}`, `\x{41}`.
      let end = i + 2;
      if (source[end] === "{" && "uxpPk".includes(source[i + 1] ?? "")) {
        const close = source.indexOf("}", end);
        end = close < 0 ? source.length : close + 1;
      }
      out += source.slice(i, end);
      i = end - 1;
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      // (As JavaScript reads it, a `]` at once closes the class: `[]` matches nothing, `[^]` anything.)
      inClass = true;
      out += c;
    } else {
      const counted = c === "{" ? COUNTED.exec(source.slice(i, i + 24)) : null;
      if (counted) {
        out += "*";
        i += counted[0].length - 1;
      } else out += c;
    }
  }
  return out;
}

/** The parts of re2js's RE2 object and lazy DFA that `leftmostStart` steps by hand (re2js 2.10, src/DFA.js). */
interface DfaState {
  isMatch: boolean;
  nfaStates: number[];
  next: (DfaState | null)[] | null;
}
interface Dfa {
  failed: boolean;
  numClasses: number;
  latin1Class: Int32Array;
  runeClass(rune: number): number;
  start(input: MachineInput, pos: number): DfaState | null;
  step(state: DfaState, cls: number, rune: number, anchor: number): DfaState | null;
}
interface MachineInput {
  step(pos: number): number;
  endPos(): number;
}
interface Re2Internals {
  dfa: Dfa;
  /** Literals a match must hold (re2js's prefilter, which its own unanchored search checks first), or null. */
  prefilter: { eval(input: MachineInput, pos: number): boolean } | null;
  /** The pattern is one literal string, which re2js finds with a string search. */
  prefixComplete: boolean;
  /** re2js's one-pass engine, for a pattern anchored at its start, or null. */
  onepass: unknown;
  matchWithGroup(text: string, start: number, end: number, anchor: number, ngroup: number): unknown;
  executeEngine(input: MachineInput, ...rest: unknown[]): unknown;
}

/** re2js's own UTF-16 machine input (not exported): taken from the first search it runs, so steps read as its own. */
let MachineUtf16: (new (text: string, start: number, end: number) => MachineInput) | null = null;
/** Probed once: if re2js's internals ever change shape, every search keeps the plain NFA path, at no extra cost. */
let probed = false;

function machineInput(text: string): MachineInput | null {
  if (!probed) {
    probed = true;
    const probe = RE2JS.compile("a").re2() as unknown as Re2Internals;
    const own = probe.executeEngine;
    probe.executeEngine = function (this: Re2Internals, input: MachineInput, ...rest: unknown[]) {
      MachineUtf16 = input.constructor as typeof MachineUtf16;
      return own.call(this, input, ...rest);
    };
    probe.matchWithGroup("a", 0, 1, UNANCHORED, 0);
    delete (probe as Partial<Re2Internals>).executeEngine;
  }
  return MachineUtf16 ? new MachineUtf16(text, 0, text.length) : null;
}

const ANCHOR_START = RE2Set.ANCHOR_START;
const END_TEXT = -1;

/**
 * Where the leftmost match at or after `from` starts (the start re2js's NFA would report from `from`), found on the
 * DFA: -1 when the DFA cannot say (its cache is full, or the search would cost more than the NFA's), null when there
 * is no match. An NFA search from that start finds the same match as one from `from`, since no match starts between.
 *
 * 1. The unanchored DFA runs from `from` to the first position E where a match ends, keeping its state at each
 *    position: the state at p holds every thread started in [from, p].
 * 2. "Does a match start before p?" is that state at p - 1 run on without starting new threads (anchored) until a
 *    match or until every thread dies. The answer grows with p, and is yes at E: a binary search finds the start.
 */
function leftmostStart(re2: Re2Internals, text: string, from: number): number | null {
  const dfa = re2.dfa as Dfa | undefined;
  if (typeof dfa?.start !== "function" || typeof dfa.step !== "function" || dfa.failed) return -1;
  const input = machineInput(text);
  if (!input) return -1;
  // No match where a literal every match holds is missing (as re2js's own search first asks).
  if (typeof re2.prefilter?.eval === "function" && !re2.prefilter.eval(input, from)) return null;
  const end = input.endPos();
  const classOf = (rune: number) => (rune <= 0xff ? dfa.latin1Class[rune] : dfa.runeClass(rune));
  /** UTF-16 units of the rune read by the last `next` (0: past the end). */
  let width = 0;
  /** The next state on the rune at `at` (or past the end), or null when the DFA gives up. */
  const next = (state: DfaState, at: number, anchor: number): DfaState | null => {
    const r = at < end ? input.step(at) : 0;
    width = r & 7;
    if (width === 0) return dfa.step(state, dfa.numClasses, END_TEXT, anchor);
    const rune = r >> 3;
    const cls = classOf(rune);
    return (anchor === UNANCHORED ? state.next?.[cls] : null) ?? dfa.step(state, cls, rune, anchor);
  };
  // Phase 1, the walk to the first match's end: one tight loop (it reads most of a long text), its states kept in
  // arrays reused from search to search.
  const latin1 = dfa.latin1Class;
  const numClasses = dfa.numClasses;
  let n = 0;
  let state = dfa.start(input, from);
  let at = from;
  for (;;) {
    if (!state) return cleared(n, -1);
    if (n === walkStates.length) growWalk();
    walkPositions[n] = at;
    walkStates[n++] = state;
    const r = at < end ? input.step(at) : 0;
    const w = r & 7;
    let stepped: DfaState | null;
    if (w === 0) stepped = dfa.step(state, numClasses, END_TEXT, UNANCHORED);
    else {
      const rune = r >> 3;
      const cls = rune <= 0xff ? latin1[rune] : dfa.runeClass(rune);
      stepped = state.next?.[cls] ?? dfa.step(state, cls, rune, UNANCHORED);
    }
    if (!stepped) return cleared(n, -1);
    if (stepped.isMatch) break;
    if (w === 0) return cleared(n, null);
    state = stepped;
    at += w;
  }
  const positions = walkPositions;
  const states = walkStates;
  // The anchored runs may read past E (a thread still alive there); past a budget the NFA from `from` is cheaper.
  let budget = 4 * (at - from) + 64;
  /** Whether a thread started before positions[t] (the state at positions[t - 1]) completes a match. */
  const startsBefore = (t: number): boolean | null => {
    let s = states[t - 1] as DfaState;
    let p = positions[t - 1];
    for (;;) {
      if (--budget < 0) return null;
      const stepped = next(s, p, ANCHOR_START);
      if (!stepped) return null;
      if (stepped.isMatch) return true;
      if (width === 0 || stepped.nfaStates.length === 0) return false;
      s = stepped;
      p += width;
    }
  };
  // The smallest t with startsBefore(t): the match starts at positions[t - 1]. startsBefore(positions.length) holds.
  let lo = 1;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const before = startsBefore(mid);
    if (before === null) return cleared(n, -1);
    if (before) hi = mid;
    else lo = mid + 1;
  }
  return cleared(n, positions[lo - 1]);
}

/** `leftmostStart`'s walk: the position and the DFA state at each step, reused (and emptied) by every search. */
let walkPositions = new Int32Array(1024);
let walkStates: (DfaState | null)[] = new Array(1024).fill(null);

function growWalk(): void {
  const positions = new Int32Array(walkPositions.length * 2);
  positions.set(walkPositions);
  walkPositions = positions;
  walkStates = walkStates.concat(new Array(walkStates.length).fill(null));
}

/** Drops the walk's first `n` states (no search keeps another regex's states alive), then returns `result`. */
function cleared<T>(n: number, result: T): T {
  walkStates.fill(null, 0, n);
  // (A walk past 65,536 positions does not keep its arrays.)
  if (walkStates.length > 65_536) {
    walkPositions = new Int32Array(1024);
    walkStates = new Array(1024).fill(null);
  }
  return result;
}

/**
 * `leftmostStart` for a pattern compiled as `compileSafeRegex` compiles it (for tests): the start, null for no match,
 * -1 when the DFA cannot say.
 */
export function dfaMatchStart(source: string, flags: string, text: string, from: number): number | null {
  const parsed = flagBits(flags);
  if ("unknown" in parsed) throw new Error(`unknown regex flag "${parsed.unknown}"`);
  const re2 = RE2JS.compile(RE2JS.translateRegExp(source), parsed.bits).re2() as unknown as Re2Internals;
  const exists = (re2.matchWithGroup(text, from, text.length, UNANCHORED, 0) as [boolean])[0] === true;
  return exists ? leftmostStart(re2, text, from) : null;
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
