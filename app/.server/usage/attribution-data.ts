import { asc, isNotNull } from "drizzle-orm";
import { teams, usageDims, usageRules, users } from "#db/schema";
import type { DbLike } from "~/.server/db";
import {
  type Attribution,
  attribute,
  type DimAttributes,
  type Org,
  RULE_FIELDS,
  RULE_MATCHES,
  type Rule,
  type RuleTarget,
  SPLIT_KEYS,
  type TagValue,
} from "~/domain/attribution";

/**
 * The rules, the organisation and the dimension combinations as stored, and the attribution of each combination:
 * what allocation (allocate.ts), the rules page and its preview work from. A stored rule that no longer fits the
 * app's schema (a hand edit) is left out rather than guessed at.
 */

export type StoredRule = typeof usageRules.$inferSelect;

export function ruleOf(row: StoredRule): Rule | null {
  if (!(RULE_FIELDS as readonly string[]).includes(row.field)) return null;
  if (!(RULE_MATCHES as readonly string[]).includes(row.match)) return null;
  let target: RuleTarget;
  if (row.targetKind === "team" && row.teamId !== null) target = { kind: "team", teamId: row.teamId };
  else if (row.targetKind === "department" && row.departmentId !== null)
    target = { kind: "department", departmentId: row.departmentId };
  else if (row.targetKind === "user-team") target = { kind: "user-team" };
  else if (
    row.targetKind === "shared" &&
    Array.isArray(row.sharedTeamIds) &&
    (SPLIT_KEYS as readonly string[]).includes(row.splitBy ?? "")
  )
    target = { kind: "shared", teamIds: row.sharedTeamIds, splitBy: row.splitBy as (typeof SPLIT_KEYS)[number] };
  else return null;
  return { id: row.id, field: row.field as Rule["field"], match: row.match as Rule["match"], value: row.value, target };
}

export function storedRules(database: DbLike): StoredRule[] {
  return database.select().from(usageRules).orderBy(asc(usageRules.position), asc(usageRules.id)).all();
}

export function loadRules(database: DbLike): Rule[] {
  return storedRules(database)
    .map(ruleOf)
    .filter((r): r is Rule => r !== null);
}

export function loadOrg(database: DbLike): Org {
  const teamDepartment = new Map(
    database
      .select({ id: teams.id, departmentId: teams.departmentId })
      .from(teams)
      .all()
      .map((t) => [t.id, t.departmentId]),
  );
  const userTeam = new Map(
    database
      .select({ email: users.email, teamId: users.teamId })
      .from(users)
      .where(isNotNull(users.teamId))
      .all()
      .map((u) => [u.email.toLowerCase(), u.teamId as number]),
  );
  return { teamDepartment, userTeam };
}

export interface DimInfo extends DimAttributes {
  id: number;
}

export function loadDims(database: DbLike): DimInfo[] {
  return database
    .select()
    .from(usageDims)
    .all()
    .map((d) => ({
      id: d.id,
      source: d.source,
      provider: d.provider,
      service: d.service,
      account: d.account,
      project: d.project,
      apiKey: d.apiKey,
      workspace: d.workspace,
      user: d.user,
      model: d.model,
      tier: d.tier,
      tags: JSON.parse(d.tags) as Record<string, TagValue>,
    }));
}

export interface AttributionContext {
  dims: Map<number, DimInfo>;
  org: Org;
  attributionOf: (dimId: number) => Attribution;
  departmentOf: (teamId: number) => number;
}

/** Every stored combination attributed under `rules` (the stored ones by default). */
export function attributionContext(database: DbLike, rules: readonly Rule[] = loadRules(database)): AttributionContext {
  const org = loadOrg(database);
  const dims = new Map(loadDims(database).map((d) => [d.id, d]));
  const decided = new Map<number, Attribution>();
  for (const d of dims.values()) decided.set(d.id, attribute(d, rules, org));
  return {
    dims,
    org,
    attributionOf: (dimId) => decided.get(dimId) ?? { kind: "unallocated" },
    departmentOf: (teamId) => org.teamDepartment.get(teamId) ?? 0,
  };
}
