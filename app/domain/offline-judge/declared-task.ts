import type { ExerciseTask } from "../exercise";
import { countBound, floorPastCap } from "./count-floor";
import type { RuleReading } from "./instruction";
import { digitsOfWord } from "./number-words";
import { quoteRule, type Reading, type Token, tokenAt } from "./reading";

/**
 * The exercise's declared task (`task:` in its file: an action, the reply's shape, its labels, keys and count)
 * read against the prompt's orders:
 *
 * - the prompt must order that task: an order with the action's verb or one of replying, or a spec of the reply
 *   (a JSON template, the labels, a line template). Naming it in passing orders nothing;
 * - an order for another shape of reply is a change of task: "Reply in a table" where the reply is one JSON object,
 *   "as a JSON array of strings" where it is lines;
 * - a label or key the exercise does not have, written where the reply's labels are ordered, renames or adds one:
 *   "LONG_FUNCTION: ..." where the rules are FUNCTION_LENGTH...; "- assignee: ..." where the keys are owner, task...;
 * - a number of the counted unit the declared count does not allow: "3 sentences" where the answer has at most 2,
 *   "the single most relevant sentence" where the reply holds as many as the question needs.
 *
 * Forbidden, conditional, quoted-as-example and parenthetical words order nothing, as everywhere in the reading.
 */

export type TaskFindingKind = "not-ordered" | "format" | "label" | "key" | "count";

export interface TaskFinding {
  kind: TaskFindingKind;
  /** The line that orders the other thing, quoted (empty for "not-ordered"). */
  evidence: string;
  line: number;
  /** What the line asks for, in the prompt's words. */
  made: string;
}

type Output = ExerciseTask["output"];
type Format =
  | "json"
  | "json-object"
  | "json-array"
  | "json-lines"
  | "table"
  | "csv"
  | "yaml"
  | "xml"
  | "bullets"
  | "paragraphs";

export const OUTPUT_NAMES: Record<Output, string> = {
  label: "one label",
  list: "a comma-separated list",
  lines: "plain lines",
  bullets: "bullets",
  text: "plain text",
  "json-object": "one JSON object",
  "json-array": "a JSON array",
  "json-lines": "JSON Lines (one object a line)",
};

const ALL_JSON: Format[] = ["json", "json-object", "json-array", "json-lines"];
const DOCUMENTS: Format[] = ["table", "csv", "yaml", "xml"];
/** The reply shapes an order may not ask for, per declared output. */
const CONFLICTS: Record<Output, ReadonlySet<Format>> = {
  label: new Set([...ALL_JSON, ...DOCUMENTS, "bullets", "paragraphs"]),
  list: new Set([...ALL_JSON, "table", "yaml", "xml", "bullets", "paragraphs"]),
  lines: new Set([...ALL_JSON, ...DOCUMENTS, "paragraphs"]),
  bullets: new Set([...ALL_JSON, ...DOCUMENTS, "paragraphs"]),
  text: new Set([...ALL_JSON, ...DOCUMENTS]),
  "json-object": new Set(["json-array", "json-lines", ...DOCUMENTS, "bullets", "paragraphs"]),
  "json-array": new Set(["json-object", "json-lines", ...DOCUMENTS, "bullets", "paragraphs"]),
  "json-lines": new Set(["json-array", ...DOCUMENTS, "bullets", "paragraphs"]),
};

/** Verbs that order each action (lemmas), besides the verbs of replying every task shares. */
const ACTION_VERBS: Record<ExerciseTask["action"], string[]> = {
  classify:
    "classify categorise categorize label tag rate sort triage route assign decide determine judge assess mark flag grade identify pick choose".split(
      " ",
    ),
  extract: "extract pull list find parse capture get collect identify turn convert fill".split(" "),
  write: "write draft compose create generate produce craft suggest".split(" "),
  answer: "answer reply respond help tell explain greet".split(" "),
  summarise: "summarise summarize condense compress recap capture write note".split(" "),
  rewrite: "rewrite rephrase reword normalise normalize turn convert reduce strip clean make".split(" "),
  redact: "redact replace mask hide remove substitute anonymise anonymize swap".split(" "),
  select: "select pick choose copy find keep list extract rank rerank call use quote".split(" "),
  review: "review check flag report find audit assess inspect validate verify decide hold approve".split(" "),
};
/** The verbs that order an action's job ("classify", "label", "rate"...). */
export function actionVerbs(action: ExerciseTask["action"]): readonly string[] {
  return ACTION_VERBS[action];
}
const REPLY_VERBS = new Set(
  "reply respond answer return output give print emit produce provide write send open".split(" "),
);
/** Words of a spec of the reply: "LENGTH: <=60 words, 1 paragraph", "FORMAT: OWNER | TASK | DUE", "Summary: 3 bullets". */
const SPEC_WORDS = new Set(
  "word sentence paragraph line bullet label json format length output reply answer response summary description list id task".split(
    " ",
  ),
);

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

