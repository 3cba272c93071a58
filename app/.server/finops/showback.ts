import { and, eq, inArray, sql } from "drizzle-orm";
import { CALL_PURPOSES, courses, departments, modelCalls, teams } from "#db/schema";
import type { DbLike } from "~/.server/db";
import type { Scope } from "~/.server/scope";
import { ledgerFilter } from "./ledger-filter";
import type { Period } from "./period";
import { type CellGrain, rolledUpCells } from "./rollup";

/**
 * Showback from the ledger: what the training platform's model calls cost over a period, per
 * department (cost centre), team, course, model and purpose, within what the viewer may see.
 * Cache savings (what cache hits would have cost) are reported beside the cost, never netted
 * into it: the cost is what was spent.
 *
 * One grouped scan of the ledger at the finest grain (department × team × course × model ×
 * purpose) feeds every view and the totals, which are rolled up here in exact integer sums;
 * the number of such cells is bounded by the organisation's shape, not by the number of calls.
 */

export type Purpose = (typeof CALL_PURPOSES)[number];

export interface SpendFigures {
  calls: number;
  inputTokens: number;
  /** Part of inputTokens, billed at the cached-input price. */
  cachedInputTokens: number;
  outputTokens: number;
  costMicros: number;
  cacheHits: number;
  /** What cache hits would have cost; not subtracted from costMicros. */
  savedMicros: number;
}

export interface SpendCell extends SpendFigures {
  departmentId: number | null;
  teamId: number | null;
  courseId: number | null;
  provider: string;
  model: string;
  tier: string;
  purpose: Purpose;
}

export interface DepartmentSpend extends SpendFigures {
  departmentId: number | null;
  department: string;
  costCentre: string | null;
}

export interface TeamSpend extends SpendFigures {
  teamId: number | null;
  team: string;
  /** The team's department today. */
  department: string | null;
}

export interface CourseSpend extends SpendFigures {
  courseId: number | null;
  course: string;
  slug: string | null;
}

export interface ModelSpend extends SpendFigures {
  provider: string;
  model: string;
  tier: string;
}

export interface PurposeSpend extends SpendFigures {
  purpose: Purpose;
  /** How the page names it; exports keep the bare purpose. */
  label: string;
}

/** What each purpose of a call is, for the showback page (a Record, so a new purpose cannot go unlabelled). */
export const PURPOSE_LABELS: Record<Purpose, string> = {
  target: "target (prompts run on test inputs)",
  judge: "judge (grading)",
  preview: "preview (calibration)",
  embedding: "embedding (semantic cache)",
};

/** Ledger rows whose cost is not the provider's own figure, shown apart (counted in the totals at their estimate). */
export interface EstimatedSpend {
  /** Calls whose answer never arrived or came without usage: charged at the app's estimate. */
  unknownCalls: number;
  unknownMicros: number;
  /** Calls in flight right now: $0 in the totals until they settle; what they were expected to cost. */
  pendingCalls: number;
  pendingEstimateMicros: number;
}

export interface Showback {
  from: string;
  to: string;
  totals: SpendFigures;
  estimated: EstimatedSpend;
  departments: DepartmentSpend[];
  teams: TeamSpend[];
  courses: CourseSpend[];
  models: ModelSpend[];
  purposes: PurposeSpend[];
}

export interface Names {
  departments: Map<number, { name: string; costCentre: string }>;
  teams: Map<number, { name: string; department: string }>;
  courses: Map<number, { title: string; slug: string }>;
}

export const UNATTRIBUTED = { department: "Unattributed", team: "No team", course: "No course" } as const;

export const ZERO: SpendFigures = {
  calls: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  costMicros: 0,
  cacheHits: 0,
  savedMicros: 0,
};

export function addFigures(a: SpendFigures, b: SpendFigures): SpendFigures {
  return {
    calls: a.calls + b.calls,
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    costMicros: a.costMicros + b.costMicros,
    cacheHits: a.cacheHits + b.cacheHits,
    savedMicros: a.savedMicros + b.savedMicros,
  };
}

function figuresOf(c: SpendFigures): SpendFigures {
  return addFigures(ZERO, c);
}

