import type { Db } from "~/.server/db";
import { type Attribution, attribute, type Rule, ruleMatches } from "~/domain/attribution";
import { type DimInfo, loadDims, loadOrg, loadRules } from "./attribution-data";

/**
 * What the rules do to recent usage (the last PREVIEW_DAYS days of imported usage, up to the latest day imported or
 * today, whichever is earlier: last month's export is recent even when imported today), for the rules page: how much each rule decides,
 * what stays unallocated and its largest pieces, and, for a rule being written, what it would catch and how the
 * unallocated total would change if it were added at the end. Works on dimension combinations (a few thousand)
 * with their recent cost, so it answers while the admin types.
 */

export const PREVIEW_DAYS = 30;
const DAY_MS = 86_400_000;
const TOP = 20;

export interface DimCost {
  dimId: number;
  /** The combination in words: source, provider, project, key, workspace, user, model, tags. */
  label: string;
  costMicros: number;
  /** Where it goes now: a team, a department, shared, or unallocated. */
  now: string;
}

export interface AttributionSummary {
  /** The window's length (PREVIEW_DAYS) and bounds [from, to). */
  days: number;
  from: string;
  to: string;
  totalMicros: number;
  unallocatedMicros: number;
  /** Per stored rule (by id): the combinations it decides and their cost. */
  byRule: Record<number, { dims: number; costMicros: number }>;
  topUnallocated: DimCost[];
}

export interface RulePreview {
  matchedDims: number;
  matchedMicros: number;
  /** Of what it matches, what is unallocated now (the rest is already decided by an earlier rule). */
  newlyDecidedMicros: number;
  unallocatedBefore: number;
  unallocatedAfter: number;
  matched: DimCost[];
}

export function describeDim(d: DimInfo): string {
  const parts = [
    d.source,
    d.provider,
    d.project && `project ${d.project}`,
    d.apiKey && `key ${d.apiKey}`,
    d.workspace && `workspace ${d.workspace}`,
    d.user && `user ${d.user}`,
    d.model,
    ...Object.entries(d.tags).map(([k, v]) => `${k}=${v}`),
  ];
  return parts.filter(Boolean).join(" · ");
}

interface Recent {
  dims: { dim: DimInfo; costMicros: number }[];
  from: number;
  to: number;
}

function recent(database: Db, now: Date): Recent {
  const latest = database.$client.prepare("select max(day) from usage_dim_daily where records > 0").pluck().get() as
    | number
    | null;
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const to = Math.min(today, latest ?? today) + DAY_MS;
  const from = to - PREVIEW_DAYS * DAY_MS;
  const costs = new Map(
    (
      database.$client
        .prepare(
          "select dim_id, sum(cost_micros) from usage_dim_daily where day >= ? and day < ? and records > 0 group by dim_id",
        )
        .raw()
        .all(from, to) as [number, number][]
    ).map(([id, cost]) => [id, cost]),
  );
  const dims = loadDims(database)
    .filter((d) => costs.has(d.id))
    .map((dim) => ({ dim, costMicros: costs.get(dim.id) ?? 0 }));
  return { dims, from, to };
}

function label(a: Attribution, names: Names): string {
  if (a.kind === "unallocated") return "unallocated";
  if (a.kind === "shared") return `shared by ${a.teamIds.map((t) => names.team(t)).join(", ")} (${a.splitBy})`;
  return a.teamId === null ? `${names.department(a.departmentId)} (no team)` : names.team(a.teamId);
}

export interface Names {
  team: (id: number) => string;
  department: (id: number) => string;
}

const byCost = (a: DimCost, b: DimCost) => b.costMicros - a.costMicros || a.dimId - b.dimId;

export function attributionSummary(database: Db, now: Date): AttributionSummary {
  const { dims, from, to } = recent(database, now);
  const rules = loadRules(database);
  const org = loadOrg(database);
  const byRule: AttributionSummary["byRule"] = {};
  let total = 0;
  let unallocated = 0;
  const unallocatedDims: DimCost[] = [];
  for (const { dim, costMicros } of dims) {
    total += costMicros;
    const a = attribute(dim, rules, org);
    if (a.kind === "unallocated") {
      unallocated += costMicros;
      unallocatedDims.push({ dimId: dim.id, label: describeDim(dim), costMicros, now: "unallocated" });
    } else {
      const entry = byRule[a.ruleId] ?? { dims: 0, costMicros: 0 };
      byRule[a.ruleId] = { dims: entry.dims + 1, costMicros: entry.costMicros + costMicros };
    }
  }
  return {
    days: PREVIEW_DAYS,
    from: new Date(from).toISOString().slice(0, 10),
    to: new Date(to).toISOString().slice(0, 10),
    totalMicros: total,
    unallocatedMicros: unallocated,
    byRule,
    topUnallocated: unallocatedDims.sort(byCost).slice(0, TOP),
  };
}

/** What `candidate` would catch, added after the stored rules (or replacing the rule with its id). */
export function previewRule(database: Db, now: Date, candidate: Rule, names: Names): RulePreview {
  const { dims } = recent(database, now);
  const stored = loadRules(database);
  const org = loadOrg(database);
  const replaced = stored.some((r) => r.id === candidate.id);
  const after = replaced ? stored.map((r) => (r.id === candidate.id ? candidate : r)) : [...stored, candidate];
  let before = 0;
  let afterTotal = 0;
  let matchedMicros = 0;
  let newly = 0;
  const matched: DimCost[] = [];
  for (const { dim, costMicros } of dims) {
    const was = attribute(dim, stored, org);
    const will = attribute(dim, after, org);
    if (was.kind === "unallocated") before += costMicros;
    if (will.kind === "unallocated") afterTotal += costMicros;
    if (ruleMatches(candidate, dim)) {
      matchedMicros += costMicros;
      if (was.kind === "unallocated" && will.kind !== "unallocated") newly += costMicros;
      matched.push({ dimId: dim.id, label: describeDim(dim), costMicros, now: label(was, names) });
    }
  }
  return {
    matchedDims: matched.length,
    matchedMicros,
    newlyDecidedMicros: newly,
    unallocatedBefore: before,
    unallocatedAfter: afterTotal,
    matched: matched.sort(byCost).slice(0, TOP),
  };
}