interface Scope {
  reading: Reading;
  rules: RuleReading[];
}

/** A token the prompt orders: in an instructing rule, outside conditions, reasons, asides and examples, affirmed. */
function ordered({ reading, rules }: Scope, t: Token, allowQuoted = false): boolean {
  if (t.negated || t.descriptive || t.parenthetical || t.exception || (t.quoted && !allowQuoted)) return false;
  if (rules[t.rule]?.instructs !== true) return false;
  const clause = reading.clauses[t.clause];
  return clause !== undefined && !clause.condition && !clause.reason;
}

const LEAD_INS = new Set("please kindly then now just and also next finally first always only simply so".split(" "));
const OBLIGED = new Set(["must", "should", "shall"]);
const NEEDS = new Set(["need", "needs", "has", "have"]);

/**
 * A clause that orders the reply, not one that tells how things are: an imperative of making or replying ("Answer in
 * five sentences", "Keep it to 3 lines"), a modal ("The answer must be five sentences"), a template, or a fragment in
 * a rule with no verb ("- one paragraph, 60 words max", "LENGTH: ≤3 sentences"; "Some background: our search finds
 * ten clauses" is a statement). "Our search engine has found ten
 * clauses" and "Read all ten clauses" order nothing about the reply.
 */
function ordersReply(reading: Reading, t: Token, verbs: ReadonlySet<string>): boolean {
  const rule = reading.rules[t.rule];
  if (rule.kind === "schema") return true;
  const clause = reading.clauses[spelledOut(reading, t.clause)];
  const words = reading.tokens.slice(clause.from, clause.to).filter(isWord);
  const first = words.find((w) => !LEAD_INS.has(w.lower));
  const imperative = (w: Token | undefined) =>
    w !== undefined && (verbs.has(w.lower) || (verbs.has(w.lemma) && w.lower === w.lemma));
  if (imperative(first)) return true;
  // After a fronted phrase: "From the contract, build a table".
  const verb = reading.tokens.slice(clause.from, clause.to).find((w) => w.pos === "VERB" || w.pos === "AUX");
  if (verb && imperative(verb) && reading.tokens[verb.index - 1]?.text === ",") return true;
  if (words.some((w) => OBLIGED.has(w.lower))) return true;
  if (words.some((w, k) => NEEDS.has(w.lower) && words[k + 1]?.lower === "to")) return true;
  if (specOfReply(words)) return true;
  // "LENGTH: at least 60 words, fully explained": under a heading that names a part of the reply, the rule is its spec
  // whatever verbs it holds.
  if (specHeaded(reading, rule)) return true;
  return !reading.tokens.slice(rule.from, rule.to).some((w) => w.pos === "VERB" || w.pos === "AUX");
}

/** A `LABEL: definition` rule whose label is a part of the reply (LENGTH, FORMAT, OUTPUT), one word before the colon. */
function specHeaded(reading: Reading, rule: Reading["rules"][number]): boolean {
  if (rule.kind !== "notation") return false;
  const [label, colon] = reading.tokens.slice(rule.from, rule.from + 2);
  return colon?.text === ":" && label !== undefined && SPEC_WORDS.has(stem(label.lower));
}

const REPLY_NOUNS = new Set(["reply", "output", "answer", "response"]);
const SPEC_DETERMINERS = new Set(["the", "your", "its", "each", "every"]);
/**
 * A declarative spec of the reply: the reply named as the clause's subject and what it is said to be ("The reply is
 * the two most likely labels", "Your output is one line per review"). The subject opens the clause, after at most a
 * determiner, and "is"/"will be" follows it at once; "the reply that is shown" is not a spec.
 */
