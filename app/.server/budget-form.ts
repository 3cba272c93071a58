import { data } from "@remix-run/node";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { BUDGET_SCOPES, departments, teams } from "#db/schema";
import { dollarsToMicros } from "~/domain/decimal";
import { type FieldErrors, parseForm } from "~/lib/forms";
import type { DbLike } from "./db";

/**
 * The budget form both budget pages share (training budgets at /admin/budgets, production budgets at
 * /admin/usage/budgets): a monthly limit in dollars and a warn percentage per team or department, saved or removed
 * one row at a time, the answer tied to the row it came from. Each page supplies what saving and removing mean.
 */

export type BudgetScope = (typeof BUDGET_SCOPES)[number];
export const MAX_MONTHLY_LIMIT_USD = 100_000_000;

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

/** The limit as typed, in whole micro-dollars, exactly ("1250.5" is 1,250,500,000, never a float's neighbour). */
export const limitMicros = (input: BudgetFormInput) => dollarsToMicros(input.limit);

const budgetForm = z.discriminatedUnion("intent", [
  budgetInput.extend({ intent: z.literal("save") }),
  z.object({
    intent: z.literal("remove"),
    scope: z.enum(BUDGET_SCOPES),
    scopeId: z.coerce.number().int().positive(),
  }),
]);

/** What the page gets back: `target` ("team:12") says which row's form it answers. */
export type BudgetActionData = { ok: boolean; target: string; message: string; errors: FieldErrors };

export interface BudgetHandlers {
  save: (input: BudgetFormInput) => { ok: true } | { ok: false; errors: FieldErrors };
  /** False when there was no budget to remove. */
  remove: (scope: BudgetScope, scopeId: number) => boolean;
  removed: string;
  nothingToRemove: string;
}

/** Parses a budget form post and saves or removes; call after authorising. */
export function budgetAction(form: FormData, handlers: BudgetHandlers) {
  const target = `${form.get("scope")}:${form.get("scopeId")}`;
  const answer = (ok: boolean, message: string, errors: FieldErrors = {}) =>
    data<BudgetActionData>({ ok, target, message, errors }, { status: ok ? 200 : 400 });
  const parsed = parseForm(budgetForm, form);
  if (!parsed.ok) return answer(false, "", parsed.errors);
  const input = parsed.data;
  if (input.intent === "remove")
    return answer(true, handlers.remove(input.scope, input.scopeId) ? handlers.removed : handlers.nothingToRemove);
  const saved = handlers.save(input);
  return saved.ok ? answer(true, "Budget saved.") : answer(false, "", saved.errors);
}

/** Whether the team or department a budget is for exists. */
export function scopeExists(database: DbLike, scope: BudgetScope, scopeId: number): boolean {
  const table = scope === "team" ? teams : departments;
  return database.select({ id: table.id }).from(table).where(eq(table.id, scopeId)).get() !== undefined;
}

/** A row of a budget page: a department (detail: its cost centre) or a team (detail: its department). */
export interface BudgetTarget {
  scope: BudgetScope;
  scopeId: number;
  name: string;
  detail: string | null;
}

/** Every department, then every team, by name, each with what `budgetOf` says about its budget. */
export function budgetTargets<B>(database: DbLike, budgetOf: (scope: BudgetScope, scopeId: number) => B) {
  const departmentRows = database
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
  const row = (scope: BudgetScope, scopeId: number, name: string, detail: string | null) => ({
    scope,
    scopeId,
    name,
    detail,
    budget: budgetOf(scope, scopeId),
  });
  return {
    departments: departmentRows.map((d) => row("department", d.id, d.name, d.costCentre)),
    teams: teamRows.map((t) => row("team", t.id, t.name, t.department)),
  };
}
