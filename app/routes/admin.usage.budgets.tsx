import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/.server/auth";
import { type BudgetActionData, budgetAction } from "~/.server/budget-form";
import { db } from "~/.server/db";
import { budgetRows, removeProductionBudget, saveProductionBudget } from "~/.server/usage/production-budgets";
import { reattributionStatus } from "~/.server/usage/reattribution";
import { BudgetTable } from "~/components/budget-table";
import { ReattributionNotice } from "~/components/reattribution-notice";
import { formatMicros } from "~/domain/cost";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Production budgets · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const now = new Date();
  return {
    month: now.toLocaleDateString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }),
    ...budgetRows(db(), now),
    reattribution: reattributionStatus(db()),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  return budgetAction(await request.formData(), {
    save: (input) => saveProductionBudget(db(), input),
    remove: (scope, scopeId) => removeProductionBudget(db(), scope, scopeId),
    removed: "Budget removed.",
    nothingToRemove: "There was no budget.",
  });
}

type Row = ReturnType<typeof budgetRows>["teams"][number];

function Rows({ rows, label, result }: { rows: Row[]; label: string; result?: BudgetActionData }) {
  return (
    <BudgetTable
      rows={rows.map((r) => ({ ...r, limits: r.budget }))}
      label={label}
      testId={`production-budgets-${rows[0]?.scope ?? "none"}`}
      limitLabel="Monthly production limit in dollars"
      columns={["Spent this month", "State"]}
      cells={({ budget: b }) => (
        <>
          <td>{b ? formatMicros(b.spentMicros) : "—"}</td>
          <td>{b ? `${b.state} (${b.percent}%)` : <span className="muted">no budget</span>}</td>
        </>
      )}
      result={result}
    />
  );
}

export default function ProductionBudgets() {
  const { month, departments, teams, reattribution } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › <Link to="/admin/usage">Production usage</Link> › Production budgets
      </p>
      <h1>Production budgets</h1>
      <ReattributionNotice status={reattribution} />
      <p className="muted">
        Monthly limits on each team's and department's production AI spend ({month}, UTC), as attributed by the rules.
        They warn on the production spend page at the warn percent and when exceeded; they cannot block a bill already
        incurred. Training spend has its own budgets.
      </p>
      <section className="admin-section">
        <h2>Departments</h2>
        <Rows rows={departments} label="Department (cost centre)" result={result} />
      </section>
      <section className="admin-section">
        <h2>Teams</h2>
        <Rows rows={teams} label="Team (department)" result={result} />
      </section>
    </>
  );
}
