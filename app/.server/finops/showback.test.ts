import { describe, expect, it } from "vitest";
import { buildShowback, type Names, type SpendCell, ZERO } from "./showback";

const PERIOD = { fromDate: "2025-11-01", toDate: "2025-12-01" };

function cell(over: Partial<SpendCell>): SpendCell {
  return {
    ...ZERO,
    departmentId: 1,
    teamId: 10,
    courseId: 100,
    provider: "openai",
    model: "gpt-4o",
    tier: "medium",
    purpose: "target",
    calls: 1,
    ...over,
  };
}

const NAMES: Names = {
  departments: new Map([
    [1, { name: "Research", costCentre: "CC-1" }],
    [2, { name: "Ops", costCentre: "CC-2" }],
  ]),
  teams: new Map([
    [10, { name: "Alpha", department: "Research" }],
    [11, { name: "Beta", department: "Research" }],
    [20, { name: "Gamma", department: "Ops" }],
  ]),
  courses: new Map([[100, { title: "Compression", slug: "compression" }]]),
};

const CELLS: SpendCell[] = [
  cell({ costMicros: 5_700, inputTokens: 1_000, cachedInputTokens: 200, outputTokens: 500 }),
  cell({
    purpose: "judge",
    model: "gpt-4o-mini",
    tier: "small",
    costMicros: 360,
    inputTokens: 2_000,
    outputTokens: 100,
  }),
  cell({
    calls: 2,
    cacheHits: 2,
    savedMicros: 11_400,
    inputTokens: 2_000,
    cachedInputTokens: 400,
    outputTokens: 1_000,
  }),
  cell({ teamId: 11, courseId: null, purpose: "preview", costMicros: 411, inputTokens: 333 }),
  cell({ departmentId: 2, teamId: 20, costMicros: 4_000_000, inputTokens: 1_000_000, outputTokens: 250_000 }),
  cell({ departmentId: null, teamId: null, courseId: null, purpose: "preview", costMicros: 7 }),
];

describe("buildShowback", () => {
  const report = buildShowback(PERIOD, CELLS, NAMES);

  it("totals every cell exactly, with cache savings kept apart from cost", () => {
    expect(report.totals).toEqual({
      calls: 7,
      inputTokens: 1_005_333,
      cachedInputTokens: 600,
      outputTokens: 251_600,
      costMicros: 4_006_478,
      cacheHits: 2,
      savedMicros: 11_400,
    });
  });

  it("sums per department with its cost centre, costliest first, unattributed calls named as such", () => {
    expect(report.departments.map((d) => [d.department, d.costCentre, d.calls, d.costMicros, d.savedMicros])).toEqual([
      ["Ops", "CC-2", 1, 4_000_000, 0],
      ["Research", "CC-1", 5, 6_471, 11_400],
      ["Unattributed", null, 1, 7, 0],
    ]);
  });

  it("sums per team with the team's department", () => {
    expect(report.teams.map((t) => [t.team, t.department, t.costMicros])).toEqual([
      ["Gamma", "Ops", 4_000_000],
      ["Alpha", "Research", 6_060],
      ["Beta", "Research", 411],
      ["No team", null, 7],
    ]);
  });

  it("sums per course, per model (with provider and tier) and per purpose", () => {
    expect(report.courses.map((c) => [c.course, c.slug, c.costMicros])).toEqual([
      ["Compression", "compression", 4_005_700 + 360],
      ["No course", null, 418],
    ]);
    expect(report.models.map((m) => [m.provider, m.model, m.tier, m.costMicros, m.calls])).toEqual([
      ["openai", "gpt-4o", "medium", 4_006_118, 6],
      ["openai", "gpt-4o-mini", "small", 360, 1],
    ]);
    expect(report.purposes.map((p) => [p.purpose, p.calls, p.costMicros, p.cacheHits])).toEqual([
      ["target", 4, 4_005_700, 2],
      ["judge", 1, 360, 0],
      ["preview", 2, 418, 0],
      ["embedding", 0, 0, 0],
    ]);
    expect(report.purposes.find((p) => p.purpose === "embedding")?.label).toBe("embedding (semantic cache)");
  });

  it("every view adds up to the totals", () => {
    for (const view of [report.departments, report.teams, report.courses, report.models, report.purposes]) {
      expect(view.reduce((s, r) => s + r.costMicros, 0)).toBe(report.totals.costMicros);
      expect(view.reduce((s, r) => s + r.savedMicros, 0)).toBe(report.totals.savedMicros);
      expect(view.reduce((s, r) => s + r.calls, 0)).toBe(report.totals.calls);
    }
  });

  it("shows an empty period as zeros, still listing every purpose", () => {
    const empty = buildShowback(PERIOD, [], NAMES);
    expect(empty.totals).toEqual(ZERO);
    expect(empty.teams).toEqual([]);
    expect(empty.purposes.map((p) => [p.purpose, p.calls])).toEqual([
      ["target", 0],
      ["judge", 0],
      ["preview", 0],
      ["embedding", 0],
    ]);
  });
});
