import { and, eq } from "drizzle-orm";
import { budgets } from "#db/schema";
import { type BudgetFormInput, budgetTargets, limitMicros, scopeExists } from "../budget-form";
import { type BudgetScope, type BudgetState, budgetStatus, setBudget } from "../budgets";
import type { DbLike } from "../db";
import type { Outcome } from "./org";

/** The admin's view of monthly budgets: every department and team, with its budget's state this month. */

export interface BudgetRow {
  scope: BudgetScope;
  scopeId: number;
  name: string;
  /** The cost centre of a department, the department of a team. */
  detail: string | null;
  /** Null when no budget is set (spend is then unlimited). */
  status: BudgetState | null;
}

export function saveBudget(database: DbLike, input: BudgetFormInput): Outcome {
  if (!scopeExists(database, input.scope, input.scopeId))
    return { ok: false, errors: { scopeId: `That ${input.scope} does not exist` } };
  setBudget(database, {
    scope: input.scope,
    scopeId: input.scopeId,
    monthlyLimitMicros: limitMicros(input),
    warnPercent: input.warnPercent,
  });
  return { ok: true, id: input.scopeId };
}

/** Removes a budget: the scope's spend is no longer limited. Returns false if there was none. */
export function removeBudget(database: DbLike, scope: BudgetScope, scopeId: number): boolean {
  return (
    database
      .delete(budgets)
      .where(and(eq(budgets.scope, scope), eq(budgets.scopeId, scopeId)))
      .run().changes === 1
  );
}

export function listBudgetRows(database: DbLike, now: Date): { departments: BudgetRow[]; teams: BudgetRow[] } {
  const set = new Set(
    database
      .select({ scope: budgets.scope, scopeId: budgets.scopeId })
      .from(budgets)
      .all()
      .map((b) => `${b.scope}:${b.scopeId}`),
  );
  const status = (scope: BudgetScope, scopeId: number): BudgetState | null => {
    if (!set.has(`${scope}:${scopeId}`)) return null;
    const who = scope === "team" ? { teamId: scopeId, departmentId: null } : { teamId: null, departmentId: scopeId };
    return budgetStatus(database, { ...who, now })[0] ?? null;
  };
  const targets = budgetTargets(database, status);
  const rows = (list: typeof targets.teams) => list.map(({ budget, ...row }) => ({ ...row, status: budget }));
  return { departments: rows(targets.departments), teams: rows(targets.teams) };
}
