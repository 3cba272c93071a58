import { type ClosedSets, listValues } from "./closed-values";
import { quoteRule, type Reading, type Token, tokenAt } from "./reading";

/**
 * A closed list written out short: the exercise declares each key's values (its reference solution's
 * `"product": "app"|"web"|"billing"|"api"|"other"`), and the prompt writes that key's list without one of them and
 * never gives the value to the key anywhere else:
 *
 *     product: app | web | billing | api                       (other dropped: a ticket about no area has no value)
 *     topic: bug | ... | other (other if nothing fits)         (other given to topic alone)
 *
 * The value counts as given to the key when it is written outside the other keys' lists, as a value (not "other
 * values", "no other text"), in a sentence that names that key or names no key at all: "product: app, web, billing,
 * api; other when nothing fits", "If nothing fits a field, use other". The other keys' own lists, and sentences about
 * other keys only ("topic is other when none fits"), do not give it.
 */

export interface NarrowedList {
  line: number;
  evidence: string;
  key: string;
  /** The declared values the list leaves out. */
  missing: string[];
}

/** A value as a list writes it; a word followed by ":" is the next key, not a value. */
const ITEM = String.raw`["“']?[A-Za-z][\w-]*(?![\w-])["”']?(?!["”']?\s*:)`;
const SEP = String.raw`\s*(?:\||\/|,|\bor\b)\s*`;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Written {
  key: string;
  from: number;
  to: number;
  values: string[];
  /** The list's first value's token. */
  at: Token | undefined;
}

/** Every key's list as the prompt writes it: the key, then two or more of its values. */
function writtenLists(reading: Reading, sets: ClosedSets): Written[] {
  const out: Written[] = [];
  // Asides blanked out, offsets kept: "damaged / missing (never arrived) / wrong_item" is one list.
  const text = reading.text.replace(/\([^()\n]*\)/g, (m) => " ".repeat(m.length));
  for (const [key, allowed] of sets.values) {
    const re = new RegExp(
      String.raw`\b${escapeRegex(key)}\b["”']?\s*(?::|=|∈|\bis\b|\bas\b|\bin\b|\bto\b|\bbe\b)?\s*(?:(?:one\s+of|either)\s*)?[{(\[]?\s*(${ITEM}(?:${SEP}${ITEM})+)`,
      "gi",
    );
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const values = listValues(m[1], true);
      if (values.filter((v) => allowed.has(v)).length < 2) continue;
      const from = m.index + m[0].length - m[1].length;
      out.push({ key, from, to: m.index + m[0].length, values, at: tokenAt(reading, from) });
    }
  }
  return out;
}

/** The keys a token's rule (its sentence or line) names, as written or with spaces for underscores. */
function keysNamed(reading: Reading, t: Token, keys: readonly string[]): Set<string> {
  const rule = reading.rules[t.rule];
  const text = reading.text.slice(rule.start, rule.end).toLowerCase().replace(/_/g, " ");
  return new Set(keys.filter((k) => new RegExp(String.raw`\b${escapeRegex(k.replace(/_/g, " "))}\b`).test(text)));
}

/** Whether the value is given to the key somewhere outside the other keys' lists. */
function givenElsewhere(reading: Reading, key: string, value: string, lists: Written[], keys: string[]): boolean {
  for (const t of reading.tokens) {
    if (t.lower !== value) continue;
    const at = t.start;
    if (lists.some((l) => l.key !== key && at >= l.from && at < l.to)) continue;
    // "no other values", "other keys": the word, not the value.
    const next = reading.tokens[t.index + 1];
    if (!t.quoted && next && next.rule === t.rule && next.pos === "NOUN") continue;
    const named = keysNamed(reading, t, keys);
    if (named.size === 0 || named.has(key)) return true;
  }
  return false;
}

/** The first key's list the prompt writes without a declared value it never gives that key elsewhere. */
export function findNarrowedList(
  reading: Reading,
  orders: (rule: number) => boolean,
  sets: ClosedSets,
): NarrowedList | null {
  if (sets.values.size === 0) return null;
  const lists = writtenLists(reading, sets);
  const keys = [...sets.values.keys()];
  for (const l of lists) {
    const t = l.at;
    if (!t || t.negated || t.parenthetical || t.exception || !orders(t.rule)) continue;
    const allowed = sets.values.get(l.key) ?? new Set<string>();
    // A list with a value the key does not have is another finding (closed-values.ts): an opened set.
    if (l.values.some((v) => !allowed.has(v))) continue;
    // The same key's list written whole elsewhere ("product: app | web ..." after a prose "app, web or billing").
    if (lists.some((o) => o.key === l.key && [...allowed].every((v) => o.values.includes(v)))) continue;
    const missing = [...allowed].filter(
      (v) => !l.values.includes(v) && !givenElsewhere(reading, l.key, v, lists, keys),
    );
    if (missing.length === 0) continue;
    const rule = reading.rules[t.rule];
    return { line: rule.line, evidence: quoteRule(reading, rule), key: l.key, missing };
  }
  return null;
}

/** The failure line, in the brief's terms. */
export function describeNarrowedList(f: NarrowedList): string {
  const values = f.missing.join(", ");
  return `line ${f.line} lists ${f.key}'s values without ${values} ("${f.evidence}"), and nothing else gives ${f.key} ${f.missing.length === 1 ? "that value" : "those values"}.`;
}
