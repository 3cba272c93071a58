import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { db } from "~/.server/db";
import { budgetBoard } from "~/.server/finops/budget-board";
import { parsePeriod, periodQuery } from "~/.server/finops/period";
import { type SpendFigures, showback } from "~/.server/finops/showback";
import type { Scope } from "~/.server/scope";
import { requireManagerScope } from "~/.server/scope";
import { isOfflineJudge } from "~/components/grading-basis";
import { formatMicros, formatMicrosExact } from "~/domain/cost";
import { judgeNameCapitalised } from "~/domain/plain-words";
import finopsStyles from "~/styles/finops.css?url";

export const meta: MetaFunction = () => [{ title: "Showback · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: finopsStyles }];

function scopeLabel(scope: Scope): string {
  if (scope.all) return "the whole organisation";
  const parts = [];
  if (scope.departmentIds.length > 0)
    parts.push(`${scope.departmentIds.length} department${scope.departmentIds.length === 1 ? "" : "s"}`);
  if (scope.teamIds.length > 0) parts.push(`${scope.teamIds.length} team${scope.teamIds.length === 1 ? "" : "s"}`);
  return `your ${parts.join(" and ")}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const period = parsePeriod(new URL(request.url));
  return {
    scope: scopeLabel(scope),
    query: periodQuery(period),
    report: showback(db(), scope, period),
    budgets: budgetBoard(db(), scope, new Date()),
  };
}

const count = (n: number) => n.toLocaleString("en-US");

interface Column<R> {
  label: string;
  cell: (row: R) => ReactNode;
}

function SpendTable<R extends SpendFigures>(props: {
  id: string;
  title: string;
  columns: Column<R>[];
  rows: R[];
  totals: SpendFigures;
  exportHref: string;
}) {
  const { id, title, columns, rows, totals, exportHref } = props;
  return (
    <section aria-labelledby={`${id}-title`}>
      <div className="finops-heading">
        <h2 id={`${id}-title`}>{title}</h2>
        <a className="button secondary" href={exportHref} download>
          Export CSV
        </a>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No model calls in this period.</p>
      ) : (
        <table className="table finops-table" data-testid={`spend-${id}`}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.label}>{c.label}</th>
              ))}
              <th className="num">Calls</th>
              <th className="num">Input tokens</th>
              <th className="num">of which cached</th>
              <th className="num">Output tokens</th>
              <th className="num">Cost</th>
              <th className="num apart">Cache hits</th>
              <th className="num">Cache savings</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are one group each and never reorder on the client
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c.label}>{c.cell(row)}</td>
                ))}
                <Figures f={row} />
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={columns.length}>
                Total
              </th>
              <Figures f={totals} />
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}

function Figures({ f }: { f: SpendFigures }) {
  return (
    <>
      <td className="num">{count(f.calls)}</td>
      <td className="num">{count(f.inputTokens)}</td>
      <td className="num">{count(f.cachedInputTokens)}</td>
      <td className="num">{count(f.outputTokens)}</td>
      <td className="num">{formatMicros(f.costMicros)}</td>
      <td className="num apart">{count(f.cacheHits)}</td>
      <td className="num">{formatMicros(f.savedMicros)}</td>
    </>
  );
}

export default function Showback() {
  const { scope, query, report, budgets } = useLoaderData<typeof loader>();
  const href = (view: string) => `/finops/export/${view}?${query}`;
  return (
    <>
      <h1>Showback</h1>
      <p className="muted">
        What Tokenwise's model calls cost, from the ledger, for {scope}: every call is tagged with the user, team,
        department (cost centre), course and exercise it was made for. Cache savings are what cache hits would have
        cost; they are shown apart and not subtracted from the cost.
      </p>
      <p>
        <Link to="/finops/production" className="button secondary" data-testid="production-link">
          Production spend: the company's AI bill by team →
        </Link>
      </p>
      <Form method="get" className="inline-form finops-period">
        <label>
          From <input type="date" name="from" defaultValue={report.from} required />
        </label>
        <label>
          Until (not included) <input type="date" name="to" defaultValue={report.to} required />
        </label>
        <button type="submit" className="secondary">
          Show
        </button>
        <Link to="/finops">This month</Link>
      </Form>

      <dl className="finops-summary" data-testid="finops-totals">
        <div>
          <dt>Spend</dt>
          <dd>{formatMicros(report.totals.costMicros)}</dd>
        </div>
        <div>
          <dt>Model calls</dt>
          <dd>{count(report.totals.calls)}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd>{count(report.totals.inputTokens + report.totals.outputTokens)}</dd>
        </div>
        <div className="apart">
          <dt>Cache savings ({count(report.totals.cacheHits)} hits)</dt>
          <dd>{formatMicros(report.totals.savedMicros)}</dd>
        </div>
      </dl>
      {report.estimated.unknownCalls > 0 || report.estimated.pendingCalls > 0 ? (
        <p className="muted" data-testid="finops-estimated">
          {report.estimated.unknownCalls > 0
            ? `Of the spend, ${formatMicrosExact(report.estimated.unknownMicros)} over ${count(report.estimated.unknownCalls)} calls is an estimate: the provider's figure never arrived (a crash mid-call, or a reply without usage). `
            : ""}
          {report.estimated.pendingCalls > 0
            ? `${count(report.estimated.pendingCalls)} calls are in flight (expected ${formatMicrosExact(report.estimated.pendingEstimateMicros)}), not yet counted.`
            : ""}
        </p>
      ) : null}
      <p>
        <a className="button" href={`/finops/focus?${query}`} download>
          Export FOCUS 1.2 file
        </a>{" "}
        <span className="muted">
          one row per model call, a FOCUS 1.2 cost-and-usage dataset for FinOps tools (e-mails hashed unless an admin
          chose otherwise in settings).
        </span>
      </p>

      <section aria-labelledby="budgets-title">
        <h2 id="budgets-title">Budgets this month</h2>
        {budgets.length === 0 ? (
          <p className="muted">No budgets are set for the teams and departments you see.</p>
        ) : (
          <table className="table finops-table" data-testid="budget-status">
            <thead>
              <tr>
                <th>Budget</th>
                <th className="num">Monthly limit</th>
                <th className="num">Spent</th>
                <th className="num">Held for calls in flight</th>
                <th className="num">Remaining</th>
                <th className="num">Used</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {budgets.map((b) => (
                <tr key={`${b.scope}-${b.scopeId}`}>
                  <td>
                    {b.name} <span className="muted">({b.scope})</span>
                  </td>
                  <td className="num">{formatMicros(b.limitMicros)}</td>
                  <td className="num">{formatMicros(b.spentMicros)}</td>
                  <td className="num">{formatMicros(b.heldMicros)}</td>
                  <td className="num">
                    {b.remainingMicros < 0
                      ? `over by ${formatMicrosExact(-b.remainingMicros)}`
                      : formatMicrosExact(b.remainingMicros)}
                  </td>
                  <td className="num">{b.percent}%</td>
                  <td>
                    <span className={`badge budget-${b.state}`}>{b.state}</span>
                    {b.state === "warn" ? <span className="muted"> warns at {b.warnPercent}%</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <SpendTable
        id="department"
        title="By department"
        rows={report.departments}
        totals={report.totals}
        exportHref={href("department")}
        columns={[
          { label: "Department", cell: (r) => r.department },
          { label: "Cost centre", cell: (r) => r.costCentre ?? "—" },
        ]}
      />
      <SpendTable
        id="team"
        title="By team"
        rows={report.teams}
        totals={report.totals}
        exportHref={href("team")}
        columns={[
          { label: "Team", cell: (r) => r.team },
          { label: "Department", cell: (r) => r.department ?? "—" },
        ]}
      />
      <SpendTable
        id="course"
        title="By course"
        rows={report.courses}
        totals={report.totals}
        exportHref={href("course")}
        columns={[{ label: "Course", cell: (r) => r.course }]}
      />
      <SpendTable
        id="model"
        title="By model"
        rows={report.models}
        totals={report.totals}
        exportHref={href("model")}
        columns={[
          {
            label: "Model",
            cell: (r) => (isOfflineJudge(r.model) ? judgeNameCapitalised(r.model) : <code>{r.model}</code>),
          },
          { label: "Provider", cell: (r) => r.provider },
          { label: "Tier", cell: (r) => r.tier },
        ]}
      />
      <SpendTable
        id="purpose"
        title="By purpose"
        rows={report.purposes}
        totals={report.totals}
        exportHref={href("purpose")}
        columns={[{ label: "Purpose", cell: (r) => r.label }]}
      />
    </>
  );
}
