import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/.server/db";
import { budgetBoard } from "~/.server/finops/budget-board";
import { parsePeriod, periodQuery } from "~/.server/finops/period";
import { type SpendFigures, showback } from "~/.server/finops/showback";
import type { Scope } from "~/.server/scope";
import { requireManagerScope } from "~/.server/scope";
import { BudgetStatusTable } from "~/components/budget-status-table";
import { isOfflineJudge } from "~/components/grading-basis";
import { type Column, GroupTable } from "~/components/group-table";
import { PeriodForm } from "~/components/period-form";
import { SummaryFigures } from "~/components/summary-figures";
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

const SPEND_HEADERS = [
  { label: "Calls" },
  { label: "Input tokens" },
  { label: "of which cached" },
  { label: "Output tokens" },
  { label: "Cost" },
  { label: "Cache hits", className: "num apart" },
  { label: "Cache savings" },
];

function SpendTable<R extends SpendFigures>(props: {
  id: string;
  title: string;
  columns: Column<R>[];
  rows: R[];
  totals: SpendFigures;
  exportHref: string;
}) {
  return (
    <GroupTable<R, SpendFigures>
      {...props}
      testId={`spend-${props.id}`}
      empty="No model calls in this period."
      figureHeaders={SPEND_HEADERS}
      figures={(f) => <Figures f={f} />}
    />
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
      <PeriodForm from={report.from} to={report.to} thisMonth="/finops" />

      <SummaryFigures
        testId="finops-totals"
        items={[
          { term: "Spend", value: formatMicros(report.totals.costMicros) },
          { term: "Model calls", value: count(report.totals.calls) },
          { term: "Tokens", value: count(report.totals.inputTokens + report.totals.outputTokens) },
          {
            term: `Cache savings (${count(report.totals.cacheHits)} hits)`,
            value: formatMicros(report.totals.savedMicros),
            className: "apart",
          },
        ]}
      />
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
          <BudgetStatusTable
            testId="budget-status"
            budgets={budgets}
            extra={[
              { label: "Held for calls in flight", cell: (b) => formatMicros(b.heldMicros) },
              {
                label: "Remaining",
                cell: (b) =>
                  b.remainingMicros < 0
                    ? `over by ${formatMicrosExact(-b.remainingMicros)}`
                    : formatMicrosExact(b.remainingMicros),
              },
            ]}
            state={(b) => (
              <>
                <span className={`badge budget-${b.state}`}>{b.state}</span>
                {b.state === "warn" ? <span className="muted"> warns at {b.warnPercent}%</span> : null}
              </>
            )}
          />
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
