import type { ExerciseTask, Requirement } from "../exercise";
import { quoteRule, type Reading } from "./reading";

/**
 * A key of the reply named for what a description forbids:
 *
 *     Reply with JSON only: "cause", "evidence" (max 25 words), and "reasoning", a step-by-step account.
 *     keys "reasoning" (go through each hypothesis), "cause" and "evidence"
 *
 * Where the exercise declares the reply's keys (`task.keys`) and a description opens with "No <thing>" ("No reasoning
 * written out in the answer"), a quoted key that names the thing, listed in a rule beside a declared key, puts the
 * forbidden thing into the reply. 'no "reasoning" key' and 'never add "reasoning"' forbid it; a declared key of that
 * name is the exercise's own.
 */

export interface ForbiddenKey {
  id: string;
  line: number;
  evidence: string;
  key: string;
}

const FORBIDDING = /^no\s+([a-z]+)\b/i;

/** Per requirement, the word its description forbids with "No <thing>", where the reply has declared keys. */
export function forbiddenKeys(
  requirements: readonly Requirement[],
  task: ExerciseTask | undefined,
): Map<string, string> {
  const out = new Map<string, string>();
  const keys = new Set((task?.keys ?? []).map((k) => k.toLowerCase()));
  if (keys.size === 0) return out;
  for (const r of requirements) {
    const m = FORBIDDING.exec(r.description.trim());
    if (m && !keys.has(m[1].toLowerCase())) out.set(r.id, m[1].toLowerCase());
  }
  return out;
}

/** The first quoted key, named for a forbidden thing, that a rule lists beside one of the declared keys. */
export function findForbiddenKey(
  reading: Reading,
  orders: (rule: number) => boolean,
  forbidden: ReadonlyMap<string, string>,
  task: ExerciseTask | undefined,
): ForbiddenKey | null {
  if (forbidden.size === 0) return null;
  const keys = new Set((task?.keys ?? []).map((k) => k.toLowerCase()));
  const { tokens } = reading;
  for (const t of tokens) {
    if (!t.quoted || t.negated || t.parenthetical || t.exception || !orders(t.rule)) continue;
    const entry = [...forbidden].find(([, word]) => word === t.lower);
    if (!entry) continue;
    // A quote of the word alone, not a phrase that holds it: '"reasoning"', not '"no reasoning"'.
    const before = tokens[t.index - 1];
    const after = tokens[t.index + 1];
    if ((before?.quoted && before.rule === t.rule) || (after?.quoted && after.rule === t.rule)) continue;
    const rule = reading.rules[t.rule];
    let declared = false;
    for (let i = rule.from; i < rule.to && !declared; i++) declared = tokens[i].quoted && keys.has(tokens[i].lower);
    if (!declared) continue;
    return { id: entry[0], line: rule.line, evidence: quoteRule(reading, rule), key: t.text };
  }
  return null;
}

/** Why a key named for the forbidden thing breaks the rule, the line quoted. */
export function forbiddenKeyReason(found: ForbiddenKey): string {
  return `Line ${found.line} says "${found.evidence}", which adds a "${found.key}" key for what the reply may not hold.`;
}
