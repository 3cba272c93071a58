import { usd } from "~/.server/finops/money";
import { toCsv } from "~/lib/csv";
import type { Figures, ProductionShowback } from "./production-showback";

/**
 * The production showback as CSV, one file per view, like the training showback's exports: money as USD with 6
 * decimals and as integer micro-dollars, no totals row, every cell through csvCell (formula escaping).
 */

export const PRODUCTION_VIEWS = ["department", "team", "model", "tier", "source", "daily"] as const;
export type ProductionView = (typeof PRODUCTION_VIEWS)[number];

const FIGURES = [
  "Cost (USD)",
  "Cost (micro-USD)",
  "Calls",
  "Input tokens",
  "Cached input tokens",
  "Output tokens",
  "Cost per 1000 calls (USD)",
  "Input tokens per call",
  "Output tokens per call",
  "Cached input share",
  "Frontier share",
];

function figureCells(f: Figures): unknown[] {
  return [
    usd(f.costMicros),
    f.costMicros,
    f.calls,
    f.inputTokens,
    f.cachedInputTokens,
    f.outputTokens,
    f.unit.costPer1kCallsMicros === null ? "" : usd(f.unit.costPer1kCallsMicros),
    f.unit.inputTokensPerCall ?? "",
    f.unit.outputTokensPerCall ?? "",
    f.unit.cachedInputShare ?? "",
    f.unit.frontierShare ?? "",
  ];
}

export function productionCsv(report: ProductionShowback, view: ProductionView): string {
  switch (view) {
    case "department":
      return toCsv(
        ["Department ID", "Department", "Cost centre", ...FIGURES],
        report.departments.map((r) => [r.departmentId, r.department, r.costCentre, ...figureCells(r)]),
      );
    case "team":
      return toCsv(
        ["Team ID", "Team", "Department ID", "Department", ...FIGURES, "This week (USD)", "Last week (USD)", "Anomaly"],
        report.teams.map((r) => [
          r.teamId,
          r.team,
          r.departmentId,
          r.department,
          ...figureCells(r),
          usd(r.week.thisWeekMicros),
          usd(r.week.lastWeekMicros),
          r.week.anomaly ?? "",
        ]),
      );
    case "model":
      return toCsv(
        ["Provider", "Model", "Tier", ...FIGURES],
        report.models.map((r) => [r.provider, r.model, r.tier, ...figureCells(r)]),
      );
    case "tier":
      return toCsv(
        ["Tier", ...FIGURES],
        report.tiers.map((r) => [r.tier, ...figureCells(r)]),
      );
    case "source":
      return toCsv(
        ["Source", "Provider", ...FIGURES],
        report.sources.map((r) => [r.source, r.provider, ...figureCells(r)]),
      );
    case "daily":
      return toCsv(
        ["Day (UTC)", "Group", "Cost (USD)", "Cost (micro-USD)"],
        report.trend.series.flatMap((s) =>
          s.costMicros.map((c, i) => [new Date(report.trend.days[i]).toISOString().slice(0, 10), s.label, usd(c), c]),
        ),
      );
  }
}
