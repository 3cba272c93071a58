import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { assignments, attempts, courses, teams, users, xapiStatements } from "#db/schema";
import { dueDateText } from "~/domain/assignment-status";
import { config } from "../config";
import { type DbLike, writeTransaction } from "../db";
import { canSeeTeam, type Scope } from "../scope";
import { buildAssignedStatement } from "../xapi/journey-statements";
import { recordCompletion } from "./completion";
import { exerciseFacts, publishedExercises } from "./facts";

/**
 * Assigning, re-dating and removing assignments. Every function checks the actor's scope itself: a manager
 * reaches only the teams linked to them, a department head their departments' teams, an admin everything; a
 * person is reachable through the team they are in now. Refusals are values with an HTTP status and a message.
 */

export interface Actor {
  id: number;
  scope: Scope;
}
export type Target = { teamId: number } | { email: string };
export type Outcome<T = number> = { ok: true; value: T } | { ok: false; status: number; error: string; field?: string };

const refuse = (status: number, error: string, field?: string) => ({ ok: false as const, status, error, field });

/** The learners an assignment reaches now: the team's active members, or the one person. */
function learnersOf(database: DbLike, target: { teamId: number | null; userId: number | null }) {
  const where =
    target.teamId !== null
      ? and(eq(users.teamId, target.teamId), isNull(users.deactivatedAt))
      : eq(users.id, target.userId ?? -1);
  return database.select({ id: users.id, name: users.name, email: users.email }).from(users).where(where).all();
}

