import { and, asc, count, eq, sql } from "drizzle-orm";
import { attempts, bestScores, courses, departments, teams, users } from "#db/schema";
import type { DbLike } from "../db";
import type { Scope } from "../scope";
import { exerciseInfo } from "./content";
import { inScope } from "./in-scope";
import { mean, median } from "./stats";

/** The manager's team × course progress grid. */

export interface GridTeam {
  id: number;
  name: string;
  department: string;
  members: number;
}

export interface GridCourse {
  id: number;
  slug: string;
  title: string;
  exercises: number;
}

export interface GridCell {
  teamId: number;
  courseId: number;
  /** member × exercise pairs with a passing attempt. */
  passed: number;
  /** member × exercise pairs with any graded attempt. */
  attempted: number;
  /** passed / (members × exercises of the course), 0–1. */
  completion: number;
  /** Over attempted pairs, each pair's best graded score (0–1000); null when nothing was attempted. */
  averageBest: number | null;
  medianBest: number | null;
}

export interface ProgressGrid {
  teams: GridTeam[];
  courses: GridCourse[];
  cells: GridCell[];
}

/**
 * Teams in scope (their current members) against every published course. Best scores come from the
 * all-time best_scores rollup, or (source "attempts", the definition and the benchmark's baseline)
 * from grouping every graded attempt.
 */
export function progressGrid(database: DbLike, scope: Scope, source: "rollup" | "attempts" = "rollup"): ProgressGrid {
  const teamRows = database
    .select({ id: teams.id, name: teams.name, department: departments.name, members: count(users.id) })
    .from(teams)
    .innerJoin(departments, eq(departments.id, teams.departmentId))
    .leftJoin(users, eq(users.teamId, teams.id))
    .where(inScope(teams.id, scope))
    .groupBy(teams.id)
    .orderBy(asc(departments.name), asc(teams.name))
    .all();

  const info = exerciseInfo(database);
  const published = [...info.values()].filter((e) => e.published);
  const courseRows = database
    .select({ id: courses.id, slug: courses.slug, title: courses.title })
    .from(courses)
    .where(eq(courses.status, "published"))
    .orderBy(asc(courses.position), asc(courses.title))
    .all()
    .map((c) => ({ ...c, exercises: published.filter((e) => e.courseId === c.id).length }))
    .filter((c) => c.exercises > 0);

  const summaries =
    source === "rollup" ? rolledUpBests(database, scope) : summarise(bestsFromAttempts(database, scope));
  // Each cell's passes and scores, gathered in one pass over the (team, exercise) summaries.
  const byCell = new Map<string, { passed: number; scores: number[] }>();
  for (const b of summaries) {
    const exercise = info.get(b.exerciseId);
    if (!exercise?.published) continue;
    const key = `${b.teamId}:${exercise.courseId}`;
    let cell = byCell.get(key);
    if (!cell) {
      cell = { passed: 0, scores: [] };
      byCell.set(key, cell);
    }
    cell.passed += b.passed;
    for (const score of b.bests) cell.scores.push(score);
  }

  const cells: GridCell[] = [];
  for (const team of teamRows) {
    for (const course of courseRows) {
      const { passed, scores } = byCell.get(`${team.id}:${course.id}`) ?? { passed: 0, scores: [] };
      const possible = team.members * course.exercises;
      cells.push({
        teamId: team.id,
        courseId: course.id,
        passed,
        attempted: scores.length,
        completion: possible === 0 ? 0 : passed / possible,
        averageBest: mean(scores),
        medianBest: scores.length ? median(scores) : null,
      });
    }
  }
  return { teams: teamRows, courses: courseRows, cells };
}

/** Per current member and exercise: the best graded score and whether any attempt passed (1 or 0). */
function bestsFromAttempts(database: DbLike, scope: Scope) {
  return database
    .select({
      teamId: users.teamId,
      exerciseId: attempts.exerciseId,
      best: sql<number>`max(${attempts.score})`,
      passed: sql<number>`max(${attempts.passed})`,
    })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .where(and(eq(attempts.status, "scored"), inScope(users.teamId, scope)))
    .groupBy(attempts.userId, attempts.exerciseId)
    .all();
}

/** Per team and exercise: how many current members passed it, and each member's best graded score. */
interface TeamExercise {
  teamId: number | null;
  exerciseId: number;
  passed: number;
  bests: number[];
}

function summarise(pairs: ReturnType<typeof bestsFromAttempts>): TeamExercise[] {
  const out = new Map<string, TeamExercise>();
  for (const p of pairs) {
    const key = `${p.teamId}:${p.exerciseId}`;
    let s = out.get(key);
    if (!s) {
      s = { teamId: p.teamId, exerciseId: p.exerciseId, passed: 0, bests: [] };
      out.set(key, s);
    }
    if (p.passed === 1) s.passed++;
    s.bests.push(p.best ?? 0);
  }
  return [...out.values()];
}

/**
 * The same summaries from the all-time rollup's rows by team (a partial covering index on them): one index range
 * in (team, exercise) order, grouped without a sort, read as arrays.
 */
function rolledUpBests(database: DbLike, scope: Scope): TeamExercise[] {
  const teams = scope.all
    ? sql`team_id is not null`
    : sql`team_id in (select value from json_each(${JSON.stringify(scope.teamIds)}))`;
  return database
    .values<[number, number, number, string]>(sql`
      select team_id, exercise_id, sum(passed), group_concat(best_score) from ${bestScores} indexed by best_scores_team
       where period = 'all' and ${teams}
       group by team_id, exercise_id`)
    .map(([teamId, exerciseId, passed, bests]) => ({
      teamId,
      exerciseId,
      passed,
      bests: bests.split(",").map(Number),
    }));
}
