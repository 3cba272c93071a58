import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { BUDGET_SCOPES, budgets, departments, teams } from "#db/schema";
import { type BudgetScope, type BudgetState, budgetStatus, setBudget } from "../budgets";
import type { DbLike } from "../db";
import type { Outcome } from "./org";

/** The admin's view of monthly budgets: every department and team, with its budget's state this month. */

export interface BudgetRow {
  scope: BudgetScope;
  scopeId: number;
  name: string;
  /** The cost centre of a department, the department of a team. */
  detail: string;
  /** Null when no budget is set (spend is then unlimited). */
  status: BudgetState | null;
}

export const MAX_MONTHLY_LIMIT_USD = 100_000_000;

/** Dollars as typed ("1,250.50", "$300") to whole micro-dollars. */
export function dollarsToMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

export const budgetInput = z.object({
  scope: z.enum(BUDGET_SCOPES, { errorMap: () => ({ message: "Choose team or department" }) }),
  scopeId: z.coerce.number().int().positive("Choose a team or department"),
  limit: z.preprocess(
    (v) => (typeof v === "string" ? v.replace(/[$,\s]/g, "") : v),
    z.coerce
      .number({ invalid_type_error: "Enter the monthly limit in dollars, e.g. 250 or 1250.50" })
      .min(0, "The monthly limit cannot be negative")
      .max(MAX_MONTHLY_LIMIT_USD, "A monthly limit above $100,000,000 looks like a typo"),
  ),
  warnPercent: z.coerce
    .number({ invalid_type_error: "Enter a whole percentage from 1 to 100" })
    .int("Enter a whole percentage from 1 to 100")
    .min(1, "Enter a whole percentage from 1 to 100")
    .max(100, "Enter a whole percentage from 1 to 100")
    .default(80),
});
export type BudgetFormInput = z.infer<typeof budgetInput>;

function scopeName(database: DbLike, scope: BudgetScope, scopeId: number): string | undefined {
  const table = scope === "team" ? teams : departments;
  return database.select({ name: table.name }).from(table).where(eq(table.id, scopeId)).get()?.name;
}

export function saveBudget(database: DbLike, input: BudgetFormInput): Outcome {
  if (!scopeName(database, input.scope, input.scopeId))
    return { ok: false, errors: { scopeId: `That ${input.scope} does not exist` } };
  setBudget(database, {
    scope: input.scope,
    scopeId: input.scopeId,
    monthlyLimitMicros: dollarsToMicros(input.limit),
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
  const deptRows = database
    .select({ id: departments.id, name: departments.name, costCentre: departments.costCentre })
    .from(departments)
    .orderBy(asc(departments.name))
    .all();
  const teamRows = database
    .select({ id: teams.id, name: teams.name, department: departments.name })
    .from(teams)
    .innerJoin(departments, eq(departments.id, teams.departmentId))
    .orderBy(asc(departments.name), asc(teams.name))
    .all();
  return {
    departments: deptRows.map((d) => ({
      scope: "department",
      scopeId: d.id,
      name: d.name,
      detail: d.costCentre,
      status: status("department", d.id),
    })),
    teams: teamRows.map((t) => ({
      scope: "team",
      scopeId: t.id,
      name: t.name,
      detail: t.department,
      status: status("team", t.id),
    })),
  };
}
