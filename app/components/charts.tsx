import type { SKILL_AREAS } from "~/domain/exercise";

/**
 * Small inline-SVG charts (no chart library): pure functions of their data, readable by screen
 * readers (role="img", an aria-label that states the figures, and a <title>). Colours come from
 * the CSS variables of app/styles.css, so they follow the page theme.
 */

export interface TrendPoint {
  /** ISO week label, e.g. "2026-W12". */
  week: string;
  attempts: number;
  /** 0–1000; null in a week without graded attempts. */
  medianScore: number | null;
}

const W = 360;
const H = 140;
const PAD = { top: 12, right: 36, bottom: 22, left: 30 };

/** x position of the centre of slot i of n, across the plot area. */
export function slotX(i: number, n: number, width = W): number {
  const inner = width - PAD.left - PAD.right;
  return PAD.left + (inner * (i + 0.5)) / Math.max(1, n);
}

/** y position of a value on a 0..max scale (max ≤ 0 is treated as 1), top of the plot is max. */
export function scaleY(value: number, max: number, height = H): number {
  const inner = height - PAD.top - PAD.bottom;
  return PAD.top + inner * (1 - value / (max > 0 ? max : 1));
}

/** An SVG path through the points that have a value; a gap (null) starts a new segment. */
export function linePath(values: (number | null)[], max: number, width = W, height = H): string {
  let path = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    const cmd = pen ? "L" : "M";
    path += `${path ? " " : ""}${cmd}${slotX(i, values.length, width).toFixed(1)},${scaleY(v, max, height).toFixed(1)}`;
    pen = true;
  });
  return path;
}

export function describeTrend(points: TrendPoint[]): string {
  const total = points.reduce((s, p) => s + p.attempts, 0);
  const last = points.at(-1);
  const scored = points.filter((p) => p.medianScore !== null);
  const lastScored = scored.at(-1);
  return [
    `${total} graded attempt${total === 1 ? "" : "s"} over the last ${points.length} weeks`,
    last ? `${last.attempts} in the current week ${last.week}` : null,
    lastScored ? `latest median score ${lastScored.medianScore} (${lastScored.week})` : "no scores yet",
  ]
    .filter(Boolean)
    .join("; ");
}

/** Attempts per week as bars (left scale) and the median score as a line (right scale, 0–1000). */
export function WeeklyTrendChart({ points, title }: { points: TrendPoint[]; title: string }) {
  const maxAttempts = Math.max(1, ...points.map((p) => p.attempts));
  const slot = (W - PAD.left - PAD.right) / Math.max(1, points.length);
  const barWidth = Math.max(2, slot * 0.6);
  const baseline = scaleY(0, 1);
  const label = `${title}: ${describeTrend(points)}.`;
  return (
    <figure className="chart-figure">
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} data-testid="trend-chart">
        <title>{label}</title>
        <line className="chart-axis" x1={PAD.left} x2={W - PAD.right} y1={baseline} y2={baseline} />
        <text className="chart-tick" x={PAD.left - 4} y={scaleY(maxAttempts, maxAttempts) + 4} textAnchor="end">
          {maxAttempts}
        </text>
        <text className="chart-tick" x={W - PAD.right + 4} y={scaleY(1000, 1000) + 4}>
          1000
        </text>
        <text className="chart-tick" x={W - PAD.right + 4} y={baseline + 4}>
          0
        </text>
        {points.map((p, i) => {
          const top = scaleY(p.attempts, maxAttempts);
          return (
            <rect
              key={p.week}
              className="chart-bar"
              x={slotX(i, points.length) - barWidth / 2}
              y={top}
              width={barWidth}
              height={Math.max(0, baseline - top)}
            >
              <title>{`${p.week}: ${p.attempts} attempt${p.attempts === 1 ? "" : "s"}${p.medianScore === null ? "" : `, median score ${p.medianScore}`}`}</title>
            </rect>
          );
        })}
        <path
          className="chart-line"
          d={linePath(
            points.map((p) => p.medianScore),
            1000,
          )}
        />
        {points.map((p, i) =>
          p.medianScore === null ? null : (
            <circle
              key={p.week}
              className="chart-dot"
              cx={slotX(i, points.length)}
              cy={scaleY(p.medianScore, 1000)}
              r={2.5}
            />
          ),
        )}
        {points.length > 0 ? (
          <>
            <text className="chart-tick" x={slotX(0, points.length)} y={H - 6} textAnchor="middle">
              {points[0].week.slice(5)}
            </text>
            <text className="chart-tick" x={slotX(points.length - 1, points.length)} y={H - 6} textAnchor="middle">
              {points[points.length - 1].week.slice(5)}
            </text>
          </>
        ) : null}
      </svg>
      <figcaption className="chart-legend">
        <span>
          <span className="legend-swatch legend-bar" aria-hidden="true" /> Graded attempts per week (left scale, 0–
          {maxAttempts})
        </span>
        <span>
          <span className="legend-swatch legend-line" aria-hidden="true" /> Median score of the week's graded attempts
          (right scale, 0–1000)
        </span>
        {points.every((p) => p.attempts === 0) ? <span>No graded attempts in these weeks yet.</span> : null}
      </figcaption>
    </figure>
  );
}

