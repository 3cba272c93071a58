import type { ReactNode } from "react";
import { formatMicros } from "~/domain/cost";

/**
 * Budgets as a showback page lists them (training budgets at /finops, production budgets at /finops/production):
 * each budget's limit, spend, the page's own columns, the share used and its state.
 */

interface BudgetLine {
  scope: string;
  scopeId: number;
  name: string;
  limitMicros: number;
  spentMicros: number;
  percent: number;
}

export function BudgetStatusTable<B extends BudgetLine>({
  testId,
  budgets,
  extra = [],
  state,
}: {
  testId: string;
  budgets: B[];
  /** Columns after Spent. */
  extra?: { label: string; cell: (b: B) => ReactNode }[];
  state: (b: B) => ReactNode;
}) {
  return (
    <table className="table finops-table" data-testid={testId}>
      <thead>
        <tr>
          <th>Budget</th>
          <th className="num">Monthly limit</th>
          <th className="num">Spent</th>
          {extra.map((c) => (
            <th key={c.label} className="num">
              {c.label}
            </th>
          ))}
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
            {extra.map((c) => (
              <td key={c.label} className="num">
                {c.cell(b)}
              </td>
            ))}
            <td className="num">{b.percent}%</td>
            <td>{state(b)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
