import { and, eq, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { assignments, attempts, courses, exercises, teams, users, xapiStatements } from "#db/schema";
import { assignmentBoard } from "~/.server/assignments/board";
import { myLearning } from "~/.server/assignments/my-learning";
import { recordBest } from "~/.server/dashboard/rollup";
import { db } from "~/.server/db";
import { viewerScope } from "~/.server/scope";
import { assignedStatementId, completedStatementId } from "~/.server/xapi/journey-statements";
import { loader as certificateLoader } from "~/routes/certificates.$courseSlug";
import { loader as learningLoader } from "~/routes/learning";
import { action as assignAction, loader as boardLoader } from "~/routes/manager.assignments";
import { call, get, post, unwrap } from "./harness";
import { C, type Org, seedOrg } from "./org-fixture";

/**
 * Assignments against the fixture organisation (test/integration/org-fixture.ts): Mia manages Alpha (Ana, Ben,
 * Cal), Ned manages Delta (Hal), Ola heads Fixture Support (Alpha, Beta, Gamma), Pat is admin. Ana has passed
 * compress-ticket-summary and keep-the-safety-rules (prompt-compression) and route-to-nano (cost-aware-models).
 */

let org: Org;
let compression: number;
let compressionExercises: number;
let costAware: number;
const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  org = await seedOrg();
  const id = (slug: string) => db().select({ id: courses.id }).from(courses).where(eq(courses.slug, slug)).get()!.id;
  compression = id("prompt-compression");
  // The course's published exercises when the fixture is seeded (it grows as content is added).
  compressionExercises = db()
    .select({ id: exercises.id })
    .from(exercises)
    .where(eq(exercises.courseId, compression))
    .all().length;
  costAware = id("cost-aware-models");
});

async function assign(cookie: string, fields: Record<string, string>) {
  return unwrap<{ ok: boolean; errors?: Record<string, string>; message?: string }>(
    await call(assignAction, post("/manager/assignments", fields, cookie)),
  );
}
const toTeam = (teamId: number, courseId: number, due = inDays(14)) => ({
  intent: "assign",
  course: String(courseId),
  target: "team",
  team: String(teamId),
  due,
});
const toPerson = (email: string, courseId: number, due = inDays(14)) => ({
  intent: "assign",
  course: String(courseId),
  target: "person",
  email,
  due,
});
const emailOf = (userId: number) => db().select({ e: users.email }).from(users).where(eq(users.id, userId)).get()!.e;
const board = (userId: number, filter = {}) =>
  assignmentBoard(db(), viewerScope(db(), { id: userId, roles: rolesOf(userId) }), { sort: "name", ...filter });
function rolesOf(userId: number) {
  return db()
    .all<{ role: "learner" | "manager" | "admin" }>(sql`select role from user_roles where user_id = ${userId}`)
    .map((r) => r.role);
}

describe("assigning", () => {
  it("a manager assigns a course to their team; each member's status follows their attempts", async () => {
    const res = await assign(org.user.mia.cookie, toTeam(org.team.alpha, compression));
    expect(res.status).toBe(200);
    const rows = board(org.user.mia.id).rows;
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(["Ana Heavy", "Ben Alpha", "Cal Alpha"]);
    expect(byName["Ana Heavy"]).toMatchObject({ state: "in_progress", passed: 2, required: compressionExercises });
    expect(byName["Ben Alpha"]).toMatchObject({ state: "in_progress", passed: 1, required: compressionExercises });
    expect(byName["Cal Alpha"]).toMatchObject({ state: "not_started", passed: 0, required: compressionExercises });
    // One "assigned" statement per member, queued in the xAPI outbox.
    for (const who of [org.user.ana, org.user.ben, org.user.cal]) {
      const row = db()
        .select()
        .from(xapiStatements)
        .where(
          eq(
            xapiStatements.id,
            assignedStatementId("http://localhost:3000", board(org.user.mia.id).rows[0].assignmentId, who.id),
          ),
        )
        .get();
      if (!row) throw new Error(`no assigned statement for ${who.name}`);
      expect(row.attemptId).toBeNull();
      expect((row.statement as { object: { name: string } }).object.name).toBe(who.name);
    }
  });

  it("refuses a team or a person outside the manager's teams (403), with the same words for unknown emails", async () => {
    const team = await assign(org.user.mia.cookie, toTeam(org.team.delta, compression));
    expect(team.status).toBe(403);
    expect(team.body.errors?.team).toMatch(/only to your own teams/);
    const other = await assign(org.user.mia.cookie, toPerson(emailOf(org.user.hal.id), costAware));
    const unknown = await assign(org.user.mia.cookie, toPerson("nobody@nowhere.example", costAware));
    expect(other.status).toBe(403);
    expect(unknown.status).toBe(403);
    expect(other.body.errors).toEqual(unknown.body.errors);
    const missingTeam = await assign(org.user.mia.cookie, toTeam(999_999, compression));
    expect(missingTeam.status).toBe(403);
    expect(db().select().from(assignments).where(eq(assignments.teamId, org.team.delta)).all()).toHaveLength(0);
  });

  it("refuses due dates in the past, malformed or impossible, by field, and never a 500", async () => {
    const cases = [inDays(-1), "2026-13-45", "2027-02-30", "tomorrow", "", "9".repeat(41), "2999-01-01", "2027-1-5"];
    for (const due of cases) {
      const res = await assign(org.user.mia.cookie, toTeam(org.team.alpha, costAware, due));
      expect(res.status, due).toBe(400);
      expect(res.body.errors?.due, due).toBeTruthy();
    }
    const noCourse = await assign(org.user.mia.cookie, { ...toTeam(org.team.alpha, costAware), course: "abc" });
    expect(noCourse.status).toBe(400);
    const wrongIntent = await assign(org.user.mia.cookie, { intent: "drop-table" });
    expect(wrongIntent.status).toBe(400);
  });

  it("refuses the same course to the same team twice (409), naming the due date to change instead", async () => {
    const again = await assign(org.user.ola.cookie, toTeam(org.team.alpha, compression, inDays(30)));
    expect(again.status).toBe(409);
    expect(again.body.errors?.form).toMatch(/already assigned to Alpha, due/);
  });

  it("learners and strangers cannot assign; the dashboard is for people with teams", async () => {
    expect(
      (
        (await call(
          assignAction,
          post("/manager/assignments", toTeam(org.team.alpha, costAware), org.user.ana.cookie),
        )) as Response
      ).status,
    ).toBe(403);
    expect(((await call(boardLoader, get("/manager/assignments", org.user.ana.cookie))) as Response).status).toBe(403);
    expect(
      ((await call(boardLoader, get("/manager/assignments?state=bogus", org.user.mia.cookie))) as Response).status,
    ).toBe(400);
  });

  it("another manager sees nothing of Alpha's assignment and cannot change or remove it (404)", async () => {
    expect(board(org.user.ned.id).rows).toHaveLength(0);
    const id = board(org.user.mia.id).rows[0].assignmentId;
    const due = await assign(org.user.ned.cookie, { intent: "due", assignment: String(id), due: inDays(3) });
    const remove = await assign(org.user.ned.cookie, { intent: "remove", assignment: String(id) });
    expect(due.status).toBe(404);
    expect(remove.status).toBe(404);
  });
});

