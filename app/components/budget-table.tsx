import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { BudgetActionData, BudgetTarget } from "~/.server/budget-form";

/**
 * A budget page's table (training budgets, production budgets): one row per department or team, the page's own
 * figure columns, and a form to set the monthly limit and warn percentage or remove the budget. The action's answer
 * shows beside the row it came from.
 */

export interface BudgetTableRow extends BudgetTarget {
  /** The limit and warn percentage set, or null when the row has no budget. */
  limits: { limitMicros: number; warnPercent: number } | null;
}

const dollars = (micros: number) => (micros / 1_000_000).toString();

export function BudgetTable<R extends BudgetTableRow>({
  rows,
  label,
  testId,
  limitLabel,
  columns,
  cells,
  result,
}: {
  rows: R[];
  label: string;
  testId: string;
  /** How the limit field is read out: "Monthly limit in dollars", "Monthly production limit in dollars". */
  limitLabel: string;
  columns: string[];
  cells: (row: R) => ReactNode;
  result?: BudgetActionData;
}) {
  const busy = useNavigation().state !== "idle";
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th>{label}</th>
          {columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
          <th>Monthly limit (USD) and warn at %</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const target = `${row.scope}:${row.scopeId}`;
          const mine = result?.target === target ? result : undefined;
          const errors = mine && !mine.ok ? mine.errors : {};
          return (
            <tr key={target}>
              <td>
                {row.name}
                <br />
                <span className="muted">{row.detail}</span>
              </td>
              {cells(row)}
              <td>
                <Form method="post" className="row-form">
                  <input type="hidden" name="scope" value={row.scope} />
                  <input type="hidden" name="scopeId" value={row.scopeId} />
                  <label>
                    <input
                      name="limit"
                      inputMode="decimal"
                      className="narrow"
                      defaultValue={row.limits ? dollars(row.limits.limitMicros) : ""}
                      placeholder="e.g. 500"
                      aria-label={`${limitLabel} for ${row.name}`}
                      aria-invalid={!!errors.limit}
                    />
                    {errors.limit ? <span className="field-error">{errors.limit}</span> : null}
                  </label>
                  <label>
                    <input
                      name="warnPercent"
                      inputMode="numeric"
                      className="narrow"
                      defaultValue={row.limits?.warnPercent ?? 80}
                      aria-label={`Warn percent for ${row.name}`}
                      aria-invalid={!!errors.warnPercent}
                    />
                    {errors.warnPercent ? <span className="field-error">{errors.warnPercent}</span> : null}
                  </label>
                  <button type="submit" name="intent" value="save" className="secondary" disabled={busy}>
                    Save
                  </button>
                  {row.limits ? (
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
