/**
 * Attribution of production usage to teams and departments: ordered rules, the first that matches a usage row's
 * dimensions decides where its cost goes. Pure: the rules, the dimensions and the organisation come in, the
 * decision comes out (app/.server/usage/allocate.ts applies it to the stored usage).
 *
 * A rule looks at one dimension (a field, or a tag's value) and matches it exactly, by prefix or by substring,
 * ignoring case. It sends what it matches to:
 * - a team (and so the team's department);
 * - a department, without a team (e.g. a shared platform account the department pays for);
 * - the Tokenwise user whose email the row's user is, i.e. that user's team (rows whose user is no Tokenwise user,
 *   or has no team, fall through to the next rule);
 * - shared: split between listed teams in proportion to what each used directly that day (calls, tokens or
 *   cost), or equally; equally too on a day none of them used anything.
 * What no rule matches is unallocated: always shown, never dropped.
 */

export const RULE_FIELDS = [
  "source",
  "provider",
  "service",
  "account",
  "project",
  "apiKey",
  "workspace",
  "user",
  "model",
  "tier",
  "tag",
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

export const RULE_FIELD_LABELS: Record<RuleField, string> = {
  source: "Source (focus, openai, anthropic, litellm)",
  provider: "Provider",
  service: "Service",
  account: "Billing account",
  project: "Project or sub-account",
  apiKey: "API key",
  workspace: "Workspace or LiteLLM team",
  user: "User",
  model: "Model",
  tier: "Model tier",
  tag: "Tag (key=value)",
};

export const RULE_MATCHES = ["is", "starts-with", "contains"] as const;
export type RuleMatch = (typeof RULE_MATCHES)[number];

export const SPLIT_KEYS = ["calls", "tokens", "cost", "equal"] as const;
export type SplitKey = (typeof SPLIT_KEYS)[number];

export type RuleTarget =
  | { kind: "team"; teamId: number }
  | { kind: "department"; departmentId: number }
  | { kind: "user-team" }
  | { kind: "shared"; teamIds: number[]; splitBy: SplitKey };

export interface Rule {
  id: number;
  field: RuleField;
  match: RuleMatch;
  value: string;
  target: RuleTarget;
}

export type TagValue = string | number | boolean | null;

export interface DimAttributes {
  source: string;
  provider: string;
  service: string;
  account: string | null;
  project: string | null;
  apiKey: string | null;
  workspace: string | null;
  user: string | null;
  model: string;
  tier: string;
  tags: Record<string, TagValue>;
}

export interface Org {
  /** Each team's department. */
  teamDepartment: ReadonlyMap<number, number>;
  /** Lower-cased email → team, for users who have a team. */
  userTeam: ReadonlyMap<string, number>;
}

export type Attribution =
  | { kind: "direct"; teamId: number | null; departmentId: number; ruleId: number }
  | { kind: "shared"; teamIds: number[]; splitBy: SplitKey; ruleId: number }
  | { kind: "unallocated" };

function compare(actual: string, match: RuleMatch, expected: string): boolean {
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  if (match === "is") return a === e;
  if (match === "starts-with") return a.startsWith(e);
  return a.includes(e);
}

/** A tag rule's value: "key=value" (the key exact, ignoring case); "key" alone matches any value of that key. */
export function splitTagValue(value: string): { key: string; expected: string | null } {
  const at = value.indexOf("=");
  return at < 0
    ? { key: value.trim(), expected: null }
    : { key: value.slice(0, at).trim(), expected: value.slice(at + 1) };
}

export function ruleMatches(rule: Pick<Rule, "field" | "match" | "value">, dim: DimAttributes): boolean {
  if (rule.field === "tag") {
    const { key, expected } = splitTagValue(rule.value);
    const found = Object.keys(dim.tags).find((k) => k.toLowerCase() === key.toLowerCase());
    if (found === undefined) return false;
    const v = dim.tags[found];
    return expected === null || (v !== null && compare(String(v), rule.match, expected));
  }
  const actual = dim[rule.field];
  return actual !== null && compare(actual, rule.match, rule.value);
}

/** Where a dimension combination's usage goes: the first rule that matches and applies, else unallocated. */
export function attribute(dim: DimAttributes, rules: readonly Rule[], org: Org): Attribution {
  for (const rule of rules) {
    if (!ruleMatches(rule, dim)) continue;
    const t = rule.target;
    if (t.kind === "team") {
      const departmentId = org.teamDepartment.get(t.teamId);
      if (departmentId !== undefined) return { kind: "direct", teamId: t.teamId, departmentId, ruleId: rule.id };
    } else if (t.kind === "department") {
      return { kind: "direct", teamId: null, departmentId: t.departmentId, ruleId: rule.id };
    } else if (t.kind === "user-team") {
      const teamId = dim.user === null ? undefined : org.userTeam.get(dim.user.toLowerCase());
      const departmentId = teamId === undefined ? undefined : org.teamDepartment.get(teamId);
      if (teamId !== undefined && departmentId !== undefined)
        return { kind: "direct", teamId, departmentId, ruleId: rule.id };
    } else {
      const teamIds = [...new Set(t.teamIds)].filter((id) => org.teamDepartment.has(id)).sort((a, b) => a - b);
      if (teamIds.length > 0) return { kind: "shared", teamIds, splitBy: t.splitBy, ruleId: rule.id };
    }
  }
  return { kind: "unallocated" };
}