/** Sums cells sharing a key; each group is described by its first cell. Costliest first, then by label. */
function rollUp<T extends { label: string }>(
  cells: SpendCell[],
  key: (c: SpendCell) => string,
  describe: (c: SpendCell) => T,
): (Omit<T, "label"> & SpendFigures)[] {
  const groups = new Map<string, { about: T; figures: SpendFigures }>();
  for (const cell of cells) {
    const k = key(cell);
    const group = groups.get(k);
    if (group) group.figures = addFigures(group.figures, cell);
    else groups.set(k, { about: describe(cell), figures: figuresOf(cell) });
  }
  return [...groups.values()]
    .sort(
      (a, b) =>
        b.figures.costMicros - a.figures.costMicros ||
        b.figures.calls - a.figures.calls ||
        a.about.label.localeCompare(b.about.label),
    )
    .map(({ about: { label: _label, ...about }, figures }) => ({ ...about, ...figures }));
}

/** The five views and the totals, from the finest-grain cells. Pure. */
export function buildShowback(
  period: Pick<Period, "fromDate" | "toDate">,
  cells: SpendCell[],
  names: Names,
): Omit<Showback, "estimated"> {
  const byPurpose = new Map<Purpose, SpendFigures>(CALL_PURPOSES.map((p) => [p, ZERO]));
  for (const cell of cells) byPurpose.set(cell.purpose, addFigures(byPurpose.get(cell.purpose) ?? ZERO, cell));
  return {
    from: period.fromDate,
    to: period.toDate,
    totals: cells.reduce<SpendFigures>(addFigures, ZERO),
    departments: rollUp(
      cells,
      (c) => String(c.departmentId),
      (c) => {
        const d = c.departmentId === null ? undefined : names.departments.get(c.departmentId);
        const department = d?.name ?? UNATTRIBUTED.department;
        return { label: department, departmentId: c.departmentId, department, costCentre: d?.costCentre ?? null };
      },
    ),
    teams: rollUp(
      cells,
      (c) => String(c.teamId),
      (c) => {
        const t = c.teamId === null ? undefined : names.teams.get(c.teamId);
        const team = t?.name ?? UNATTRIBUTED.team;
        return { label: team, teamId: c.teamId, team, department: t?.department ?? null };
      },
    ),
    courses: rollUp(
      cells,
      (c) => String(c.courseId),
      (c) => {
        const k = c.courseId === null ? undefined : names.courses.get(c.courseId);
        const course = k?.title ?? UNATTRIBUTED.course;
        return { label: course, courseId: c.courseId, course, slug: k?.slug ?? null };
      },
    ),
    models: rollUp(
      cells,
      (c) => JSON.stringify([c.provider, c.model, c.tier]),
      (c) => ({ label: c.model, provider: c.provider, model: c.model, tier: c.tier }),
    ),
    purposes: CALL_PURPOSES.map((purpose) => ({
      purpose,
      label: PURPOSE_LABELS[purpose],
      ...(byPurpose.get(purpose) ?? ZERO),
    })),
  };
}

/**
 * Where the sums come from: the ledger_rollup table (finops/rollup.ts), or one grouped scan of the ledger,
 * which is the definition the rollup must equal (tests and bench/org-scale.ts compare the two).
 */
export type SpendSource = "rollup" | "ledger";

/** The finest-grain sums of the ledger rows the viewer may see in the period. */
export function spendCells(
  database: DbLike,
  scope: Scope,
  period: Pick<Period, "from" | "to">,
  source: SpendSource = "rollup",
): SpendCell[] {
  return (
    (source === "rollup" && rolledUpCells(database, scope, period)) || spendCellsQuery(database, scope, period).all()
  );
}

/** The query behind spendCells, unexecuted (tests read its plan). */
export function spendCellsQuery(database: DbLike, scope: Scope, period: Pick<Period, "from" | "to">) {
  const m = modelCalls;
  return database
    .select({
      departmentId: m.departmentId,
      teamId: m.teamId,
      courseId: m.courseId,
      provider: m.provider,
      model: m.model,
      tier: m.tier,
      purpose: m.purpose,
      calls: sql<number>`count(*)`,
      inputTokens: sql<number>`sum(${m.inputTokens})`,
      cachedInputTokens: sql<number>`sum(${m.cachedInputTokens})`,
      outputTokens: sql<number>`sum(${m.outputTokens})`,
      costMicros: sql<number>`sum(${m.costMicros})`,
      cacheHits: sql<number>`sum(${m.cacheHit})`,
      savedMicros: sql<number>`sum(${m.savedMicros})`,
    })
    .from(m)
    .where(ledgerFilter(scope, period))
    .groupBy(m.departmentId, m.teamId, m.courseId, m.provider, m.model, m.tier, m.purpose);
}

