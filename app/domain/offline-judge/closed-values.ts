import type { ExerciseTask } from "../exercise";
import { quoteRule, type Reading, type Token, tokenAt } from "./reading";

/**
 * A closed set of values opened: the reply's values are a list the exercise declares, and an order adds to it.
 *
 *     sentiment ∈ {very_negative, negative, neutral, positive, very_positive}      (a value added to a key's list)
 *     "wants": "refund|replacement|exchange|info"                                   (one added, one dropped)
 *     Whenever a key has no clear match, including sentiment, use "other".          (another key's value given to it)
 *     Also replace any other detail you consider personal with [REDACTED].          (a token the set does not have)
 *
 * The sets are what the exercise declares: each key's list of values as its reference solution writes it
 * (`"sentiment": "negative"|"neutral"|"positive"`), and `task.labels` where the reference writes them as tokens in
 * brackets (`[EMAIL]`). "Use only these values", "never other for sentiment", "other only for product", "null if
 * unknown" and a list in an aside or an example add nothing.
 */

export interface OpenedSet {
  line: number;
  evidence: string;
  /** The value added, as the prompt writes it. */
  made: string;
  /** The key whose list it is added to, or "" for the reply's labels. */
  key: string;
}

export interface ClosedSets {
  /** Per key, its values in lower case. */
  values: Map<string, Set<string>>;
  /** Labels the reply writes as bracketed tokens ("EMAIL" for "[EMAIL]"), or null. */
  bracketed: Set<string> | null;
  /** Keys whose values are true|false (`"churn_risk": true|false`). */
  booleans?: Set<string>;
  /** The task's labels, where it declares two or more: the reply picks one of them. */
  labels?: Set<string>;
}

/** A value as a list writes it; a word followed by ":" is the next key, not a value. */
const ITEM = String.raw`["“']?[A-Za-z][\w-]*(?![\w-])["”']?(?!["”']?\s*:)`;
const SEP = String.raw`\s*(?:\||/|,(?:\s*\bor\b)?|\bor\b)\s*`;
/** The reference's template notation: `"sentiment": "negative"|"neutral"|"positive"`. */
const TEMPLATE_LIST = new RegExp(String.raw`"([a-z][a-z0-9_]*)"\s*:\s*(${ITEM}(?:\s*\|\s*${ITEM})+)`, "g");
/** Not values of a list: the empty value and booleans are the JSON's, not a label set's. */
const NOT_VALUES = new Set(["null", "none", "true", "false", "string", "number", "or", "and"]);

/**
 * A list's values in lower case. In prose the item after "or" is the last: "negative, neutral or positive, always".
 * Words that are no value of a closed set (null, none, true, false, type names, or, and) are left out unless `every`.
 */