function resolveTarget(database: DbLike, actor: Actor, target: Target) {
  if ("teamId" in target) {
    const team = database
      .select({ id: teams.id, name: teams.name })
      .from(teams)
      .where(eq(teams.id, target.teamId))
      .get();
    if (!team || !canSeeTeam(actor.scope, team.id)) {
      return refuse(403, "You can assign courses only to your own teams.", "team");
    }
    return { ok: true as const, teamId: team.id, userId: null, label: team.name, team: team.name };
  }
  const email = target.email.trim().toLowerCase();
  const person = database
    .select({ id: users.id, name: users.name, teamId: users.teamId, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(eq(users.email, email))
    .get();
  // Unknown and out of scope read the same, so the form cannot be used to find out who has an account.
  if (!person || person.deactivatedAt || !canSeeTeam(actor.scope, person.teamId)) {
    return refuse(403, "You can assign courses only to people in your own teams.", "email");
  }
  return { ok: true as const, teamId: null, userId: person.id, label: person.name, team: null };
}

export function assignCourse(
  database: DbLike,
  actor: Actor,
  input: { courseId: number; target: Target; dueAt: Date },
  now = new Date(),
  publicUrl = config().PUBLIC_URL,
): Outcome {
  const target = resolveTarget(database, actor, input.target);
  if (!target.ok) return target;
  const course = database
    .select({ id: courses.id, slug: courses.slug, title: courses.title })
    .from(courses)
    .where(and(eq(courses.id, input.courseId), eq(courses.status, "published")))
    .get();
  if (!course) return refuse(400, "Pick a published course.", "course");
  const exerciseIds = publishedExercises(database, [course.id]).map((e) => e.id);
  if (exerciseIds.length === 0) return refuse(400, `“${course.title}” has no published exercises yet.`, "course");
  const existing = database
    .select({ id: assignments.id, dueAt: assignments.dueAt })
    .from(assignments)
    .where(
      and(
        eq(assignments.courseId, course.id),
        isNull(assignments.removedAt),
        target.teamId !== null ? eq(assignments.teamId, target.teamId) : eq(assignments.userId, target.userId ?? -1),
      ),
    )
    .get();
  if (existing) {
    return refuse(
      409,
      `“${course.title}” is already assigned to ${target.label}, due ${dueDateText(existing.dueAt)}; change that due date instead.`,
    );
  }
  const assigner = database
    .select({ name: users.name, email: users.email })
    .from(users)
    .where(eq(users.id, actor.id))
    .get();
  try {
    const id = writeTransaction(database, (tx) => {
      const row = tx
        .insert(assignments)
        .values({
          courseId: course.id,
          teamId: target.teamId,
          userId: target.userId,
          dueAt: input.dueAt,
          exerciseIds,
          assignedBy: actor.id,
          createdAt: now,
        })
        .returning({ id: assignments.id })
        .get();
      const learners = learnersOf(tx, target);
      // Who has already passed every exercise of the set (one query, however big the team).
      const facts = exerciseFacts(
        tx,
        target.teamId !== null
          ? inArray(attempts.userId, tx.select({ id: users.id }).from(users).where(eq(users.teamId, target.teamId)))
          : eq(attempts.userId, target.userId ?? -1),
        exerciseIds,
      );
      for (const learner of learners) {
        const statement = buildAssignedStatement(
          {
            assignmentId: row.id,
            learnerId: learner.id,
            learner,
            assigner: assigner ?? null,
            course,
            dueAt: input.dueAt,
            exercises: exerciseIds.length,
            team: target.team,
            at: now,
          },
          publicUrl,
        );
        tx.insert(xapiStatements)
          .values({ id: statement.id, statement, userId: learner.id })
          .onConflictDoNothing()
          .run();
        // Someone who had already passed every exercise has completed it the moment it is assigned.
        const done = facts.get(learner.id);
        if (done && exerciseIds.every((e) => done.get(e)?.firstPassAt))
          recordCompletion(tx, learner.id, course.id, publicUrl);
      }
      return row.id;
    });
    return { ok: true, value: id };
  } catch (err) {
    // Two managers assigning the same course at once: the partial unique index lets one through.
    if (err instanceof Error && /UNIQUE constraint failed/.test(err.message)) {
      return refuse(409, `“${course.title}” is already assigned to ${target.label}.`);
    }
    throw err;
  }
}

/** The assignment if the actor may change it: its team, or its person's current team, is in scope. */
function ownAssignment(database: DbLike, actor: Actor, assignmentId: number) {
  const a = database
    .select({ id: assignments.id, teamId: assignments.teamId, userTeamId: users.teamId })
    .from(assignments)
    .leftJoin(users, eq(users.id, assignments.userId))
    .where(and(eq(assignments.id, assignmentId), isNull(assignments.removedAt)))
    .get();
  if (!a) return null;
  return canSeeTeam(actor.scope, a.teamId ?? a.userTeamId) ? a : null;
}

const NOT_YOURS = "There is no assignment of your teams at this address.";

export function changeDueDate(database: DbLike, actor: Actor, assignmentId: number, dueAt: Date): Outcome<null> {
  if (!ownAssignment(database, actor, assignmentId)) return refuse(404, NOT_YOURS);
  database.update(assignments).set({ dueAt }).where(eq(assignments.id, assignmentId)).run();
  return { ok: true, value: null };
}

/** Removes an assignment (the row stays as the record of it; attempts and completions are untouched). */
export function removeAssignment(
  database: DbLike,
  actor: Actor,
  assignmentId: number,
  now = new Date(),
): Outcome<null> {
  if (!ownAssignment(database, actor, assignmentId)) return refuse(404, NOT_YOURS);
  database
    .update(assignments)
    .set({ removedAt: now, removedBy: actor.id })
    .where(eq(assignments.id, assignmentId))
    .run();
  return { ok: true, value: null };
}

/** What the assign form offers: the teams in scope and the published courses with exercises. */
export function assignChoices(database: DbLike, scope: Scope) {
  const teamRows = database
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(scope.all ? undefined : scope.teamIds.length ? inArray(teams.id, scope.teamIds) : sql`0`)
    .orderBy(asc(teams.name))
    .all();
  const courseRows = database
    .select({ id: courses.id, title: courses.title })
    .from(courses)
    .where(
      and(
        eq(courses.status, "published"),
        sql`exists (select 1 from exercises e where e.course_id = ${courses.id} and e.status = 'published')`,
      ),
    )
    .orderBy(asc(courses.position), asc(courses.title))
    .all();
  return { teams: teamRows, courses: courseRows };
}
