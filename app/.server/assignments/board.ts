import { and, eq, inArray, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import { assignments, attempts, teams, users } from "#db/schema";
import { type AssignmentState, assignmentProgress, STATE_URGENCY } from "~/domain/assignment-status";
import type { DbLike } from "../db";
import type { Scope } from "../scope";
import { activeAssignments, countingExercises, exerciseFacts, publishedExercises } from "./facts";

/**
 * The assignment dashboard: one row per learner and assigned course in the viewer's scope (learners by their
 * current team), with its state; a summary per team and course for the cross-team view. Team scope is part of
 * every query. A course assigned to a learner twice (team and person) is one row, by the earliest due date.
 */

export const BOARD_SORTS = ["urgency", "name", "team", "course", "due", "progress"] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];

export interface BoardFilter {
  teamId?: number;
  courseId?: number;
  state?: AssignmentState;
  /** Part of a learner's name or email. */
  q?: string;
  sort: BoardSort;
}

export interface BoardRow {
  assignmentId: number;
  userId: number;
  name: string;
  email: string;
  teamId: number | null;
  team: string;
  courseId: number;
  course: string;
  dueAt: Date;
  personal: boolean;
  state: AssignmentState;
  passed: number;
  required: number;
  lastAttemptAt: Date | null;
}

export const BOARD_ROW_LIMIT = 500;

function inScope(scope: Scope, column: typeof users.teamId | typeof assignments.teamId): SQL | undefined {
  if (scope.all) return undefined;
  return scope.teamIds.length ? inArray(column, scope.teamIds) : sql`0`;
}

/** `limit`: rows returned at most (the page shows BOARD_ROW_LIMIT; the CSV export every row). */
export function assignmentBoard(
  database: DbLike,
  scope: Scope,
  filter: BoardFilter,
  now = new Date(),
  limit = BOARD_ROW_LIMIT,
) {
  // Assignments reaching someone in scope: to a team in scope, or to a person whose current team is in scope.
  const list = activeAssignments(
    database,
    or(
      and(isNotNull(assignments.teamId), inScope(scope, assignments.teamId)),
      and(
        isNotNull(assignments.userId),
        sql`exists (select 1 from ${users} where ${users.id} = ${assignments.userId} and ${
          inScope(scope, users.teamId) ?? sql`1`
        })`,
      ),
    ),
  );
  const teamIds = [...new Set(list.flatMap((a) => (a.teamId === null ? [] : [a.teamId])))];
  const personIds = [...new Set(list.flatMap((a) => (a.userId === null ? [] : [a.userId])))];
  const reachedWhere = and(
    isNull(users.deactivatedAt),
    or(
      teamIds.length ? inArray(users.teamId, teamIds) : undefined,
      personIds.length ? inArray(users.id, personIds) : undefined,
    ) ?? sql`0`,
    inScope(scope, users.teamId),
  );
  const people = database
    .select({ id: users.id, name: users.name, email: users.email, teamId: users.teamId, team: teams.name })
    .from(users)
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(reachedWhere)
    .all();
  // The learners as a subquery, not a list of ids: a team of 50,000 stays one statement.
  const reachedIds = database.select({ id: users.id }).from(users).where(reachedWhere);
  const byTeam = new Map<number, typeof people>();
  for (const p of people) if (p.teamId !== null) byTeam.set(p.teamId, [...(byTeam.get(p.teamId) ?? []), p]);
  const personById = new Map(people.map((p) => [p.id, p]));

  const published = publishedExercises(database, [...new Set(list.map((a) => a.courseId))]);
  const exerciseIds = [...new Set(list.flatMap((a) => countingExercises(a.exerciseIds, published).map((e) => e.id)))];
  const facts = exerciseFacts(database, inArray(attempts.userId, reachedIds), exerciseIds);
  const last = lastAttempts(database, inArray(attempts.userId, reachedIds), exerciseIds);

  const rows: BoardRow[] = [];
  const seen = new Set<string>();
  for (const a of list) {
    const counting = countingExercises(a.exerciseIds, published).map((e) => e.id);
    if (counting.length === 0) continue;
    const reached =
      a.teamId !== null ? (byTeam.get(a.teamId) ?? []) : [personById.get(a.userId ?? -1)].filter((p) => p);
    for (const p of reached) {
      if (!p) continue;
      const key = `${p.id}:${a.courseId}`;
      if (seen.has(key)) continue; // list is by due date: the earliest wins
      seen.add(key);
      const progress = assignmentProgress(counting, facts.get(p.id) ?? new Map(), a.dueAt, now);
      rows.push({
        assignmentId: a.id,
        userId: p.id,
        name: p.name,
        email: p.email,
        teamId: p.teamId,
        team: p.team ?? "no team",
        courseId: a.courseId,
        course: a.courseTitle,
        dueAt: a.dueAt,
        personal: a.userId !== null,
        state: progress.state,
        passed: progress.passed,
        required: progress.required,
        lastAttemptAt: last.get(`${p.id}:${a.courseId}`) ?? null,
      });
    }
  }
  const summary = summarise(rows);
  const q = filter.q?.trim().toLowerCase();
  const filtered = rows.filter(
    (r) =>
      (filter.teamId === undefined || r.teamId === filter.teamId) &&
      (filter.courseId === undefined || r.courseId === filter.courseId) &&
      (filter.state === undefined || r.state === filter.state) &&
      (!q || r.name.toLowerCase().includes(q) || r.email.includes(q)),
  );
  filtered.sort(comparator(filter.sort));
  return {
    summary,
    rows: filtered.slice(0, limit),
    total: filtered.length,
    assignments: list.map((a) => ({
      id: a.id,
      courseId: a.courseId,
      course: a.courseTitle,
      target: a.teamName ?? personById.get(a.userId ?? -1)?.name ?? "someone who left your teams",
      personal: a.userId !== null,
      dueAt: a.dueAt,
      exercises: countingExercises(a.exerciseIds, published).length,
    })),
  };
}