function specOfReply(words: readonly Token[]): boolean {
  let k = 0;
  if (SPEC_DETERMINERS.has(words[k]?.lower ?? "")) k++;
  if (!REPLY_NOUNS.has(words[k]?.lower ?? "")) return false;
  const verb = words[k + 1]?.lower;
  return verb === "is" || (verb === "will" && words[k + 2]?.lower === "be");
}

function finding(reading: Reading, kind: TaskFindingKind, t: Token, made: string): TaskFinding {
  const rule = reading.rules[t.rule];
  return { kind, evidence: quoteRule(reading, rule), line: rule.line, made };
}

const prevWords = (reading: Reading, i: number, n: number) => {
  const out: Token[] = [];
  for (let k = i - 1; k >= 0 && out.length < n; k--) {
    const t = reading.tokens[k];
    if (t.rule !== reading.tokens[i].rule || /^[.;:!?]$/.test(t.text)) break;
    if (isWord(t)) out.push(t);
  }
  return out;
};
const nextWord = (reading: Reading, i: number) => {
  for (let k = i + 1; k < reading.tokens.length && reading.tokens[k].rule === reading.tokens[i].rule; k++)
    if (isWord(reading.tokens[k])) return reading.tokens[k];
  return undefined;
};

/** Words before a format that make it a part of the reply, not the reply: "each item a JSON object", "per line". */
const PART_OF = new Set(["each", "every", "per", "inside", "within", "item", "items", "field", "value", "element"]);

/** The reply shape a token names, if any: "JSON array", "a table", "bullet points", "YAML". */
function formatAt(reading: Reading, i: number): { format: Format; span: number } | null {
  const t = reading.tokens[i];
  const next = nextWord(reading, i);
  switch (t.lower) {
    case "json":
      if (next?.lower === "array" || next?.lower === "list") return { format: "json-array", span: 2 };
      if (next?.lower === "object") return { format: "json-object", span: 2 };
      if (next?.lower === "lines" || next?.lower === "line") return { format: "json-lines", span: 2 };
      return { format: "json", span: 1 };
    case "jsonl":
    case "ndjson":
      return { format: "json-lines", span: 1 };
    case "array": {
      const before = prevWords(reading, i, 1)[0];
      return before && ["a", "an", "one", "single"].includes(before.lower) ? { format: "json-array", span: 1 } : null;
    }
    case "object": {
      const before = prevWords(reading, i, 1)[0];
      return before && ["one", "single"].includes(before.lower) ? { format: "json-object", span: 1 } : null;
    }
    case "table": {
      const before = prevWords(reading, i, 1)[0];
      const asThing = before && ["a", "markdown", "one"].includes(before.lower);
      return asThing && !["name", "names", "and", "column", "columns"].includes(next?.lower ?? "")
        ? { format: "table", span: 1 }
        : null;
    }
    case "csv":
      return { format: "csv", span: 1 };
    case "yaml":
      return { format: "yaml", span: 1 };
    case "xml":
      return { format: "xml", span: 1 };
    case "bullet":
    case "bullets":
    case "bulleted":
      return { format: "bullets", span: 1 };
    // Prose where the reply is a label, lines, bullets or JSON: "two short paragraphs", "in a paragraph".
    case "paragraph":
    case "paragraphs":
      return { format: "paragraphs", span: 1 };
    default:
      return null;
  }
}

/** Inside brackets or braces of its rule: a value's shape in a template ("[names, as a JSON array]"). */
function nested(reading: Reading, t: Token): boolean {
  const rule = reading.rules[t.rule];
  let depth = 0;
  for (let i = rule.from; i < t.index; i++) {
    const c = reading.tokens[i].text;
    if (c === "[" || c === "{") depth++;
    else if ((c === "]" || c === "}") && depth > 0) depth--;
  }
  return depth > 0;
}

const LIMIT_VERBS = ["keep", "limit", "cap", "stay", "use", "copy", "pick", "choose", "select", "list", "name", "be"];
const replyVerbsCache = new Map<ExerciseTask["action"], Set<string>>();
/** Verbs whose object is the reply: replying, shaping, the action's own, and limits ("keep it to 3 lines"). */
function replyVerbs(task: ExerciseTask): Set<string> {
  let verbs = replyVerbsCache.get(task.action);
  if (!verbs) {
    verbs = new Set([...SHAPING_VERBS, ...ACTION_VERBS[task.action], ...LIMIT_VERBS]);
    verbs.delete("read");
    replyVerbsCache.set(task.action, verbs);
  }
  return verbs;
}

