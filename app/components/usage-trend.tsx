import { lazy, Suspense, useEffect, useState } from "react";
import { formatMicros } from "~/domain/cost";
import type { TrendData } from "./usage-trend-chart.client";

const UsageTrendChart = lazy(() => import("./usage-trend-chart.client"));

/**
 * Daily production spend per group: a table that reads without JavaScript (and to screen readers), and, once the
 * page has hydrated, the uPlot chart of the same figures above it.
 */
export function UsageTrend({ data, title }: { data: TrendData; title: string }) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (data.days.length === 0 || data.series.length === 0) return <p className="muted">No usage in this period.</p>;
  const totals = data.series.map((s) => s.costMicros.reduce((a, b) => a + b, 0));
  return (
    <figure className="usage-trend" data-testid="usage-trend">
      {hydrated ? (
        <Suspense fallback={<div className="usage-trend-chart loading">Loading chart…</div>}>
          <UsageTrendChart data={data} title={title} />
        </Suspense>
      ) : null}
      <figcaption>
        {title}: {data.series.map((s, i) => `${s.label} ${formatMicros(totals[i])}`).join(", ")} over {data.days.length}{" "}
        days.
      </figcaption>
    </figure>
  );
}