export function listValues(list: string, every = false): string[] {
  const parts = list.split(/(\s*(?:\||\/|,(?:\s*\bor\b)?|\bor\b)\s*)/);
  const out: string[] = [];
  // One list keeps one kind of separator: "calm|angry|other, channel ..." ends at the comma.
  const kind = (sep: string) => (/[|]/.test(sep) ? "|" : /\//.test(sep) ? "/" : ",");
  for (let k = 0; k < parts.length; k += 2) {
    if (k > 0 && kind(parts[k - 1]) !== kind(parts[1])) break;
    const v = parts[k].replace(/["“”']/g, "").toLowerCase();
    if (v && (every || !NOT_VALUES.has(v))) out.push(v);
    if (k > 0 && /\bor\b/.test(parts[k - 1])) break;
  }
  return out;
}

/** The closed sets an exercise declares (read once per exercise). */
export function closedSets(task: ExerciseTask | undefined, reference: string): ClosedSets {
  const values = new Map<string, Set<string>>();
  const booleans = new Set<string>();
  const keys = new Set(task?.keys ?? []);
  TEMPLATE_LIST.lastIndex = 0;
  for (let m = TEMPLATE_LIST.exec(reference); m; m = TEMPLATE_LIST.exec(reference)) {
    const list = listValues(m[2]);
    if (keys.has(m[1]) && list.length >= 2) values.set(m[1], new Set(list));
    const every = listValues(m[2], true);
    if (keys.has(m[1]) && every.length === 2 && every.includes("true") && every.includes("false")) booleans.add(m[1]);
  }
  const labels = task?.labels ?? [];
  const inBrackets = labels.filter((l) => reference.includes(`[${l}]`));
  return {
    values,
    bracketed: inBrackets.length >= 2 ? new Set(labels) : null,
    booleans,
    labels: labels.length >= 2 ? new Set(labels) : undefined,
  };
}

/** Negations that forbid what follows in the clause: "never other for sentiment", "no new values". */
const FORBIDDING = new Set("no not never without don't dont n't nor avoid".split(" "));

/** A value the prompt writes as an order: in an ordering rule, affirmed, not in an aside, an example or a condition. */
function ordered(
  reading: Reading,
  orders: (rule: number) => boolean,
  t: Token | undefined,
  inList = false,
): t is Token {
  if (!t || t.negated || (t.parenthetical && !inList) || t.exception || !orders(t.rule)) return false;
  const clause = reading.clauses[t.clause];
  if (!clause || clause.condition || clause.reason) return false;
  for (let i = clause.from; i < t.index; i++) if (FORBIDDING.has(reading.tokens[i].lower)) return false;
  return true;
}

function found(reading: Reading, t: Token, made: string, key: string): OpenedSet {
  const rule = reading.rules[t.rule];
  return { line: rule.line, evidence: quoteRule(reading, rule), made, key };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A key's list written with a value it does not have: `sentiment ∈ {very_negative, negative, ...}`. */
function extendedList(reading: Reading, orders: (rule: number) => boolean, sets: ClosedSets): OpenedSet | null {
  for (const [key, allowed] of sets.values) {
    const re = new RegExp(
      String.raw`\b${escapeRegex(key)}\b["”']?\s*(?::|=|∈|\bis\b|\bas\b|\bin\b|\bto\b|\bbe\b)?\s*(?:(?:one\s+of|either)\s*)?[{(\[]?\s*(${ITEM}(?:${SEP}${ITEM})+)`,
      "gi",
    );
    for (let m = re.exec(reading.text); m; m = re.exec(reading.text)) {
      const list = listValues(m[1]);
      const known = list.filter((v) => allowed.has(v));
      if (known.length < 2) continue;
      const offset = m.index + m[0].length - m[1].length;
      // "sentiment (negative, neutral, positive, or other ...)": the brackets hold the key's list, not an aside.
      const bracketed = /[({[]\s*$/.test(reading.text.slice(m.index, offset));
      for (const v of list) {
        if (allowed.has(v)) continue;
        const at = reading.text.toLowerCase().indexOf(v, offset);
        const t = tokenAt(reading, at);
        if (ordered(reading, orders, t, bracketed)) return found(reading, t, v, key);
      }
    }
  }
  return null;
}

const BOOLEAN_WORDS = new Set(["true", "false", "yes", "no", "boolean", "bool", "null"]);

/** A true|false key written with a list of other values: `"churn_risk": "low|medium|high"`. */
function unbooleanList(reading: Reading, orders: (rule: number) => boolean, sets: ClosedSets): OpenedSet | null {
  for (const key of sets.booleans ?? []) {
    const re = new RegExp(
      String.raw`\b${escapeRegex(key)}\b["”']?\s*(?::|=|∈|\bis\b|\bas\b)\s*(?:(?:one\s+of|either)\s*)?[{(\[]?\s*(${ITEM}(?:${SEP}${ITEM})+)`,
      "gi",
    );
    for (let m = re.exec(reading.text); m; m = re.exec(reading.text)) {
      const list = listValues(m[1], true);
      if (list.length < 2 || list.some((v) => BOOLEAN_WORDS.has(v))) continue;
      const offset = m.index + m[0].length - m[1].length;
      const t = tokenAt(reading, reading.text.toLowerCase().indexOf(list[0], offset));
      // "churn_risk: cancel, leave or switch -> true" lists the cases of true, not values.
      const rule = t && reading.rules[t.rule];
      if (!rule || reading.tokens.slice(rule.from, rule.to).some((w) => BOOLEAN_WORDS.has(w.lower))) continue;
      if (ordered(reading, orders, t, true)) return found(reading, t, list.join("|"), key);
    }
  }
  return null;
}

/** Words after which a value is what is written: "use other", "set it to other", "sentiment: other". */
const VALUE_SLOTS = new Set([
  "use",
  "choose",
  "pick",
  "set",
  "answer",
  "return",
  "write",
  "be",
  "is",
  "as",
  "to",
  ":",
  "=",
]);

/** A value of some key's list given to a key whose list does not have it: "including sentiment, use "other"". */
function borrowedValue(reading: Reading, orders: (rule: number) => boolean, sets: ClosedSets): OpenedSet | null {
  if (sets.values.size < 2) return null;
  const owners = new Map<string, Set<string>>();
  for (const [key, values] of sets.values) for (const v of values) owners.set(v, (owners.get(v) ?? new Set()).add(key));
  const { tokens } = reading;
  for (const t of tokens) {
    const keys = owners.get(t.lower);
    if (!keys || !ordered(reading, orders, t)) continue;
    const prev = tokens[t.index - 1]?.quoted && t.quoted ? tokens[t.index - 2] : tokens[t.index - 1];
    const slot = t.quoted || (prev !== undefined && VALUE_SLOTS.has(prev.lower));
    const next = tokens[t.index + 1];
    if (!slot || (next && next.rule === t.rule && next.pos === "NOUN")) continue;
    // The keys the value's rule names: one whose list has it makes the order that key's.
    const rule = reading.rules[t.rule];
    const named = new Set<string>();
    let affirmedOther: Token | null = null;
    for (let i = rule.from; i < rule.to; i++) {
      const w = tokens[i];
      if (!sets.values.has(w.lower)) continue;
      named.add(w.lower);
      if (!keys.has(w.lower) && !w.negated && !w.parenthetical) affirmedOther ??= w;
    }
    if (affirmedOther && [...named].every((k) => !keys.has(k))) return found(reading, t, t.lower, affirmedOther.lower);
    // "When nothing fits product, topic or sentiment, use other": a key without the value in one list with keys that
    // have it is given it too.
    const listed = listedBeside(reading, rule.from, rule.to, sets, keys);
    if (listed) return found(reading, t, t.lower, listed.lower);
  }
  return null;
}

/** Verbs that give a key its value: "use mixed when ...", "choose unclear if ...". */
const GIVING_KEY = new Set(["use", "choose", "pick", "return", "write", "output", "answer", "put", "give"]);
/** What says the case a value is given for, right after it. */
const CASE_OPENERS = new Set(["when", "if", "whenever", "where", "for", "unless"]);

/**
 * A value given to a case in the key's own line, outside its list: "- sentiment: negative, neutral or positive; use
 * mixed when the ticket is both". The line opens with the key; the value follows a verb of giving and is followed by
 * the case it is for. "use neutral when mixed" gives a listed value; "use lowercase" names no case.
 */
function valueInKeyLine(reading: Reading, orders: (rule: number) => boolean, sets: ClosedSets): OpenedSet | null {
  const { tokens } = reading;
  for (const rule of reading.rules) {
    const words = tokens.slice(rule.from, Math.min(rule.to, rule.from + 4)).filter((t) => /[\p{L}]/u.test(t.text));
    const key = words[0];
    const allowed = key && sets.values.get(key.lower);
    if (!key || !allowed || ![":", "=", "∈"].includes(tokens[key.index + 1]?.text ?? "")) continue;
    for (let i = key.index + 2; i < rule.to - 1; i++) {
      const t = tokens[i];
      const value = t.lower.replace(/["“”']/g, "");
      if (!GIVING_KEY.has(tokens[i - 1].lemma) && !GIVING_KEY.has(tokens[i - 1].lower)) continue;
      if (!/^[a-z][a-z_-]+$/.test(value) || !["ADJ", "NOUN", "PROPN", "X", "VERB"].includes(t.pos)) continue;
      if (allowed.has(value) || NOT_VALUES.has(value) || sets.values.has(value)) continue;
      if (!CASE_OPENERS.has(tokens[i + 1].lower) || !ordered(reading, orders, t)) continue;
      return found(reading, t, value, key.lower);
    }
  }
  return null;
}

const LIST_GLUE = new Set([",", "or", "and", "/", "&"]);

/** A key lacking the value, affirmed, joined by commas or "or" to a key that has it: "product, topic or sentiment". */
function listedBeside(
  reading: Reading,
  from: number,
  to: number,
  sets: ClosedSets,
  keys: ReadonlySet<string>,
): Token | null {
  const { tokens } = reading;
  for (let i = from; i < to; i++) {
    const w = tokens[i];
    if (!sets.values.has(w.lower) || keys.has(w.lower) || w.parenthetical) continue;
    // "nothing fits ... sentiment" is the situation the value is for, not a key refused.
    if (w.negated && !reading.clauses[w.clause]?.condition) continue;
    for (const step of [-1, 1]) {
      let k = i + step;
      while (k >= from && k < to && LIST_GLUE.has(tokens[k].lower)) k += step;
      if (k !== i + step && keys.has(tokens[k]?.lower ?? "")) return w;
    }
  }
  return null;
}

/** A bracketed token the reply's labels do not have: "[REDACTED]" beside [EMAIL], [PHONE]... */
function addedToken(
  reading: Reading,
  orders: (rule: number) => boolean,
  sets: ClosedSets,
  own: ReadonlySet<string>,
): OpenedSet | null {
  if (!sets.bracketed) return null;
  const bracketed = sets.bracketed;
  const re = /\[([A-Z][A-Z0-9_]{1,30})\]/g;
  for (let m = re.exec(reading.text); m; m = re.exec(reading.text)) {
    if (bracketed.has(m[1])) continue;
    const t = tokenAt(reading, m.index + 1);
    // A word of the exercise ("PII") is no coined token, unless it is written as one more row of a table of the
    // declared tokens: "| email address | [EMAIL] |" ... "| any other personal detail | [PII] |".
    if (own.has(m[1]) && !(t && amongTokenRows(reading, t.rule, bracketed))) continue;
    if (ordered(reading, orders, t)) return found(reading, t, `[${m[1]}]`, "");
  }
  return null;
}

/** Rule `rule` is a row of notation beside another row that holds a declared bracketed token. */
function amongTokenRows(reading: Reading, rule: number, bracketed: ReadonlySet<string>): boolean {
  const row = reading.rules[rule];
  if (row?.kind !== "notation") return false;
  const holdsDeclared = (r: number) => {
    const other = reading.rules[r];
    if (other?.kind !== "notation") return false;
    const text = reading.text.slice(other.start, other.end);
    for (const m of text.matchAll(/\[([A-Z][A-Z0-9_]{1,30})\]/g)) if (bracketed.has(m[1])) return true;
    return false;
  };
  return holdsDeclared(rule - 1) || holdsDeclared(rule + 1);
}

/** Verbs that give the reply's value: "answer MULTIPLE", "reply with PARTIAL", "output NEEDS_REVIEW". */
const GIVING = new Set(["answer", "reply", "respond", "output", "return", "say", "write", "label", "mark", "use"]);
/** Capitals that name a format or a unit, not a label: "reply in JSON", "output CSV". */
const NOT_LABELS = new Set(
  "JSON CSV YAML XML HTML ISO URL ID IDS PII UTC EUR USD GBP ONE TWO THREE ONLY JUST EXACTLY NOT NEVER NO NOTHING ALWAYS FORMAT".split(
    " ",
  ),
);
/** After a coined label, the clause goes on to a condition or ends; "ONE word" is emphasis of the words after it. */
const AFTER_LABEL = new Set(["if", "when", "or", "and", "for", "instead", "only", "otherwise", "unless", "whenever"]);

/**
 * A label coined beside the task's closed set of labels: "If two causes are supported, answer MULTIPLE" where the reply
 * is one of five causes or UNKNOWN. A token written as the labels are (capitals, digits, underscores) given as the
 * value of an order, that is neither a label nor a word of the exercise.
 */
function coinedLabel(
  reading: Reading,
  orders: (rule: number) => boolean,
  sets: ClosedSets,
  own: ReadonlySet<string>,
): OpenedSet | null {
  const labels = sets.labels;
  if (!labels) return null;
  const tokens = reading.tokens;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    // The whole identifier as written ("NEEDS_REVIEW" is read in three tokens), from its first letter.
    const word = /^[A-Z][A-Z0-9_]{2,}(?![\w])/.exec(reading.text.slice(t.start, t.start + 60))?.[0];
    const glued = tokens[i - 1].end === t.start && /[\w]$/.test(tokens[i - 1].text);
    if (!word || glued || labels.has(word) || own.has(word) || NOT_LABELS.has(word)) continue;
    let after = i + 1;
    while (after < tokens.length && tokens[after].start < t.start + word.length) after++;
    // The order's verb right before it, or with "with" / "only" / "just" / a quote between.
    let k = i - 1;
    while (
      k > 0 &&
      i - k <= 2 &&
      (["with", "only", "just", "exactly"].includes(tokens[k].lower) || /^["'`“]$/.test(tokens[k].text))
    )
      k--;
    // The order's verb in lower case: "ANSWER FORMAT:" is a heading.
    if (!GIVING.has(tokens[k].lower) || tokens[k].text === tokens[k].text.toUpperCase() || tokens[k].rule !== t.rule)
      continue;
    const next = tokens[after];
    if (next && /^\p{Ll}+$/u.test(next.text) && !AFTER_LABEL.has(next.lower)) continue;
    if (ordered(reading, orders, t)) return found(reading, t, word, "");
  }
  return null;
}

/** The first order that opens one of the exercise's closed sets, if any. */
export function findOpenedSet(
  reading: Reading,
  orders: (rule: number) => boolean,
  sets: ClosedSets,
  own: ReadonlySet<string>,
): OpenedSet | null {
  return (
    extendedList(reading, orders, sets) ??
    unbooleanList(reading, orders, sets) ??
    borrowedValue(reading, orders, sets) ??
    valueInKeyLine(reading, orders, sets) ??
    addedToken(reading, orders, sets, own) ??
    coinedLabel(reading, orders, sets, own)
  );
}

/** The failure line, in the brief's terms. */
export function describeOpenedSet(f: OpenedSet): string {
  return f.key
    ? `line ${f.line} gives ${f.key} the value ${f.made} ("${f.evidence}"), which is not in its closed list.`
    : `line ${f.line} adds the token ${f.made} ("${f.evidence}"), which this exercise's reply does not have.`;
}