/** Verbs that ask for the reply in a shape: "Reply in a table", "Format it as YAML", "return a JSON array". */
const SHAPING_VERBS = new Set(
  "reply respond answer return output give print emit produce provide send format structure present wrap write use put list turn convert render lay build make create draft generate compose prepare".split(
    " ",
  ),
);

/**
 * The clause whose order a clause spells out: the one before a colon that ends with what is made ("Write the full
 * email: a greeting, two short paragraphs and a call to action"), else the clause itself.
 */
function spelledOut(reading: Reading, c: number): number {
  const clause = reading.clauses[c];
  const before = reading.tokens[clause.from - 1];
  const previous = reading.clauses[c - 1];
  if (before?.text !== ":" || !previous || previous.rule !== clause.rule || previous.condition) return c;
  const first = reading.tokens.slice(previous.from, previous.to).find(isWord);
  return first && (SHAPING_VERBS.has(first.lemma) || SHAPING_VERBS.has(first.lower)) ? c - 1 : c;
}

/** The shape is what the reply is to be: after a verb of replying or "as"/"in"/"into" in its clause, or notation. */
function askedAsReply(reading: Reading, t: Token): boolean {
  const kind = reading.rules[t.rule].kind;
  if (kind === "notation" || kind === "schema") return true;
  const clause = reading.clauses[spelledOut(reading, t.clause)];
  for (let i = clause.from; i < t.index; i++) {
    const w = reading.tokens[i];
    if (SHAPING_VERBS.has(w.lemma) || SHAPING_VERBS.has(w.lower)) return true;
  }
  const before = prevWords(reading, t.index, 3).map((w) => w.lower);
  return before.some((w) => w === "as" || w === "in" || w === "into");
}

function otherFormat(scope: Scope, task: ExerciseTask): TaskFinding | null {
  const { reading } = scope;
  const conflicts = CONFLICTS[task.output];
  const keys = new Set((task.keys ?? []).map((k) => k.toLowerCase()));
  for (let i = 0; i < reading.tokens.length; i++) {
    const t = reading.tokens[i];
    const found = formatAt(reading, i);
    if (!found || !conflicts.has(found.format) || !ordered(scope, t)) continue;
    if (!ordersReply(reading, t, replyVerbs(task)) || !askedAsReply(reading, t)) continue;
    const last = reading.tokens[Math.min(reading.tokens.length - 1, i + found.span - 1)];
    const after = nextWord(reading, last.index);
    // "one JSON object per line", "a JSON object for each item": a part of the reply.
    if (after && ["per", "for", "inside", "within", "in"].includes(after.lower) && found.format === "json-object")
      continue;
    const before = prevWords(reading, i, 4);
    if (before.some((w) => PART_OF.has(w.lower) || keys.has(w.lower)) || nested(reading, t)) continue;
    return finding(
      reading,
      "format",
      t,
      reading.tokens
        .slice(i, i + found.span)
        .map((w) => w.text)
        .join(" "),
    );
  }
  return null;
}

