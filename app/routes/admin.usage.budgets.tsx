import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { USAGE_BUDGET_SCOPES } from "#db/schema";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import {
  budgetForm,
  budgetRows,
  removeProductionBudget,
  saveProductionBudget,
} from "~/.server/usage/production-budgets";
import { formatMicros } from "~/domain/cost";
import { type FieldErrors, parseForm } from "~/lib/forms";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Production budgets · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const now = new Date();
  return {
    month: now.toLocaleDateString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }),
    ...budgetRows(db(), now),
  };
}

const form = z.discriminatedUnion("intent", [
  budgetForm.extend({ intent: z.literal("save") }),
  z.object({
    intent: z.literal("remove"),
    scope: z.enum(USAGE_BUDGET_SCOPES),
    scopeId: z.coerce.number().int().positive(),
  }),
]);

type ActionData = { ok: boolean; target: string; message: string; errors: FieldErrors };

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  const fields = await request.formData();
  const target = `${fields.get("scope")}:${fields.get("scopeId")}`;
  const parsed = parseForm(form, fields);
  if (!parsed.ok) return data<ActionData>({ ok: false, target, message: "", errors: parsed.errors }, { status: 400 });
  const input = parsed.data;
  if (input.intent === "remove") {
    const removed = removeProductionBudget(db(), input.scope, input.scopeId);
    return data<ActionData>({
      ok: true,
      target,
      message: removed ? "Budget removed." : "There was no budget.",
      errors: {},
    });
  }
  const saved = saveProductionBudget(db(), input);
  if (!saved.ok) return data<ActionData>({ ok: false, target, message: "", errors: saved.errors }, { status: 400 });
  return data<ActionData>({ ok: true, target, message: "Budget saved.", errors: {} });
}

type Row = ReturnType<typeof budgetRows>["teams"][number] | ReturnType<typeof budgetRows>["departments"][number];

function Rows({ rows, label, result }: { rows: Row[]; label: string; result?: ActionData }) {
  const busy = useNavigation().state !== "idle";
  return (
    <table className="table" data-testid={`production-budgets-${rows[0]?.scope ?? "none"}`}>
      <thead>
        <tr>
          <th>{label}</th>
          <th>Spent this month</th>
          <th>State</th>
          <th>Monthly limit (USD) and warn at %</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const target = `${row.scope}:${row.scopeId}`;
          const mine = result?.target === target ? result : undefined;
          const errors = mine && !mine.ok ? mine.errors : {};
          const b = row.budget;
          return (
            <tr key={target}>
              <td>
                {row.name}
                <br />
                <span className="muted">{row.detail}</span>
              </td>
              <td>{b ? formatMicros(b.spentMicros) : "—"}</td>
              <td>{b ? `${b.state} (${b.percent}%)` : <span className="muted">no budget</span>}</td>
              <td>
                <Form method="post" className="row-form">
                  <input type="hidden" name="scope" value={row.scope} />
                  <input type="hidden" name="scopeId" value={row.scopeId} />
                  <label>
                    <input
                      name="limit"
                      inputMode="decimal"
                      className="narrow"
                      defaultValue={b ? String(b.limitMicros / 1_000_000) : ""}
                      aria-label={`Monthly production limit in dollars for ${row.name}`}
                      aria-invalid={!!errors.limit}
                    />
                    {errors.limit ? <span className="field-error">{errors.limit}</span> : null}
                  </label>
                  <label>
                    <input
                      name="warnPercent"
                      inputMode="numeric"
                      className="narrow"
                      defaultValue={b?.warnPercent ?? 80}
                      aria-label={`Warn percent for ${row.name}`}
                      aria-invalid={!!errors.warnPercent}
                    />
                    {errors.warnPercent ? <span className="field-error">{errors.warnPercent}</span> : null}
                  </label>
                  <button type="submit" name="intent" value="save" className="secondary" disabled={busy}>
                    Save
                  </button>
                  {b ? (
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

export default function ProductionBudgets() {
  const { month, departments, teams } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › <Link to="/admin/usage">Production usage</Link> › Production budgets
      </p>
      <h1>Production budgets</h1>
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
