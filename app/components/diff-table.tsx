import type { DiffRow } from "~/.server/authoring/line-diff";

/** A line diff as a table: old and new line numbers, the line marked + or −, unchanged runs folded. */
export function DiffTable({ rows }: { rows: DiffRow[] }) {
  return (
    <table className="diff" data-testid="diff">
      <tbody>
        {rows.map((row, i) =>
          row.op === "skip" ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are recomputed as a whole, never reordered
            <tr key={i} className="diff-skip">
              <td colSpan={3}>… {row.count} unchanged lines …</td>
            </tr>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are recomputed as a whole, never reordered
            <tr key={i} className={`diff-${row.op}`}>
              <td className="diff-num">{row.oldLine ?? ""}</td>
              <td className="diff-num">{row.newLine ?? ""}</td>
              <td className="diff-text">
                <span aria-hidden>{row.op === "added" ? "+ " : row.op === "removed" ? "− " : "  "}</span>
                {row.text}
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
