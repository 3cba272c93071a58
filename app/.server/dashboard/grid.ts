import { and, asc, count, eq, sql } from "drizzle-orm";
import { attempts, courses, departments, teams, users } from "#db/schema";
import type { DbLike } from "../db";
import type { Scope } from "../scope";
import { exerciseInfo } from "./content";
import { inScope } from "./in-scope";
import { groupBy, mean, median } from "./stats";

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

/** Teams in scope (their current members) against every published course. */
export function progressGrid(database: DbLike, scope: Scope): ProgressGrid {
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

  const bests = database
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

  const byCell = groupBy(
    bests.filter((b) => info.get(b.exerciseId)?.published),
    (b) => `${b.teamId}:${info.get(b.exerciseId)?.courseId}`,
  );

  const cells: GridCell[] = [];
  for (const team of teamRows) {
    for (const course of courseRows) {
      const pairs = byCell.get(`${team.id}:${course.id}`) ?? [];
      const passed = pairs.filter((p) => p.passed === 1).length;
      const possible = team.members * course.exercises;
      const scores = pairs.map((p) => p.best ?? 0);
      cells.push({
        teamId: team.id,
        courseId: course.id,
        passed,
        attempted: pairs.length,
        completion: possible === 0 ? 0 : passed / possible,
        averageBest: mean(scores),
        medianBest: scores.length ? median(scores) : null,
      });
    }
  }
  return { teams: teamRows, courses: courseRows, cells };
}