function present(ids: (number | null)[]): number[] {
  return [...new Set(ids.filter((id): id is number => id !== null))];
}

/** Names of the departments, teams and courses that occur in the cells (primary-key lookups). */
export function namesFor(database: DbLike, cells: SpendCell[]): Names {
  const departmentIds = present(cells.map((c) => c.departmentId));
  const teamIds = present(cells.map((c) => c.teamId));
  const courseIds = present(cells.map((c) => c.courseId));
  const names: Names = { departments: new Map(), teams: new Map(), courses: new Map() };
  if (departmentIds.length > 0)
    for (const d of database
      .select({ id: departments.id, name: departments.name, costCentre: departments.costCentre })
      .from(departments)
      .where(inArray(departments.id, departmentIds))
      .all())
      names.departments.set(d.id, { name: d.name, costCentre: d.costCentre });
  if (teamIds.length > 0)
    for (const t of database
      .select({ id: teams.id, name: teams.name, department: departments.name })
      .from(teams)
      .innerJoin(departments, eq(departments.id, teams.departmentId))
      .where(inArray(teams.id, teamIds))
      .all())
      names.teams.set(t.id, { name: t.name, department: t.department });
  if (courseIds.length > 0)
    for (const c of database
      .select({ id: courses.id, title: courses.title, slug: courses.slug })
      .from(courses)
      .where(inArray(courses.id, courseIds))
      .all())
      names.courses.set(c.id, { title: c.title, slug: c.slug });
  return names;
}

/** Spend per department, team, course, model and purpose, with totals, for what the viewer may see. */
export function showback(database: DbLike, scope: Scope, period: Period, source: SpendSource = "rollup"): Showback {
  const view = (grain: CellGrain) => (source === "rollup" ? rolledUpCells(database, scope, period, grain) : null);
  const uses = view("uses");
  if (!uses) {
    const cells = spendCells(database, scope, period, "ledger");
    return {
      ...buildShowback(period, cells, namesFor(database, cells)),
      estimated: estimatedSpend(database, scope, period),
    };
  }
  // Two groupings summed by SQL from the smallest rollups (hundreds of rows a month) rather than tens of thousands
  // of finest-grain cells: by team (the team and department views) and by course × model × purpose (the other
  // views and the totals). buildShowback adds up and orders each view as it does the finest cells.
  const teams = view("teams") ?? [];
  const names = namesFor(database, [...teams, ...uses]);
  const byTeam = buildShowback(period, teams, names);
  return {
    ...buildShowback(period, uses, names),
    departments: byTeam.departments,
    teams: byTeam.teams,
    estimated: estimatedSpend(database, scope, period),
  };
}

/** The unknown and pending rows of the period (few: a partial index holds them), read from the ledger itself. */
export function estimatedSpend(database: DbLike, scope: Scope, period: Pick<Period, "from" | "to">): EstimatedSpend {
  const m = modelCalls;
  const rows = database
    .select({
      state: m.state,
      calls: sql<number>`count(*)`,
      cost: sql<number>`coalesce(sum(${m.costMicros}), 0)`,
      estimate: sql<number>`coalesce(sum(${m.estimateMicros}), 0)`,
    })
    .from(m)
    .where(and(sql`${m.state} <> 'settled'`, ledgerFilter(scope, period)))
    .groupBy(m.state)
    .all();
  const unknown = rows.find((r) => r.state === "unknown");
  const pending = rows.find((r) => r.state === "pending");
  return {
    unknownCalls: unknown?.calls ?? 0,
    unknownMicros: unknown?.cost ?? 0,
    pendingCalls: pending?.calls ?? 0,
    pendingEstimateMicros: pending?.estimate ?? 0,
  };
}