/** A key holding an array of objects: `{"items": [{"description": ...` */
const WRAPPING_KEY = /"([A-Za-z_][\w-]{0,40})"\s*:\s*\[\s*\{\s*"([A-Za-z_][\w-]{0,40})"\s*:/g;

/**
 * The reply's objects wrapped in another object: `{"items": [{"description": ..., "qty": ...}]}` where the reply is one
 * object a line (or a bare array) of those objects. A key the exercise does not declare, holding an array whose
 * objects open with a declared key, is a wrapper the loader does not read.
 */
function wrappedObjects(scope: Scope, task: ExerciseTask): TaskFinding | null {
  if ((task.output !== "json-lines" && task.output !== "json-array") || !task.keys) return null;
  const { reading } = scope;
  const keys = new Set(task.keys);
  WRAPPING_KEY.lastIndex = 0;
  for (let m = WRAPPING_KEY.exec(reading.text); m; m = WRAPPING_KEY.exec(reading.text)) {
    if (keys.has(m[1]) || !keys.has(m[2])) continue;
    const t = tokenAt(reading, m.index + 1);
    if (t && ordered(scope, t, true)) return finding(reading, "format", t, `an object wrapping them in "${m[1]}"`);
  }
  return null;
}

const UPPER_ID = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;
const SNAKE_KEY = /\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\s*:/g;
const QUOTED_KEY = /"([A-Za-z_][\w-]{0,40})"\s*:/g;
const BARE_KEY = /^[ \t]*(?:[-*•]\s+)?([a-z][a-z0-9_]{1,30})[ \t]*:[ \t]*\S/gm;
/** Capitals that are words of an instruction, not labels: "Reply with JSON ONLY or NONE". */
const CAPITAL_WORDS = new Set("JSON ONLY NOT NO NEVER ALWAYS MUST AND OR IF ID IDS URL API UTC ISO PII".split(" "));

/** Which of the declared names the prompt never writes (as whole words, case as declared for capitals). */
function absentNames(text: string, names: readonly string[]): string[] {
  return names.filter((n) => {
    const flags = n === n.toUpperCase() ? "" : "i";
    return !new RegExp(`(?<![\\w])${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w])`, flags).test(text);
  });
}

/**
 * Another label or key set: half or more of the exercise's labels (or keys) are nowhere in the prompt, and orders write
 * names it does not have (two or more labels). One renamed label among the others kept ("LONG_FUNCTION" beside TODO,
 * SECRET and CONSOLE_LOG) is a wording, left to the requirements; a set in other names is another reply.
 */
function otherLabelOrKey(
  scope: Scope,
  task: ExerciseTask,
  own: Set<string>,
  briefWords: Set<string>,
): TaskFinding | null {
  const { reading } = scope;
  const text = reading.text;
  const labels = new Set(task.labels ?? []);
  const keys = new Set(task.keys ?? []);
  const known = (w: string) => labels.has(w) || keys.has(w) || own.has(w);
  const knownKey = (w: string) => labels.has(w) || keys.has(w) || briefWords.has(w);
  /** The first of at least `least` different names the exercise does not have, each where an order writes it. */
  const hit = (re: RegExp, kind: TaskFindingKind, group = 0, least = 1): TaskFinding | null => {
    re.lastIndex = 0;
    const seen = new Map<string, TaskFinding>();
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const word = m[group];
      if ((kind === "key" ? knownKey(word) : known(word)) || seen.has(word)) continue;
      const t = tokenAt(reading, m.index + m[0].indexOf(word));
      if (t && ordered(scope, t, true)) seen.set(word, finding(reading, kind, t, word));
    }
    return seen.size >= least ? ([...seen.values()][0] ?? null) : null;
  };
  if (task.labels) {
    // Another capitalised label listed beside the exercise's: "SAFETY, OK or UNSURE".
    const added = addedLabel(scope, labels, own);
    if (added) return added;
    // Labels named like the exercise's (CAPITALS_WITH_UNDERSCORES) in place of most of its own.
    const absent = absentNames(text, task.labels);
    if (task.labels.length > 1 && absent.length * 2 >= task.labels.length) {
      const renamed = hit(UPPER_ID, "label", 0, 2);
      if (renamed) return renamed;
    }
  }
  if (task.keys) {
    const absent = absentNames(text, task.keys);
    if (absent.length * 2 >= task.keys.length) {
      const quoted = hit(QUOTED_KEY, "key", 1) ?? hit(SNAKE_KEY, "key", 1);
      if (quoted) return quoted;
      // "- assignee: ...", "- action: ...": a key list in other names.
      BARE_KEY.lastIndex = 0;
      const others: TaskFinding[] = [];
      for (let m = BARE_KEY.exec(text); m; m = BARE_KEY.exec(text)) {
        if (keys.has(m[1])) continue;
        const t = tokenAt(reading, m.index + m[0].indexOf(m[1]));
        if (t && scope.rules[t.rule]?.instructs) others.push(finding(reading, "key", t, m[1]));
      }
      if (others.length >= 2) return others[0];
    }
  }
  return null;
}

/**
 * One of the reply's lines written several times over: "Subject A: <...>", "Subject B: <...>", "Subject C: <...>"
 * where the reply is lines headed by its labels, each once. A template line that opens with a label and a letter or
 * a number, for two or more of them, asks for that many lines of the label: another reply. ("Subject: <...>" twice,
 * with no mark between them, is one line said twice.)
 */
function repeatedLabel(scope: Scope, task: ExerciseTask): TaskFinding | null {
  if (task.output !== "lines" || !task.labels || task.labels.some((l) => l === l.toUpperCase())) return null;
  const { reading } = scope;
  for (const label of task.labels) {
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const re = new RegExp(`^[ \\t]*(?:[-*•][ \\t]*)?(${escaped})[ \\t]+([A-Z]|\\d{1,2})[ \\t]*[:=–-]`, "gm");
    const marks = new Map<string, TaskFinding>();
    for (let m = re.exec(reading.text); m; m = re.exec(reading.text)) {
      const t = tokenAt(reading, m.index + m[0].indexOf(m[1]));
      if (t && ordered(scope, t, true) && !marks.has(m[2]))
        marks.set(m[2], finding(reading, "label", t, `${m[1]} ${m[2]}`));
    }
    if (marks.size >= 2) return [...marks.values()][1] ?? null;
  }
  return null;
}

const LIST_JOINS = new Set(["or", ",", "|", "/", "and"]);

function addedLabel(scope: Scope, labels: Set<string>, own: Set<string>): TaskFinding | null {
  const { reading } = scope;
  const upper = [...labels].every((l) => l === l.toUpperCase());
  if (!upper) return null;
  for (const t of reading.tokens) {
    if (!labels.has(t.text) || !ordered(scope, t, true)) continue;
    for (const step of [-2, 2]) {
      const join = reading.tokens[t.index + step / 2];
      const other = reading.tokens[t.index + step];
      if (!join || !other || other.rule !== t.rule || !LIST_JOINS.has(join.text.toLowerCase())) continue;
      const w = other.text;
      if (w.length < 2 || w !== w.toUpperCase() || !/^[A-Z]+$/.test(w)) continue;
      // "FX_RATE" is split by the tokenizer: a part of an identifier is no label.
      if (reading.text[other.start - 1] === "_" || reading.text[other.end] === "_") continue;
      if (labels.has(w) || own.has(w) || CAPITAL_WORDS.has(w) || !ordered(scope, other, true)) continue;
      return finding(reading, "label", other, w);
    }
  }
  return null;
}

const SMALL_NUMBER = /^\d{1,4}$/;

/** A word that is a number: "3", "three", "single". */
function numberOf(t: Token): number | null {
  if (SMALL_NUMBER.test(t.text)) return Number(t.text);
  if (t.lower === "single" || t.lower === "a single") return 1;
  const digits = digitsOfWord(t.lower);
  return digits === null ? null : Number(digits);
}

/** A word reduced for matching across number: "sentences" → "sentence", "replies" → "reply". */
function stem(word: string): string {
  const w = word.toLowerCase();
  if (w.length > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  return w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w;
}
/** What joins a unit to the thing it is laid out by: "one sentence for each item", "one label a line". */
const LAYOUT_LINKS = new Set(["for", "a", "an", "to", "on", "in", "of"]);
const BOUNDS_BELOW = new Set(["fewer", "less", "under", "below", "than"]);

const EVERY = new Set(["all", "every", "each"]);
const APPLIES = new Set(["apply", "applies", "fit", "fits", "match", "matches", "applicable", "relevant"]);

/**
 * "Output all tags that apply", "list every label that fits": as many as apply, where the reply holds exactly one.
 * "all", "every" or "each" ordered, then within four words "that" / "which" and a verb of fitting.
 */
function everyThatApplies(scope: Scope, task: ExerciseTask): TaskFinding | null {
  const { reading } = scope;
  const tokens = reading.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (!EVERY.has(tokens[i].lower) || !ordered(scope, tokens[i])) continue;
    if (!ordersReply(reading, tokens[i], replyVerbs(task))) continue;
    for (let k = i + 1; k < Math.min(tokens.length - 1, i + 5) && tokens[k].rule === tokens[i].rule; k++) {
      if (!["that", "which"].includes(tokens[k].lower) || !APPLIES.has(tokens[k + 1].lower)) continue;
      return finding(reading, "count", tokens[i], wordsOf(tokens, i, k + 2));
    }
  }
  return null;
}

/** Words that set a floor before a bare number: "at least three", "a minimum of three", "no fewer than three". */
function floorBefore(tokens: Token[], i: number): boolean {
  return countBound(tokens, i, i) === "floor" && !["+", "plus", "or"].includes(tokens[i + 1]?.lower ?? "");
}

/**
 * A floor said after its unit, the unit left out after the number: "in bullets, at least three and more if needed",
 * "Bullets: at least 3", "bullets: no fewer than 3". The unit ordered in the reply, then within a punctuation mark a
 * floor at or past the cap with no unit of its own after the number ("bullets, at least three words each" bounds words).
 */
function floorAfterUnit(scope: Scope, task: ExerciseTask, units: string[][]): TaskFinding | null {
  const max = task.count?.max;
  if (max === undefined) return null;
  const { reading } = scope;
  const tokens = reading.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const n = numberOf(tokens[i]);
    const t = tokens[i];
    if (n === null || n < max || t.negated || t.quoted || t.parenthetical || !floorBefore(tokens, i)) continue;
    const next = tokens[i + 1];
    if (next && next.rule === t.rule && isWord(next) && (next.pos === "NOUN" || next.pos === "PROPN")) continue;
    const clause = reading.clauses[t.clause];
    if (!clause || clause.condition || clause.reason) continue;
    // Back over the words before the number ("at least", "a minimum of") to the mark that follows the unit.
    let k = i - 1;
    while (k >= 0 && tokens[k].rule === t.rule && isWord(tokens[k])) k--;
    if (k < 1 || tokens[k].rule !== t.rule || !/^[,:(–—-]$/.test(tokens[k].text)) continue;
    const unitToken = tokens[k - 1];
    if (!units.some((u) => u[u.length - 1] === stem(unitToken.lower))) continue;
    if (!ordered(scope, unitToken) || !ordersReply(reading, unitToken, replyVerbs(task))) continue;
    return finding(reading, "count", t, `${unitToken.text}, at least ${n}`);
  }
  return null;
}

function otherCount(scope: Scope, task: ExerciseTask): TaskFinding | null {
  const count = task.count;
  if (!count) return null;
  const floor = floorAfterUnit(
    scope,
    task,
    count.unit.map((u) => u.toLowerCase().split(/\s+/).map(stem)),
  );
  if (floor) return floor;
  if (count.exactly === 1) {
    const every = everyThatApplies(scope, task);
    if (every) return every;
  }
  const { reading } = scope;
  const units = count.unit.map((u) => u.toLowerCase().split(/\s+/).map(stem));
  const tokens = reading.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const n = numberOf(tokens[i]);
    // "Zero relevant sentences: write NONE" names the empty case, not a count.
    if (n === null || n === 0 || !ordered(scope, tokens[i]) || !ordersReply(reading, tokens[i], replyVerbs(task)))
      continue;
    // Up to three describing words between the number and the unit: "3 short email subject lines" ("60+ words").
    let k = tokens[i + 1]?.text === "+" ? i + 2 : i + 1;
    let between = 0;
    while (k < tokens.length && between < 3 && tokens[k].rule === tokens[i].rule) {
      const t = tokens[k];
      if (units.some((u) => u[u.length - 1] === stem(t.lower))) break;
      if (!isWord(t) || !["ADJ", "ADV", "NOUN", "PROPN"].includes(t.pos) || numberOf(t) !== null) {
        k = tokens.length;
        break;
      }
      between++;
      k++;
    }
    const unitToken = tokens[k];
    if (!unitToken || unitToken.rule !== tokens[i].rule) continue;
    const unit = units.find((u) => u[u.length - 1] === stem(unitToken.lower));
    if (!unit) continue;
    // A unit of more words must be whole before its head: "subject line", not "product line".
    if (unit.length > 1 && unit.slice(0, -1).some((w, j) => stem(tokens[k - unit.length + 1 + j]?.lower ?? "") !== w))
      continue;
    // A floor at or past the cap is the limit made a minimum: "at least 60 words" where the reply has at most 60, "at
    // least 60 words per answer" too.
    const bound = countBound(tokens, i, k);
    if (floorPastCap(bound, n, count.max))
      return finding(reading, "count", tokens[i], `at least ${n} ${tokens[k].text}`);
    // "one sentence per line", "one line each", "one line for each review": a layout, not how many ("60 words so
    // each answer feels complete" is a count).
    const after = nextWord(reading, k);
    const then = after ? nextWord(reading, after.index) : undefined;
    if (
      after &&
      (["per", "each"].includes(after.lower) ||
        (LAYOUT_LINKS.has(after.lower) && ["each", "every", "line"].includes(then?.lower ?? "")))
    )
      continue;
    const before = prevWords(reading, i, 2).map((w) => w.lower);
    if (before.some((w) => BOUNDS_BELOW.has(w))) continue;
    // As many as the declared labels, of the labels: the closed set named ("one of the five queues", "there are five
    // labels"), not how many the reply holds.
    if (task.labels && n >= 2 && n === task.labels.length && n !== count.exactly && n !== count.max) continue;
    const wrong =
      count.exactly !== undefined
        ? n !== count.exactly && !before.includes("most") && !before.includes("to")
        : count.max !== undefined
          ? n > count.max
          : !before.includes("least");
    if (wrong) return finding(reading, "count", tokens[i], wordsOf(tokens, i, k + 1));
  }
  return null;
}

