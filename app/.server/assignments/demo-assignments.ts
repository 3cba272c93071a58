import { and, asc, eq, isNull } from "drizzle-orm";
import { courses, exercises, teams, users, xapiStatements } from "#db/schema";
import { config } from "../config";
import { type Db, writeTransaction } from "../db";
import { viewerScope } from "../scope";
import { DEMO_ACCOUNTS } from "../seed";
import { findUserIdByEmail } from "../users";
import { completedStatementId } from "../xapi/journey-statements";
import { assignCourse, type Target } from "./assign";
import { recordCompletion } from "./completion";

/**
 * The demo organisation's assignments, dated around the seeding time so "My learning" and the manager's dashboard
 * show every state on a fresh `npm start`: a course the trained teams (usage/demo-training.ts) finished before its
 * due date, so some learners are done on time and the rest overdue; a course due in a few weeks that some have
 * started; one due soon assigned to the demo learner personally. Made through assignCourse, as a manager or admin
 * would, so the xAPI "assigned" and "completed" statements are queued too.
 */

const DAY_MS = 86_400_000;

/** The end of the UTC day `days` from now (negative: in the past), as a due date typed on the form would be. */
export function dueInDays(now: Date, days: number): Date {
  const startOfToday = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return new Date(startOfToday + (days + 1) * DAY_MS - 1);
}

interface DemoAssignment {
  by: (typeof DEMO_ACCOUNTS)[number]["email"];
  /** 0: the course the demo's trained teams passed; 1: the next one. */
  course: 0 | 1;
  target: { team: string } | { email: string };
  assignedDaysAgo: number;
  dueInDays: number;
}

// Support EMEA trained 60 days ago and Data 44 days ago (usage/demo-usage.ts): both assigned before that.
export const DEMO_ASSIGNMENTS: DemoAssignment[] = [
  { by: "manager@tokenwise.example", course: 0, target: { team: "Support EMEA" }, assignedDaysAgo: 75, dueInDays: -10 },
  {
    by: "manager@tokenwise.example",
    course: 1,
    target: { team: "Support Americas" },
    assignedDaysAgo: 5,
    dueInDays: 21,
  },
  {
    by: "manager@tokenwise.example",
    course: 1,
    target: { email: "learner@tokenwise.example" },
    assignedDaysAgo: 2,
    dueInDays: 12,
  },
  { by: "admin@tokenwise.example", course: 0, target: { team: "Data" }, assignedDaysAgo: 50, dueInDays: -30 },
  { by: "admin@tokenwise.example", course: 1, target: { team: "Platform" }, assignedDaysAgo: 3, dueInDays: 30 },
];

/** Returns how many assignments were made (fewer when the content has fewer than two courses with exercises). */
export function seedDemoAssignments(database: Db, now: Date): number {
  // The same order as the demo training's "first course": by id, with published exercises.
  const courseIds = [
    ...new Set(
      database
        .select({ id: exercises.courseId })
        .from(exercises)
        .innerJoin(courses, eq(courses.id, exercises.courseId))
        .where(eq(courses.status, "published"))
        .orderBy(asc(exercises.courseId))
        .all()
        .map((r) => r.id),
    ),
  ];
  let made = 0;
  for (const a of DEMO_ASSIGNMENTS) {
    const courseId = courseIds[a.course];
    const actorId = findUserIdByEmail(database, a.by);
    if (courseId === undefined || actorId === undefined) continue;
    const scope = viewerScope(database, {
      id: actorId,
      roles: [DEMO_ACCOUNTS.find((d) => d.email === a.by)!.role],
    });
    let target: Target;
    if ("team" in a.target) {
      const team = database.select({ id: teams.id }).from(teams).where(eq(teams.name, a.target.team)).get();
      if (!team) continue;
      target = { teamId: team.id };
    } else target = { email: a.target.email };
    const result = assignCourse(
      database,
      { id: actorId, scope },
      { courseId, target, dueAt: dueInDays(now, a.dueInDays) },
      new Date(now.getTime() - a.assignedDaysAgo * DAY_MS),
    );
    if (result.ok) made++;
  }
  requeueCompletions(database, courseIds);
  return made;
}

/**
 * The demo's training attempts were graded, and their "completed" statements queued, before they were dated back to
 * the training day and before these assignments existed: queue those statements again (unsent ones only) from the
 * attempts as they stand, so they carry the assignment, its due date and the real completion time.
 */
function requeueCompletions(database: Db, courseIds: number[], publicUrl = config().PUBLIC_URL) {
  const slugs = database.select({ id: courses.id, slug: courses.slug }).from(courses).all();
  const people = database.select({ id: users.id }).from(users).all();
  writeTransaction(database, (tx) => {
    for (const course of slugs.filter((c) => courseIds.includes(c.id)))
      for (const person of people) {
        const id = completedStatementId(publicUrl, course.slug, person.id);
        tx.delete(xapiStatements)
          .where(and(eq(xapiStatements.id, id), isNull(xapiStatements.sentAt)))
          .run();
        recordCompletion(tx, person.id, course.id, publicUrl);
      }
  });
}
