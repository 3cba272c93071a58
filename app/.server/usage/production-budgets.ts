import { and, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { departments, teams, type USAGE_BUDGET_SCOPES, usageBudgets, usageTeamRollup } from "#db/schema";
import { type BudgetFormInput, budgetTargets, limitMicros, scopeExists } from "~/.server/budget-form";
import type { Db, DbLike } from "~/.server/db";
import type { Scope } from "~/.server/scope";
import type { FieldErrors } from "~/lib/forms";
import { rollupFromRecords } from "./allocate";
import type { CellSource } from "./production-cells";

/**
 * Monthly budgets on production spend, per team or department. Production spend is a bill already incurred, so
 * a budget warns (at its warn percent, and when over) rather than blocks. Spend is the calendar month (UTC) of
 * `now`, from the team rollup's month row, or (source "records") from allocating the raw usage.
 */

export type BudgetScope = (typeof USAGE_BUDGET_SCOPES)[number];

export interface ProductionBudgetLine {
  scope: BudgetScope;
  scopeId: number;
  name: string;
  limitMicros: number;
  warnPercent: number;
  spentMicros: number;
  percent: number;
  state: "ok" | "warn" | "over";
}

const monthOf = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
const nextMonthOf = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);

export function budgetState(limitMicros: number, warnPercent: number, spentMicros: number) {
  const percent = limitMicros > 0 ? Math.floor((spentMicros * 100) / limitMicros) : 100;
  const state: ProductionBudgetLine["state"] =
    spentMicros > limitMicros ? "over" : spentMicros * 100 >= warnPercent * limitMicros ? "warn" : "ok";
  return { percent, state };
}

function visible(scope: Scope): SQL | undefined {
  if (scope.all) return undefined;
  const branches: SQL[] = [];
  if (scope.teamIds.length > 0)
    branches.push(and(eq(usageBudgets.scope, "team"), inArray(usageBudgets.scopeId, scope.teamIds))!);
  if (scope.departmentIds.length > 0)
    branches.push(and(eq(usageBudgets.scope, "department"), inArray(usageBudgets.scopeId, scope.departmentIds))!);
  return branches.length > 0 ? or(...branches) : sql`0`;
}

/** This month's spend per team and per department (a department's includes its team-less usage). */
function monthSpend(database: Db, now: Date, source: CellSource) {
  const team = new Map<number, number>();
  const department = new Map<number, number>();
  const add = (departmentId: number, teamId: number, cost: number) => {
    if (teamId !== 0) team.set(teamId, (team.get(teamId) ?? 0) + cost);
    if (departmentId !== 0) department.set(departmentId, (department.get(departmentId) ?? 0) + cost);
  };
  if (source === "records") {
    for (const c of rollupFromRecords(database, monthOf(now), nextMonthOf(now)))
      add(c.departmentId, c.teamId, c.costMicros);
  } else {
    const t = usageTeamRollup;
    for (const r of database
      .select({ departmentId: t.departmentId, teamId: t.teamId, cost: t.costMicros })
      .from(t)
      .where(and(eq(t.grain, "month"), eq(t.periodStart, monthOf(now))))
      .all())
      add(r.departmentId, r.teamId, r.cost);
  }
  return { team, department };
}

/** The budgets the viewer may see, departments first, then teams, each by name. */
export function productionBudgets(
  database: Db,
  scope: Scope,
  now: Date,
  source: CellSource = "rollup",
): ProductionBudgetLine[] {
  const rows = database
    .select({
      scope: usageBudgets.scope,
      scopeId: usageBudgets.scopeId,
      limitMicros: usageBudgets.monthlyLimitMicros,
      warnPercent: usageBudgets.warnPercent,
      team: teams.name,
      department: departments.name,
    })
    .from(usageBudgets)
    .leftJoin(teams, and(eq(usageBudgets.scope, "team"), eq(teams.id, usageBudgets.scopeId)))
    .leftJoin(departments, and(eq(usageBudgets.scope, "department"), eq(departments.id, usageBudgets.scopeId)))
    .where(visible(scope))
    .all();
  if (rows.length === 0) return [];
  const spend = monthSpend(database, now, source);
  return rows
    .map((r) => {
      const spentMicros = spend[r.scope].get(r.scopeId) ?? 0;
      return {
        scope: r.scope,
        scopeId: r.scopeId,
        name: (r.scope === "team" ? r.team : r.department) ?? `${r.scope} #${r.scopeId} (deleted)`,
        limitMicros: r.limitMicros,
        warnPercent: r.warnPercent,
        spentMicros,
        ...budgetState(r.limitMicros, r.warnPercent, spentMicros),
      };
    })
    .sort((a, b) => (a.scope === b.scope ? a.name.localeCompare(b.name) : a.scope === "department" ? -1 : 1));
}

export function saveProductionBudget(
  database: DbLike,
  input: BudgetFormInput,
): { ok: true } | { ok: false; errors: FieldErrors } {
  if (!scopeExists(database, input.scope, input.scopeId))
    return { ok: false, errors: { scopeId: `That ${input.scope} does not exist` } };
  const values = { monthlyLimitMicros: limitMicros(input), warnPercent: input.warnPercent, updatedAt: new Date() };
  database
    .insert(usageBudgets)
    .values({ scope: input.scope, scopeId: input.scopeId, ...values })
    .onConflictDoUpdate({ target: [usageBudgets.scope, usageBudgets.scopeId], set: values })
    .run();
  return { ok: true };
}

export function removeProductionBudget(database: DbLike, scope: BudgetScope, scopeId: number): boolean {
  return (
    database
      .delete(usageBudgets)
      .where(and(eq(usageBudgets.scope, scope), eq(usageBudgets.scopeId, scopeId)))
      .run().changes > 0
  );
}

/** Every team and department, with its budget if it has one, for the admin's page. */
export function budgetRows(database: Db, now: Date) {
  const lines = new Map(
    productionBudgets(database, { all: true, teamIds: [], departmentIds: [] }, now).map((b) => [
      `${b.scope}:${b.scopeId}`,
      b,
    ]),
  );
  return budgetTargets(database, (scope, scopeId) => lines.get(`${scope}:${scopeId}`) ?? null);
}