describe("what counts", () => {
  it("a learner's home lists the assignment with the next exercise to do", async () => {
    const page = unwrap<Awaited<ReturnType<typeof learningLoader>>>(
      await call(learningLoader, get("/learning", org.user.cal.cookie)),
    ).body;
    expect(page.assigned).toHaveLength(1);
    expect(page.assigned[0]).toMatchObject({ courseSlug: "prompt-compression", team: "Alpha", next: { slug: C } });
  });

  it("an exercise published after the assignment does not lower completion; one unpublished since drops out", () => {
    const template = db().select().from(exercises).where(eq(exercises.slug, C)).get()!;
    const added = db()
      .insert(exercises)
      .values({
        slug: "added-later",
        courseId: compression,
        position: 99,
        status: "published",
        currentVersionId: template.currentVersionId,
      })
      .returning({ id: exercises.id })
      .get().id;
    const ana = () => board(org.user.mia.id).rows.find((r) => r.name === "Ana Heavy")!;
    expect(ana()).toMatchObject({ passed: 2, required: compressionExercises });
    // A course assigned from now on counts the new exercise.
    const later = myLearning(db(), org.user.ana.id);
    expect(later.assigned[0].progress.required).toBe(compressionExercises);
    db().update(exercises).set({ status: "archived" }).where(eq(exercises.slug, "few-shot-diet")).run();
    expect(ana()).toMatchObject({ passed: 2, required: compressionExercises - 1 });
    db().update(exercises).set({ status: "published" }).where(eq(exercises.slug, "few-shot-diet")).run();
    db().update(exercises).set({ status: "archived" }).where(eq(exercises.id, added)).run();
  });

  it("passing every assigned exercise makes it done, records one 'completed' statement and opens the certificate", async () => {
    const cert = () =>
      call(certificateLoader, get("/certificates/prompt-compression", org.user.ben.cookie), {
        courseSlug: "prompt-compression",
      });
    expect(((await cert()) as Response).status).toBe(404);
    const set = db()
      .select({ ids: assignments.exerciseIds })
      .from(assignments)
      .where(and(eq(assignments.teamId, org.team.alpha), isNull(assignments.removedAt)))
      .get()!.ids;
    for (const exerciseId of set) passAs(org.user.ben.id, org.team.alpha, exerciseId);
    const row = board(org.user.mia.id).rows.find((r) => r.name === "Ben Alpha")!;
    expect(row).toMatchObject({ state: "done", passed: compressionExercises, required: compressionExercises });
    const completed = db()
      .select()
      .from(xapiStatements)
      .where(
        eq(xapiStatements.id, completedStatementId("http://localhost:3000", "prompt-compression", org.user.ben.id)),
      )
      .all();
    expect(completed).toHaveLength(1);
    const statement = completed[0].statement as {
      verb: { id: string };
      context: { extensions: Record<string, unknown> };
    };
    expect(statement.verb.id).toBe("http://adlnet.gov/expapi/verbs/completed");
    expect(statement.context.extensions["https://tokenwise.dev/xapi/on-time"]).toBe(true);
    const page = unwrap<{ learner: string; exercises: unknown[]; statementId: string }>(await cert()).body;
    expect(page.learner).toBe("Ben Alpha");
    expect(page.exercises).toHaveLength(compressionExercises);
    expect(page.statementId).toBe(completed[0].id);
    // Passing again does not add a second statement.
    passAs(org.user.ben.id, org.team.alpha, set[0]);
    expect(db().select().from(xapiStatements).where(eq(xapiStatements.id, completed[0].id)).all()).toHaveLength(1);
  });

  it("someone who already passed everything is done the moment it is assigned (and the statement says so)", async () => {
    const set = db()
      .select({ id: exercises.id })
      .from(exercises)
      .where(and(eq(exercises.courseId, costAware), eq(exercises.status, "published")))
      .all();
    for (const e of set) passAs(org.user.dee.id, org.team.beta, e.id);
    const res = await assign(org.user.ola.cookie, toPerson(emailOf(org.user.dee.id), costAware));
    expect(res.status).toBe(200);
    expect(board(org.user.ola.id, { state: "done" }).rows.map((r) => r.name)).toContain("Dee Beta");
  });
});