/** Whether some order asks for the task: its action or a reply, or a spec of the reply (a JSON template, the labels). */
function ordersTask(scope: Scope, task: ExerciseTask): boolean {
  const { reading, rules } = scope;
  const verbs = new Set([...ACTION_VERBS[task.action], ...REPLY_VERBS]);
  const labels = new Set(task.labels ?? []);
  const keys = new Set(task.keys ?? []);
  for (const rule of reading.rules) {
    if (rules[rule.index]?.instructs !== true) continue;
    if (rule.kind === "schema" && task.output.startsWith("json")) return true;
    for (let i = rule.from; i < rule.to; i++) {
      const t = reading.tokens[i];
      if (!ordered(scope, t, true)) continue;
      if (verbs.has(t.lemma) || verbs.has(t.lower) || SPEC_WORDS.has(t.lemma) || SPEC_WORDS.has(stem(t.lower)))
        return true;
      if (labels.has(t.text) || keys.has(t.text)) return true;
    }
  }
  return false;
}

/**
 * What the prompt does to the declared task: first whether it orders it at all, then the first change of its reply's
 * shape, labels or keys, or count. `own` holds the exercise's own words as written (brief, reference solution,
 * requirements), so a label or key they use is never read as another. `briefWords`, when given, holds the words of
 * the brief and the reference alone: a quoted key is another key unless the learner could have read it there (the
 * requirements' phrase lists hold synonyms, "assignee" for owner, which name the concept, never the key).
 */
