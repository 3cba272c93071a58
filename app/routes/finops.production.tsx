import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import uplotCss from "uplot/dist/uPlot.min.css?url";
import { db } from "~/.server/db";
import { parsePeriod, periodQuery } from "~/.server/finops/period";
import { requireManagerScope } from "~/.server/scope";
import { productionBudgets } from "~/.server/usage/production-budgets";
import { type Figures, productionShowback } from "~/.server/usage/production-showback";
import { reattributionStatus } from "~/.server/usage/reattribution";
import { BudgetStatusTable } from "~/components/budget-status-table";
import { type Column, GroupTable } from "~/components/group-table";
import { PeriodForm } from "~/components/period-form";
import { ReattributionNotice } from "~/components/reattribution-notice";
import { SummaryFigures } from "~/components/summary-figures";
import { UsageTrend } from "~/components/usage-trend";
import { formatMicros } from "~/domain/cost";
import finopsStyles from "~/styles/finops.css?url";

export const meta: MetaFunction = () => [{ title: "Production spend · Tokenwise" }];
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: finopsStyles },
  { rel: "stylesheet", href: uplotCss },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const period = parsePeriod(new URL(request.url));
  const now = new Date();
  return {
    admin: scope.all,
    grouping: scope.all || scope.departmentIds.length > 0 ? "department" : "team",
    query: periodQuery(period),
    report: productionShowback(db(), scope, period, now),
    budgets: productionBudgets(db(), scope, now),
    month: now.toLocaleDateString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }),
    reattribution: reattributionStatus(db()),
  };
}

const count = (n: number) => n.toLocaleString("en-US");
const percent = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
const perCall = (x: number | null) => (x === null ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: 1 }));

function FiguresCells({ f }: { f: Figures }) {
  return (
    <>
      <td className="num">{formatMicros(f.costMicros)}</td>
      <td className="num">{count(f.calls)}</td>
      <td className="num">{f.unit.costPer1kCallsMicros === null ? "—" : formatMicros(f.unit.costPer1kCallsMicros)}</td>
      <td className="num">{perCall(f.unit.inputTokensPerCall)}</td>
      <td className="num">{perCall(f.unit.outputTokensPerCall)}</td>
      <td className="num">{percent(f.unit.cachedInputShare)}</td>
      <td className="num">{percent(f.unit.frontierShare)}</td>
    </>
  );
}

const FIGURE_HEADERS = [
  "Cost",
  "Calls",
  "Cost per 1,000 calls",
  "Input tokens per call",
  "Output tokens per call",
  "Cached input",
  "Frontier share",
].map((label) => ({ label }));

function Table<R extends Figures>(props: {
  id: string;
  title: string;
  rows: R[];
  columns: Column<R>[];
  extra?: Column<R>[];
  exportHref: string;
}) {
  return (
    <GroupTable
      {...props}
      testId={`production-${props.id}`}
      empty="No production usage in this period."
      figureHeaders={FIGURE_HEADERS}
      figures={(f) => <FiguresCells f={f} />}
    />
  );
}

