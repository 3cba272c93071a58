import { useEffect, useRef } from "react";
import uPlot from "uplot";

/**
 * The production spend trend drawn with uPlot (a 50 KB canvas time-series library, bundled: no CDN), in the
 * browser only: loaded lazily after hydration by UsageTrend, which renders the same figures as a table first.
 * One line per series (dollars per UTC day); the legend follows the cursor. Its stylesheet is linked by the page
 * (uplot/dist/uPlot.min.css?url), not imported here: the app is "sideEffects": false.
 */

export interface TrendData {
  days: number[];
  series: { label: string; costMicros: number[] }[];
}

const COLOURS = ["#3b6fd8", "#d8793b", "#2e9e6a", "#a54fc4", "#c4a23b", "#8a8f98"];

export default function UsageTrendChart({ data, title }: { data: TrendData; title: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || data.days.length === 0) return;
    const plot = new uPlot(
      {
        title,
        width: Math.max(320, el.clientWidth),
        height: 260,
        scales: { x: { time: true } },
        axes: [{}, { values: (_u, ticks) => ticks.map((v) => `$${v.toLocaleString("en-US")}`), size: 70 }],
        series: [
          {},
          ...data.series.map((s, i) => ({
            label: s.label,
            stroke: COLOURS[i % COLOURS.length],
            width: 2,
            value: (_u: uPlot, v: number | null) => (v === null ? "—" : `$${v.toFixed(2)}`),
          })),
        ],
      },
      [data.days.map((d) => d / 1000), ...data.series.map((s) => s.costMicros.map((c) => c / 1_000_000))],
      el,
    );
    const resize = () => plot.setSize({ width: Math.max(320, el.clientWidth), height: 260 });
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      plot.destroy();
    };
  }, [data, title]);
  return <div ref={host} className="usage-trend-chart" data-testid="trend-canvas" aria-hidden="true" />;
}
