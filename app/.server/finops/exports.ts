import { toCsv } from "~/lib/csv";
import { usd } from "./money";
import type { Showback, SpendFigures } from "./showback";

/**
 * Showback as CSV, one file per view. Money appears twice: USD with 6 decimals (exact, for people
 * and spreadsheets) and integer micro-dollars (for machines), so a column total can be checked
 * against the ledger to the micro-dollar. No totals row: every row is one group, so summing or
 * pivoting the file never counts anything twice. Cells go through toCsv (formula escaping).
 */

export const SHOWBACK_VIEWS = ["department", "team", "course", "model", "purpose"] as const;
export type ShowbackView = (typeof SHOWBACK_VIEWS)[number];

const FIGURE_HEADER = [
  "Calls",
  "Input tokens",
  "Cached input tokens",
  "Output tokens",
  "Cost (USD)",
  "Cost (micro-USD)",
  "Cache hits",
  "Cache savings (USD)",
  "Cache savings (micro-USD)",
];

function figureCells(f: SpendFigures): unknown[] {
  return [
    f.calls,
    f.inputTokens,
    f.cachedInputTokens,
    f.outputTokens,
    usd(f.costMicros),
    f.costMicros,
    f.cacheHits,
    usd(f.savedMicros),
    f.savedMicros,
  ];
}

function table(report: Showback, view: ShowbackView): { header: string[]; rows: unknown[][] } {
  switch (view) {
    case "department":
      return {
        header: ["Department ID", "Department", "Cost centre"],
        rows: report.departments.map((r) => [r.departmentId, r.department, r.costCentre, ...figureCells(r)]),
      };
    case "team":
      return {
        header: ["Team ID", "Team", "Department"],
        rows: report.teams.map((r) => [r.teamId, r.team, r.department, ...figureCells(r)]),
      };
    case "course":
      return {
        header: ["Course ID", "Course", "Course slug"],
        rows: report.courses.map((r) => [r.courseId, r.course, r.slug, ...figureCells(r)]),
      };
    case "model":
      return {
        header: ["Provider", "Model", "Tier"],
        rows: report.models.map((r) => [r.provider, r.model, r.tier, ...figureCells(r)]),
      };
    case "purpose":
      return { header: ["Purpose"], rows: report.purposes.map((r) => [r.purpose, ...figureCells(r)]) };
  }
}

export function showbackCsv(report: Showback, view: ShowbackView): string {
  const { header, rows } = table(report, view);
  return toCsv([...header, ...FIGURE_HEADER], rows);
}

export function exportFilename(kind: string, period: { from: string; to: string }): string {
  return `tokenwise-${kind}-${period.from}_${period.to}.csv`;
}