/** The latest attempt per learner and course, for "last active". */
function lastAttempts(database: DbLike, who: SQL, exerciseIds: number[]): Map<string, Date> {
  const out = new Map<string, Date>();
  if (exerciseIds.length === 0) return out;
  const rows = database
    .select({
      userId: attempts.userId,
      courseId: sql<number>`(select course_id from exercises where id = ${attempts.exerciseId})`,
      at: sql<number>`max(${attempts.createdAt})`,
    })
    .from(attempts)
    .where(and(who, inArray(attempts.exerciseId, exerciseIds)))
    .groupBy(attempts.userId, attempts.exerciseId)
    .all();
  for (const r of rows) {
    const key = `${r.userId}:${r.courseId}`;
    const at = new Date(Number(r.at));
    const prev = out.get(key);
    if (!prev || at > prev) out.set(key, at);
  }
  return out;
}

export interface SummaryRow {
  teamId: number | null;
  team: string;
  courseId: number;
  course: string;
  counts: Record<AssignmentState, number>;
}

function summarise(rows: BoardRow[]): SummaryRow[] {
  const map = new Map<string, SummaryRow>();
  for (const r of rows) {
    const key = `${r.teamId}:${r.courseId}`;
    let s = map.get(key);
    if (!s) {
      s = {
        teamId: r.teamId,
        team: r.team,
        courseId: r.courseId,
        course: r.course,
        counts: { not_started: 0, in_progress: 0, done: 0, overdue: 0 },
      };
      map.set(key, s);
    }
    s.counts[r.state]++;
  }
  return [...map.values()].sort((a, b) => a.team.localeCompare(b.team) || a.course.localeCompare(b.course));
}

function comparator(sort: BoardSort): (a: BoardRow, b: BoardRow) => number {
  const byName = (a: BoardRow, b: BoardRow) => a.name.localeCompare(b.name) || a.userId - b.userId;
  switch (sort) {
    case "name":
      return (a, b) => byName(a, b) || a.course.localeCompare(b.course);
    case "team":
      return (a, b) => a.team.localeCompare(b.team) || byName(a, b);
    case "course":
      return (a, b) => a.course.localeCompare(b.course) || byName(a, b);
    case "due":
      return (a, b) => a.dueAt.getTime() - b.dueAt.getTime() || byName(a, b);
    case "progress":
      return (a, b) => a.passed / a.required - b.passed / b.required || byName(a, b);
    default:
      return (a, b) =>
        STATE_URGENCY[a.state] - STATE_URGENCY[b.state] || a.dueAt.getTime() - b.dueAt.getTime() || byName(a, b);
  }
}
