import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { BUDGET_SCOPES } from "#db/schema";
import type { BudgetRow } from "~/.server/admin/budgets";
import { budgetInput, listBudgetRows, removeBudget, saveBudget } from "~/.server/admin/budgets";
import { requireRole } from "~/.server/auth";
import { monthWindow } from "~/.server/budgets";
import { db } from "~/.server/db";
import { formatMicros, formatMicrosExact } from "~/domain/cost";
import { type FieldErrors, parseForm } from "~/lib/forms";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Budgets · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const now = new Date();
  const month = monthWindow(now).start.toLocaleDateString("en-GB", {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  return { month, ...listBudgetRows(db(), now) };
}

const budgetForm = z.discriminatedUnion("intent", [
  budgetInput.extend({ intent: z.literal("save") }),
  z.object({
    intent: z.literal("remove"),
    scope: z.enum(BUDGET_SCOPES),
    scopeId: z.coerce.number().int().positive(),
  }),
]);

type ActionData = { ok: boolean; target: string; message: string; errors: FieldErrors };

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  const form = await request.formData();
  const target = `${form.get("scope")}:${form.get("scopeId")}`;
  const parsed = parseForm(budgetForm, form);
  if (!parsed.ok) return data<ActionData>({ ok: false, target, message: "", errors: parsed.errors }, { status: 400 });
  const input = parsed.data;
  if (input.intent === "remove") {
    const removed = removeBudget(db(), input.scope, input.scopeId);
    return data<ActionData>({
      ok: true,
      target,
      message: removed ? "Budget removed: that spend is no longer limited." : "There was no budget to remove.",
      errors: {},
    });
  }
  const outcome = saveBudget(db(), input);
  if (!outcome.ok) return data<ActionData>({ ok: false, target, message: "", errors: outcome.errors }, { status: 400 });
  return data<ActionData>({ ok: true, target, message: "Budget saved.", errors: {} });
}

const dollars = (micros: number) => (micros / 1_000_000).toString();

function BudgetTable({ rows, label, result }: { rows: BudgetRow[]; label: string; result?: ActionData }) {
  const busy = useNavigation().state !== "idle";
  return (
    <table className="table" data-testid={`budgets-${rows[0]?.scope ?? "none"}`}>
      <thead>
        <tr>
          <th>{label}</th>
          <th>Spent</th>
          <th>Held</th>
          <th>Remaining</th>
          <th>State</th>
          <th>Monthly limit (USD) and warn at %</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const target = `${row.scope}:${row.scopeId}`;
          const mine = result?.target === target ? result : undefined;
          const errors = mine && !mine.ok ? mine.errors : {};
          const s = row.status;
          return (
            <tr key={target}>
              <td>
                {row.name}
                <br />
                <span className="muted">{row.detail}</span>
              </td>
              <td>{s ? formatMicros(s.spentMicros) : "—"}</td>
              <td>{s ? formatMicros(s.heldMicros) : "—"}</td>
              <td>{s ? formatMicrosExact(s.remainingMicros) : "—"}</td>
              <td>
                {s ? (
                  <span className={`budget-state ${s.state}`}>
                    {s.state} ({s.percent}%)
                  </span>
                ) : (
                  <span className="muted">no budget</span>
                )}
              </td>
              <td>
                <Form method="post" className="row-form">
                  <input type="hidden" name="scope" value={row.scope} />
                  <input type="hidden" name="scopeId" value={row.scopeId} />
                  <label>
                    <input
                      name="limit"
                      inputMode="decimal"
                      className="narrow"
                      defaultValue={s ? dollars(s.limitMicros) : ""}
                      placeholder="e.g. 500"
                      aria-label={`Monthly limit in dollars for ${row.name}`}
                      aria-invalid={!!errors.limit}
                    />
                    {errors.limit ? <span className="field-error">{errors.limit}</span> : null}
                  </label>
                  <label>
                    <input
                      name="warnPercent"
                      inputMode="numeric"
                      className="narrow"
                      defaultValue={s?.warnPercent ?? 80}
                      aria-label={`Warn percent for ${row.name}`}
                      aria-invalid={!!errors.warnPercent}
                    />
                    {errors.warnPercent ? <span className="field-error">{errors.warnPercent}</span> : null}
                  </label>
                  <button type="submit" name="intent" value="save" className="secondary" disabled={busy}>
                    Save
                  </button>
                  {s ? (
                    <button type="submit" name="intent" value="remove" className="link-button" disabled={busy}>
                      Remove
                    </button>
                  ) : null}
                  {errors.scopeId ? <span className="field-error">{errors.scopeId}</span> : null}
                  {mine?.ok ? <span role="status">{mine.message}</span> : null}
                </Form>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export default function AdminBudgets() {
  const { month, departments, teams } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › Budgets
      </p>
      <h1>Budgets</h1>
      <p className="muted">
        Monthly limits on model spend for live grading, per team and per department, for {month} (UTC). Spent is the
        ledger's cost this month; held is the estimate of calls in flight. A learner whose team or department budget is
        used up is graded by the offline judge instead. Without a budget, spend is not limited.
      </p>
      <section className="admin-section">
        <h2>Departments</h2>
        <BudgetTable rows={departments} label="Department (cost centre)" result={result} />
      </section>
      <section className="admin-section">
        <h2>Teams</h2>
        <BudgetTable rows={teams} label="Team (department)" result={result} />
      </section>
    </>
  );
}
