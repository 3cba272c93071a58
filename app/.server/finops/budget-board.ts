import { and, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { budgetReservations, budgets, departments, modelCalls, teams } from "#db/schema";
import { type BudgetScope, type BudgetState, budgetLevel, monthWindow } from "~/.server/budgets";
import type { DbLike } from "~/.server/db";
import type { Scope } from "~/.server/scope";
import { rolledUpMonthSpend } from "./rollup";
import type { SpendSource } from "./showback";

/**
 * Budget status of every team and department budget the viewer may see, for the calendar month
 * (UTC) of `now`: budgets are monthly and live, whatever period the showback shows.
 *
 * Same figures and rule as budgetStatus() in budgets.ts (a test holds them equal), but for all
 * budgets at once: one grouped ledger query per scope kind instead of three queries per budget,
 * so an organisation with hundreds of team budgets still loads in a few queries.
 */
export interface BudgetLine extends BudgetState {
  name: string;
}

function visibleBudgets(scope: Scope): SQL | undefined {
  if (scope.all) return undefined;
  const branches: SQL[] = [];
  if (scope.teamIds.length > 0) branches.push(and(eq(budgets.scope, "team"), inArray(budgets.scopeId, scope.teamIds))!);
  if (scope.departmentIds.length > 0)
    branches.push(and(eq(budgets.scope, "department"), inArray(budgets.scopeId, scope.departmentIds))!);
  return branches.length > 0 ? or(...branches) : sql`0`;
}

function sumsBy(rows: { id: number | null; total: number }[]): Map<number, number> {
  return new Map(rows.filter((r) => r.id !== null).map((r) => [r.id as number, r.total]));
}

function monthSpend(
  database: DbLike,
  kind: BudgetScope,
  ids: number[],
  now: Date,
  source: SpendSource,
): Map<number, number> {
  if (ids.length === 0) return new Map();
  const { start, end } = monthWindow(now);
  if (source === "rollup") return rolledUpMonthSpend(database, kind, ids, start);
  const column = kind === "team" ? modelCalls.teamId : modelCalls.departmentId;
  return sumsBy(
    database
      .select({ id: column, total: sql<number>`sum(${modelCalls.costMicros})` })
      .from(modelCalls)
      .where(and(inArray(column, ids), gte(modelCalls.createdAt, start), lt(modelCalls.createdAt, end)))
      .groupBy(column)
      .all(),
  );
}

function held(database: DbLike, kind: BudgetScope, ids: number[]): Map<number, number> {
  if (ids.length === 0) return new Map();
  const column = kind === "team" ? budgetReservations.teamId : budgetReservations.departmentId;
  return sumsBy(
    database
      .select({ id: column, total: sql<number>`sum(${budgetReservations.amountMicros})` })
      .from(budgetReservations)
      .where(and(eq(budgetReservations.status, "held"), inArray(column, ids)))
      .groupBy(column)
      .all(),
  );
}

/** The budget rule of budgets.ts, applied to known figures. Pure. */
export function budgetState(
  budget: { scope: BudgetScope; scopeId: number; limitMicros: number; warnPercent: number },
  spentMicros: number,
  heldMicros: number,
): BudgetState {
  const used = spentMicros + heldMicros;
  const limit = budget.limitMicros;
  return {
    ...budget,
    spentMicros,
    heldMicros,
    remainingMicros: limit - used,
    percent: limit > 0 ? Math.floor((used * 100) / limit) : 100,
    state: budgetLevel(spentMicros, used, limit, budget.warnPercent),
  };
}

/** Departments first, then teams, each by name. Spend from the ledger rollup, or (source "ledger") the ledger. */
export function budgetBoard(database: DbLike, scope: Scope, now: Date, source: SpendSource = "rollup"): BudgetLine[] {
  const rows = database
    .select({
      scope: budgets.scope,
      scopeId: budgets.scopeId,
      limitMicros: budgets.monthlyLimitMicros,
      warnPercent: budgets.warnPercent,
      team: teams.name,
      department: departments.name,
    })
    .from(budgets)
    .leftJoin(teams, and(eq(budgets.scope, "team"), eq(teams.id, budgets.scopeId)))
    .leftJoin(departments, and(eq(budgets.scope, "department"), eq(departments.id, budgets.scopeId)))
    .where(visibleBudgets(scope))
    .all();
  const ids = (kind: BudgetScope) => rows.filter((r) => r.scope === kind).map((r) => r.scopeId);
  const spent = {
    team: monthSpend(database, "team", ids("team"), now, source),
    department: monthSpend(database, "department", ids("department"), now, source),
  };
  const holds = {
    team: held(database, "team", ids("team")),
    department: held(database, "department", ids("department")),
  };
  return rows
    .map(({ team, department, ...budget }) => ({
      ...budgetState(
        budget,
        spent[budget.scope].get(budget.scopeId) ?? 0,
        holds[budget.scope].get(budget.scopeId) ?? 0,
      ),
      name: (budget.scope === "team" ? team : department) ?? `${budget.scope} #${budget.scopeId}`,
    }))
    .sort((a, b) => (a.scope === b.scope ? a.name.localeCompare(b.name) : a.scope === "department" ? -1 : 1));
}
