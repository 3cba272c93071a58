import type { ReactNode } from "react";

/**
 * A showback section (training spend at /finops, production spend at /finops/production): a heading with its CSV
 * export, then a table of groups (by team, by model…): the group's own columns, the page's figure columns, optional
 * trailing columns and an optional total row. A period with no rows says so instead of drawing an empty table.
 */

export interface Column<R> {
  label: string;
  cell: (row: R) => ReactNode;
}

export function GroupTable<R, T = R>(props: {
  id: string;
  title: string;
  testId: string;
  exportHref: string;
  empty: string;
  columns: Column<R>[];
  /** The figure columns' headers, and their cells for a row (or the totals). */
  figureHeaders: { label: string; className?: string }[];
  figures: (f: R | T) => ReactNode;
  extra?: Column<R>[];
  rows: R[];
  totals?: T;
}) {
  const { id, title, testId, exportHref, empty, columns, figureHeaders, figures, extra = [], rows, totals } = props;
  return (
    <section aria-labelledby={`${id}-title`}>
      <div className="finops-heading">
        <h2 id={`${id}-title`}>{title}</h2>
        <a className="button secondary" href={exportHref} download>
          Export CSV
        </a>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <table className="table finops-table" data-testid={testId}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.label}>{c.label}</th>
              ))}
              {figureHeaders.map((h) => (
                <th key={h.label} className={h.className ?? "num"}>
                  {h.label}
                </th>
              ))}
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
                {figures(row)}
                {extra.map((c) => (
                  <td key={c.label}>{c.cell(row)}</td>
                ))}
              </tr>
            ))}
          </tbody>
          {totals === undefined ? null : (
            <tfoot>
              <tr>
                <th scope="row" colSpan={columns.length}>
                  Total
                </th>
                {figures(totals)}
              </tr>
            </tfoot>
          )}
        </table>
      )}
    </section>
  );
}