export function checkDeclaredTask(
  reading: Reading,
  rules: RuleReading[],
  task: ExerciseTask | undefined,
  own: Set<string>,
  briefWords: Set<string> = own,
): TaskFinding | null {
  if (!task) return null;
  const scope = { reading, rules };
  if (!ordersTask(scope, task)) return { kind: "not-ordered", evidence: "", line: 0, made: "" };
  return (
    otherFormat(scope, task) ??
    wrappedObjects(scope, task) ??
    otherLabelOrKey(scope, task, own, briefWords) ??
    repeatedLabel(scope, task) ??
    otherCount(scope, task)
  );
}

/** The exercise's words as written (for labels and keys): "FUNCTION_LENGTH", "needs_review", "Subject". */
export function ownWords(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const text of texts) for (const w of text.match(/[\p{L}\p{N}_]+/gu) ?? []) out.add(w);
  return out;
}

/** The failure line for a finding, in the brief's terms. */
export function describeTaskFinding(f: TaskFinding, task: ExerciseTask): string {
  const reply = OUTPUT_NAMES[task.output];
  switch (f.kind) {
    case "not-ordered":
      return `no line orders this exercise's task (${task.action}, replying with ${reply}); naming its rules is not asking for it.`;
    case "format":
      return `line ${f.line} asks for ${f.made} ("${f.evidence}"), but the reply must be ${reply}.`;
    case "label":
      return `line ${f.line} uses the label ${f.made} ("${f.evidence}"), which this exercise's reply does not have.`;
    case "key":
      return `line ${f.line} names the key ${f.made} ("${f.evidence}"), which this exercise's reply does not have.`;
    case "count": {
      const c = task.count;
      const allowed =
        c?.exactly !== undefined
          ? `exactly ${c.exactly}`
          : c?.max !== undefined
            ? `at most ${c.max}`
            : "as many as the input needs";
      return `line ${f.line} asks for ${f.made} ("${f.evidence}"), but the reply holds ${allowed}.`;
    }
  }
}

/** The words of tokens [from, to) as written, joined by spaces: what a finding quotes. */
function wordsOf(tokens: readonly Token[], from: number, to: number): string {
  return tokens
    .slice(from, to)
    .map((t) => t.text)
    .join(" ");
}