/**
 * A word-sized line of values (e.g. weekly median scores); gaps are left open, and a value with no neighbour is
 * drawn as a dot (a line through one point draws nothing: the demo's learners scored in one week, and their
 * sparklines were blank). With no value at all it says so in words. The label states the figures.
 */
export function Sparkline({ values, max, label }: { values: (number | null)[]; max: number; label: string }) {
  const width = 96;
  const height = 24;
  const scored = values.filter((v): v is number => v !== null);
  if (scored.length === 0) return <span className="muted sparkline-empty">no scores yet</span>;
  const x = (i: number) => 3 + ((width - 6) * (i + 0.5)) / Math.max(1, values.length);
  const y = (v: number) => height - 3 - ((height - 6) * v) / (max > 0 ? max : 1);
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    d += `${d ? " " : ""}${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  const alone = values
    .map((v, i) => ({ v, i }))
    .filter(({ v, i }) => v !== null && (values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null);
  const full = `${label}: ${describeSeries(values)}`;
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={full}
    >
      <title>{full}</title>
      <path className="chart-line" d={d} />
      {alone.map(({ v, i }) => (
        <circle key={i} className="chart-dot" cx={x(i).toFixed(1)} cy={y(v as number).toFixed(1)} r={2.5} />
      ))}
    </svg>
  );
}

/** "latest 812, scored in 3 of 12 weeks, from 640 to 812" for a sparkline's label. */
export function describeSeries(values: (number | null)[]): string {
  const scored = values.filter((v): v is number => v !== null);
  if (scored.length === 0) return "no scores yet";
  const first = scored[0];
  const last = scored[scored.length - 1];
  return [
    `latest ${last}`,
    `scored in ${scored.length} of ${values.length} weeks`,
    scored.length > 1 ? `from ${first} to ${last}` : null,
  ]
    .filter(Boolean)
    .join(", ");
}

/** A horizontal bar per item, scaled to the largest value; `format` writes each value. */
export function BarChart({
  items,
  title,
  format = String,
}: {
  items: { label: string; value: number }[];
  title: string;
  format?: (value: number) => string;
}) {
  const rowH = 22;
  const width = 360;
  const labelW = 120;
  const valueW = 70;
  const height = Math.max(rowH, items.length * rowH);
  const max = Math.max(0, ...items.map((i) => i.value));
  const label = `${title}: ${items.map((i) => `${i.label} ${format(i.value)}`).join(", ") || "no data"}.`;
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <title>{label}</title>
      {items.map((item, i) => {
        const w = max > 0 ? ((width - labelW - valueW) * Math.max(0, item.value)) / max : 0;
        const y = i * rowH;
        return (
          <g key={item.label}>
            <text className="chart-tick" x={labelW - 6} y={y + rowH / 2 + 4} textAnchor="end">
              {item.label}
            </text>
            <rect className="chart-bar" x={labelW} y={y + 4} width={w} height={rowH - 8} />
            <text className="chart-tick" x={labelW + w + 4} y={y + rowH / 2 + 4}>
              {format(item.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export const SKILL_LABELS: Record<(typeof SKILL_AREAS)[number], string> = {
  compression: "Compression",
  "model-tiering": "Model tiering",
  "structured-output": "Structured output",
  caching: "Caching",
  safety: "Safety",
  "context-engineering": "Context engineering",
};

/** A 0–100 strength as a shaded number; "—" (not 0) when there is nothing to measure. */
export function Strength({ value, label }: { value: number | null; label: string }) {
  if (value === null)
    return (
      <span className="skill skill-none" title={`${label}: not attempted`}>
        —
      </span>
    );
  const band = value >= 70 ? "high" : value >= 40 ? "mid" : "low";
  return (
    <span className={`skill skill-${band}`} title={`${label}: ${value} / 100`}>
      {value}
    </span>
  );
}
