import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { BudgetRow } from "~/.server/admin/budgets";
import { listBudgetRows, removeBudget, saveBudget } from "~/.server/admin/budgets";
import { requireRole } from "~/.server/auth";
import { type BudgetActionData, budgetAction } from "~/.server/budget-form";
import { monthWindow } from "~/.server/budgets";
import { db } from "~/.server/db";
import { BudgetTable } from "~/components/budget-table";
import { formatMicros, formatMicrosExact } from "~/domain/cost";
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

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  return budgetAction(await request.formData(), {
    save: (input) => saveBudget(db(), input),
    remove: (scope, scopeId) => removeBudget(db(), scope, scopeId),
    removed: "Budget removed: that spend is no longer limited.",
    nothingToRemove: "There was no budget to remove.",
  });
}

function BudgetRows({ rows, label, result }: { rows: BudgetRow[]; label: string; result?: BudgetActionData }) {
  return (
    <BudgetTable
      rows={rows.map((r) => ({ ...r, limits: r.status }))}
      label={label}
      testId={`budgets-${rows[0]?.scope ?? "none"}`}
      limitLabel="Monthly limit in dollars"
      columns={["Spent", "Held", "Remaining", "State"]}
      cells={({ status: s }) => (
        <>
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
        </>
      )}
      result={result}
    />
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
        <BudgetRows rows={departments} label="Department (cost centre)" result={result} />
      </section>
      <section className="admin-section">
        <h2>Teams</h2>
        <BudgetRows rows={teams} label="Team (department)" result={result} />
      </section>
    </>
  );
}