describe("people moving and big teams", () => {
  it("a learner who moves team leaves the old team's assignment; a personal one follows them to the new manager", async () => {
    const res = await assign(org.user.mia.cookie, toPerson(emailOf(org.user.cal.id), costAware));
    expect(res.status).toBe(200);
    expect(board(org.user.mia.id).rows.filter((r) => r.name === "Cal Alpha")).toHaveLength(2);
    db().update(users).set({ teamId: org.team.delta }).where(eq(users.id, org.user.cal.id)).run();
    expect(board(org.user.mia.id).rows.filter((r) => r.name === "Cal Alpha")).toHaveLength(0);
    const ned = board(org.user.ned.id).rows.filter((r) => r.name === "Cal Alpha");
    expect(ned.map((r) => r.course)).toEqual(
      ["Cost-aware models"].map((t) => expect.stringContaining(t.split(" ")[0])),
    );
    const cal = myLearning(db(), org.user.cal.id).assigned.map((a) => a.courseSlug);
    expect(cal).toEqual(["cost-aware-models"]);
    // Mia can no longer change it; Ned can.
    const id = ned[0].assignmentId;
    expect((await assign(org.user.mia.cookie, { intent: "remove", assignment: String(id) })).status).toBe(404);
    expect((await assign(org.user.ned.cookie, { intent: "due", assignment: String(id), due: inDays(2) })).status).toBe(
      200,
    );
    db().update(users).set({ teamId: org.team.alpha }).where(eq(users.id, org.user.cal.id)).run();
  });

  it("a team of 3,000 gets one row each, the page shows the first 500, and the counts add up", async () => {
    const dept = db().select({ id: teams.departmentId }).from(teams).where(eq(teams.id, org.team.gamma)).get()!.id;
    const huge = db().insert(teams).values({ name: "Huge", departmentId: dept }).returning({ id: teams.id }).get().id;
    const sqlite = db().$client;
    const insert = sqlite.prepare("insert into users (email, name, password_hash, team_id) values (?, ?, 'x', ?)");
    sqlite.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`huge${i}@fixture.example`, `Huge ${String(i).padStart(4, "0")}`, huge);
    })();
    const started = performance.now();
    const res = await assign(org.user.ola.cookie, toTeam(huge, compression));
    const assignMs = performance.now() - started;
    expect(res.status).toBe(200);
    const t0 = performance.now();
    const b = board(org.user.ola.id, { teamId: huge });
    const boardMs = performance.now() - t0;
    expect(b.total).toBe(3000);
    expect(b.rows).toHaveLength(500);
    expect(b.summary.find((s) => s.teamId === huge)?.counts.not_started).toBe(3000);
    const statements = db()
      .select({ n: sql<number>`count(*)` })
      .from(xapiStatements)
      .where(sql`json_extract(statement, '$.context.extensions."https://tokenwise.dev/xapi/team"') = 'Huge'`)
      .get()!.n;
    expect(statements).toBe(3000);
    console.log(`huge team: assign ${assignMs.toFixed(0)} ms (3,000 statements), board ${boardMs.toFixed(0)} ms`);
  });
});

/** A passing graded attempt, folded into the rollups the way grading does (recordBest in the same transaction). */
function passAs(userId: number, teamId: number, exerciseId: number) {
  const ex = db()
    .select({ versionId: exercises.currentVersionId })
    .from(exercises)
    .where(eq(exercises.id, exerciseId))
    .get()!;
  db().transaction((tx) => {
    const attempt = tx
      .insert(attempts)
      .values({
        userId,
        teamId,
        exerciseId,
        exerciseVersionId: ex.versionId!,
        modelId: "gpt-4.1-mini",
        prompt: "p",
        status: "scored",
        passed: true,
        score: 900,
        gradedAt: new Date(),
      })
      .returning()
      .get();
    recordBest(tx, attempt);
  });
}