export default function ProductionSpend() {
  const { admin, grouping, query, report, budgets, month, reattribution } = useLoaderData<typeof loader>();
  const href = (view: string) => `/finops/production/export/${view}?${query}`;
  const unallocatedShare =
    report.unallocated && report.totals.costMicros > 0 ? report.unallocated.costMicros / report.totals.costMicros : 0;
  return (
    <>
      <p className="crumbs">
        <Link to="/finops">Showback</Link> › Production spend
      </p>
      <h1>Production spend</h1>
      <p className="muted">
        The company's AI bill, imported from FOCUS files, OpenAI, Anthropic and LiteLLM and attributed to teams by the
        admin's rules. Per-call figures count only usage whose source reports its calls. Frontier share is the share of
        cost on frontier-tier models. What training changed in it: <Link to="/finops/impact">training impact</Link>.
      </p>
      <ReattributionNotice status={reattribution} />
      <PeriodForm from={report.from} to={report.to} thisMonth="/finops/production" />

      <SummaryFigures
        testId="production-totals"
        items={[
          {
            term: "Production spend",
            value: formatMicros(report.totals.costMicros),
            valueTestId: "production-spend",
          },
          { term: "Calls", value: count(report.totals.calls) },
          {
            term: "Cost per 1,000 calls",
            value:
              report.totals.unit.costPer1kCallsMicros === null
                ? "—"
                : formatMicros(report.totals.unit.costPer1kCallsMicros),
          },
          { term: "Frontier share", value: percent(report.totals.unit.frontierShare) },
          ...(admin && report.unallocated
            ? [
                {
                  term: (
                    <>
                      Unallocated (<Link to="/admin/usage/rules">rules</Link>)
                    </>
                  ),
                  value: `${formatMicros(report.unallocated.costMicros)} (${percent(unallocatedShare)})`,
                  className: "apart",
                  testId: "production-unallocated",
                },
              ]
            : []),
        ]}
      />

      <section aria-labelledby="production-budgets-title">
        <h2 id="production-budgets-title">Production budgets, {month}</h2>
        {budgets.length === 0 ? (
          <p className="muted">
            No production budgets for what you see.
            {admin ? (
              <>
                {" "}
                Set them at <Link to="/admin/usage/budgets">production budgets</Link>.
              </>
            ) : null}
          </p>
        ) : (
          <BudgetStatusTable
            testId="production-budgets"
            budgets={budgets}
            state={(b) => (
              <span className={`badge budget-${b.state === "over" ? "blocked" : b.state}`}>
                {b.state === "over" ? "over budget" : b.state === "warn" ? `over ${b.warnPercent}%` : "ok"}
              </span>
            )}
          />
        )}
      </section>

      <section aria-labelledby="trend-title">
        <div className="finops-heading">
          <h2 id="trend-title">Daily spend</h2>
          <a className="button secondary" href={href("daily")} download>
            Export CSV
          </a>
        </div>
        <UsageTrend data={report.trend} title={`Daily production spend by ${grouping}`} />
        {report.weeks.length > 0 ? (
          <table className="table finops-table" data-testid="production-weeks">
            <thead>
              <tr>
                <th>Week from (Monday)</th>
                <th className="num">Cost</th>
                <th className="num">Calls</th>
              </tr>
            </thead>
            <tbody>
              {report.weeks.map((w) => (
                <tr key={w.weekStart}>
                  <td>{w.weekStart}</td>
                  <td className="num">{formatMicros(w.costMicros)}</td>
                  <td className="num">{count(w.calls)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <Table
        id="department"
        title="By department"
        rows={report.departments}
        exportHref={href("department")}
        columns={[
          { label: "Department", cell: (r) => r.department },
          { label: "Cost centre", cell: (r) => r.costCentre ?? "—" },
        ]}
      />
      <Table
        id="team"
        title="By team"
        rows={report.teams}
        exportHref={href("team")}
        columns={[
          { label: "Team", cell: (r) => r.team },
          { label: "Department", cell: (r) => r.department ?? "—" },
        ]}
        extra={[
          {
            label: `Week over week (${report.weekWindow.thisWeekFrom} vs ${report.weekWindow.lastWeekFrom})`,
            cell: (r) => (
              <>
                {formatMicros(r.week.thisWeekMicros)}{" "}
                <span className="muted">
                  {r.week.change === null ? "" : `${r.week.change >= 0 ? "+" : ""}${(r.week.change * 100).toFixed(0)}%`}
                </span>
                {r.week.anomaly ? (
                  <span className="badge budget-warn" title="Week-over-week anomaly">
                    {r.week.anomaly}
                  </span>
                ) : null}
              </>
            ),
          },
        ]}
      />
      <Table
        id="model"
        title="By model"
        rows={report.models}
        exportHref={href("model")}
        columns={[
          { label: "Model", cell: (r) => <code>{r.model}</code> },
          { label: "Tier", cell: (r) => r.tier },
          { label: "Provider", cell: (r) => r.provider },
        ]}
      />
      <Table
        id="tier"
        title="By tier"
        rows={report.tiers}
        exportHref={href("tier")}
        columns={[{ label: "Tier", cell: (r) => r.tier }]}
      />
      <Table
        id="source"
        title="By source"
        rows={report.sources}
        exportHref={href("source")}
        columns={[
          { label: "Source", cell: (r) => r.source },
          { label: "Provider", cell: (r) => r.provider },
        ]}
      />
    </>
  );
}
