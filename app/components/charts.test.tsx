import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BarChart, describeTrend, linePath, Sparkline, scaleY, WeeklyTrendChart } from "./charts";

const points = [
  { week: "2026-W10", attempts: 4, medianScore: 650 },
  { week: "2026-W11", attempts: 0, medianScore: null },
  { week: "2026-W12", attempts: 7, medianScore: 900 },
];

describe("chart geometry", () => {
  it("puts 0 at the bottom of the plot and the maximum at the top", () => {
    expect(scaleY(0, 1000)).toBe(118);
    expect(scaleY(1000, 1000)).toBe(12);
    expect(scaleY(5, 0)).toBeLessThan(scaleY(0, 0));
  });

  it("breaks the line where a week has no score", () => {
    const d = linePath([650, null, 900], 1000);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d).not.toContain("L");
    expect(linePath([100, 200], 1000)).toMatch(/^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/);
  });
});

describe("WeeklyTrendChart", () => {
  it("states the figures in its accessible name and title, and draws one bar per week", () => {
    const html = renderToStaticMarkup(<WeeklyTrendChart points={points} title="Team Alpha" />);
    expect(html).toContain('role="img"');
    expect(describeTrend(points)).toBe(
      "11 graded attempts over the last 3 weeks; 7 in the current week 2026-W12; latest median score 900 (2026-W12)",
    );
    expect(html).toContain(`aria-label="Team Alpha: ${describeTrend(points)}."`);
    expect(html).toContain("<title");
    expect(html.match(/<rect /g)).toHaveLength(3);
    expect(html.match(/<circle /g)).toHaveLength(2);
  });

  it("says there are no scores yet when nothing was graded", () => {
    expect(describeTrend([{ week: "2026-W12", attempts: 0, medianScore: null }])).toContain("no scores yet");
  });
});

describe("Sparkline and BarChart", () => {
  it("label themselves for screen readers", () => {
    expect(renderToStaticMarkup(<Sparkline values={[1, 2]} max={2} label="weekly median" />)).toContain(
      'aria-label="weekly median: latest 2, scored in 2 of 2 weeks, from 1 to 2"',
    );
    const bars = renderToStaticMarkup(
      <BarChart
        title="Spend"
        items={[
          { label: "Alpha", value: 2 },
          { label: "Beta", value: 1 },
        ]}
      />,
    );
    expect(bars).toContain('aria-label="Spend: Alpha 2, Beta 1."');
    expect(bars.match(/<rect /g)).toHaveLength(2);
  });
});

describe("Sparkline with few values", () => {
  it("draws a dot for a week with no neighbour, so one scored week is not a blank line", () => {
    const html = renderToStaticMarkup(<Sparkline values={[null, null, 640, null]} max={1000} label="Ana" />);
    expect(html.match(/<circle /g)).toHaveLength(1);
    expect(html).toContain('aria-label="Ana: latest 640, scored in 1 of 4 weeks"');
  });
  it("draws a line and no dots when weeks are next to each other", () => {
    const html = renderToStaticMarkup(<Sparkline values={[500, 700, null]} max={1000} label="Ben" />);
    expect(html).not.toContain("<circle");
    expect(html).toContain("from 500 to 700");
  });
  it("says 'no scores yet' in words instead of an empty picture", () => {
    const html = renderToStaticMarkup(<Sparkline values={[null, null]} max={1000} label="Cal" />);
    expect(html).not.toContain("<svg");
    expect(html).toContain("no scores yet");
  });
});

describe("WeeklyTrendChart legend", () => {
  it("names what the bars and the line are, with their scales, and says when there is nothing yet", () => {
    const empty = renderToStaticMarkup(
      <WeeklyTrendChart title="T" points={[{ week: "2026-W12", attempts: 0, medianScore: null }]} />,
    );
    expect(empty).toContain("Graded attempts per week (left scale");
    expect(empty).toContain("Median score of the week");
    expect(empty).toContain("No graded attempts in these weeks yet.");
  });
});
