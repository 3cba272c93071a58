import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import uplotCss from "uplot/dist/uPlot.min.css?url";
import { db } from "~/.server/db";
import { parsePeriod, periodQuery } from "~/.server/finops/period";
import { requireManagerScope } from "~/.server/scope";
import { productionBudgets } from "~/.server/usage/production-budgets";
import { type Figures, productionShowback } from "~/.server/usage/production-showback";
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
  };
}

const count = (n: number) => n.toLocaleString("en-US");
const percent = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
const perCall = (x: number | null) => (x === null ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: 1 }));

interface Column<R> {
  label: string;
  cell: (row: R) => ReactNode;
}

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

function Table<R extends Figures>(props: {
  id: string;
  title: string;
  rows: R[];
  columns: Column<R>[];
  extra?: Column<R>[];
  exportHref: string;
}) {
  const { id, title, rows, columns, extra = [], exportHref } = props;
  return (
    <section aria-labelledby={`${id}-title`}>
      <div className="finops-heading">
        <h2 id={`${id}-title`}>{title}</h2>
        <a className="button secondary" href={exportHref} download>
          Export CSV
        </a>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No production usage in this period.</p>
      ) : (
        <table className="table finops-table" data-testid={`production-${id}`}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.label}>{c.label}</th>
              ))}
              <th className="num">Cost</th>
              <th className="num">Calls</th>
              <th className="num">Cost per 1,000 calls</th>
              <th className="num">Input tokens per call</th>
              <th className="num">Output tokens per call</th>
              <th className="num">Cached input</th>
              <th className="num">Frontier share</th>
              {extra.map((c) => (
                <th key={c.label}>{c.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: one group per row, never reordered on the client
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c.label}>{c.cell(row)}</td>
                ))}
                <FiguresCells f={row} />
                {extra.map((c) => (
                  <td key={c.label}>{c.cell(row)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export default function ProductionSpend() {
  const { admin, grouping, query, report, budgets, month } = useLoaderData<typeof loader>();
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
        <Link to="/finops/production">This month</Link>
      </Form>

      <dl className="finops-summary" data-testid="production-totals">
        <div>
          <dt>Production spend</dt>
          <dd data-testid="production-spend">{formatMicros(report.totals.costMicros)}</dd>
        </div>
        <div>
          <dt>Calls</dt>
          <dd>{count(report.totals.calls)}</dd>
        </div>
        <div>
          <dt>Cost per 1,000 calls</dt>
          <dd>
            {report.totals.unit.costPer1kCallsMicros === null
              ? "—"
              : formatMicros(report.totals.unit.costPer1kCallsMicros)}
          </dd>
        </div>
        <div>
          <dt>Frontier share</dt>
          <dd>{percent(report.totals.unit.frontierShare)}</dd>
        </div>
        {admin && report.unallocated ? (
          <div className="apart" data-testid="production-unallocated">
            <dt>
              Unallocated (<Link to="/admin/usage/rules">rules</Link>)
            </dt>
            <dd>
              {formatMicros(report.unallocated.costMicros)} ({percent(unallocatedShare)})
            </dd>
          </div>
        ) : null}
      </dl>

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
          <table className="table finops-table" data-testid="production-budgets">
            <thead>
              <tr>
                <th>Budget</th>
                <th className="num">Monthly limit</th>
                <th className="num">Spent</th>
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
                  <td className="num">{b.percent}%</td>
                  <td>
                    <span className={`badge budget-${b.state === "over" ? "blocked" : b.state}`}>
                      {b.state === "over" ? "over budget" : b.state === "warn" ? `over ${b.warnPercent}%` : "ok"}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
