import { readFileSync } from "node:fs";
import { and, eq, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, courses, exercises, users, xapiStatements } from "#db/schema";
import { recordCompletion } from "~/.server/assignments/completion";
import { db } from "~/.server/db";
import { statementPages } from "~/.server/xapi";
import { action as assignAction } from "~/routes/manager.assignments";
import { loader as downloadLoader } from "~/routes/xapi.statements[.]json";
import { call, get, post, unwrap } from "./harness";
import { type Org, seedOrg } from "./org-fixture";

/**
 * The learning journey's xAPI statements ("assigned", "completed") in the download, scoped like the graded
 * attempts' by the learner each is about: Mia manages Alpha (Ana, Ben, Cal), Ned Delta (Hal), Ola heads Fixture
 * Support (Alpha, Beta, Gamma), Pat is admin.
 */

const ASSIGN = "http://activitystrea.ms/schema/1.0/assign";
const COMPLETED = "http://adlnet.gov/expapi/verbs/completed";
type Statement = {
  id: string;
  actor: { name: string; mbox?: string };
  verb: { id: string; display: Record<string, string> };
  object: { objectType: string; id?: string; name?: string; mbox?: string };
  timestamp: string;
  version: string;
};

let org: Org;
const courseId = (slug: string) =>
  db().select({ id: courses.id }).from(courses).where(eq(courses.slug, slug)).get()!.id;
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

async function assign(cookie: string, fields: Record<string, string>) {
  const res = unwrap(
    await call(assignAction, post("/manager/assignments", { intent: "assign", due: inDays(9), ...fields }, cookie)),
  );
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  org = await seedOrg();
  const compression = String(courseId("prompt-compression"));
  await assign(org.user.mia.cookie, { course: compression, target: "team", team: String(org.team.alpha) });
  await assign(org.user.ned.cookie, { course: compression, target: "team", team: String(org.team.delta) });
  await assign(org.user.ola.cookie, {
    course: compression,
    target: "person",
    email: db().select({ e: users.email }).from(users).where(eq(users.id, org.user.gus.id)).get()!.e,
  });
  // Ben passes every exercise of cost-aware-models, which nobody assigned him: a "completed" statement.
  const cost = courseId("cost-aware-models");
  for (const ex of db().select().from(exercises).where(eq(exercises.courseId, cost)).all())
    db()
      .insert(attempts)
      .values({
        userId: org.user.ben.id,
        teamId: org.team.alpha,
        exerciseId: ex.id,
        exerciseVersionId: ex.currentVersionId!,
        modelId: "gpt-4.1-mini",
        prompt: "p",
        status: "scored",
        passed: true,
        score: 900,
        gradedAt: new Date(),
      })
      .run();
  expect(recordCompletion(db(), org.user.ben.id, cost)).toBe(true);
});

async function download(cookie: string, query = "") {
  const res = (await call(downloadLoader, get(`/xapi/statements.json${query}`, cookie))) as Response;
  const all = (await res.json()) as Statement[];
  const journey = all.filter((s) => s.verb.id === ASSIGN || s.verb.id === COMPLETED);
  const about = (s: Statement) => (s.verb.id === ASSIGN ? s.object.name : s.actor.name);
  return { all, journey, about: journey.map((s) => `${s.verb.display["en-US"]} ${about(s)}`).sort() };
}

describe("assigned and completed statements in /xapi/statements.json", () => {
  it("are well-formed xAPI with the registry's verbs: 'assigned' (Activity Streams) and 'completed' (ADL)", async () => {
    const { journey } = await download(org.user.pat.cookie);
    expect(journey.length).toBe(6);
    for (const s of journey) {
      expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(s.version).toBe("1.0.3");
      expect(Number.isNaN(Date.parse(s.timestamp))).toBe(false);
      expect(s.actor.mbox ?? "").toMatch(/^mailto:/);
    }
    const assigned = journey.find((s) => s.verb.id === ASSIGN && s.object.name === "Ana Heavy")!;
    expect(assigned.verb.display).toEqual({ "en-US": "assigned" });
    expect(assigned.actor.name).toBe("Mia Manager");
    expect(assigned.object.objectType).toBe("Agent");
    const completed = journey.find((s) => s.verb.id === COMPLETED)!;
    expect(completed.actor.name).toBe("Ben Alpha");
    expect(completed.object.id).toMatch(/\/courses\/cost-aware-models$/);
    // Each statement once.
    expect(new Set(journey.map((s) => s.id)).size).toBe(journey.length);
  });

  it("are scoped like graded attempts: a manager their teams' learners, a department head their teams, a learner their own", async () => {
    expect((await download(org.user.mia.cookie)).about).toEqual([
      "assigned Ana Heavy",
      "assigned Ben Alpha",
      "assigned Cal Alpha",
      "completed Ben Alpha",
    ]);
    expect((await download(org.user.ned.cookie)).about).toEqual(["assigned Hal Delta"]);
    expect((await download(org.user.ola.cookie)).about).toEqual([
      "assigned =Gus Gamma",
      "assigned Ana Heavy",
      "assigned Ben Alpha",
      "assigned Cal Alpha",
      "completed Ben Alpha",
    ]);
    expect((await download(org.user.ana.cookie)).about).toEqual(["assigned Ana Heavy"]);
    // Ben sees his own two, and nobody else's.
    expect((await download(org.user.ben.cookie)).about).toEqual(["assigned Ben Alpha", "completed Ben Alpha"]);
  });

  it("follow the learner's current team: moved to Delta, Cal's are Ned's, no longer Mia's", async () => {
    db().update(users).set({ teamId: org.team.delta }).where(eq(users.id, org.user.cal.id)).run();
    try {
      expect((await download(org.user.mia.cookie)).about).not.toContain("assigned Cal Alpha");
      expect((await download(org.user.ned.cookie)).about).toEqual(["assigned Cal Alpha", "assigned Hal Delta"]);
    } finally {
      db().update(users).set({ teamId: org.team.alpha }).where(eq(users.id, org.user.cal.id)).run();
    }
  });

  it("are filtered by their timestamp with the same whole UTC days as graded attempts", async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect((await download(org.user.pat.cookie, `?from=${today}&to=${today}`)).journey).toHaveLength(6);
    expect((await download(org.user.pat.cookie, `?from=${inDays(1)}`)).journey).toHaveLength(0);
    expect((await download(org.user.pat.cookie, `?to=${inDays(-1)}`)).journey).toHaveLength(0);
  });

  it("come page by page after the graded ones, each once, whatever the page size", () => {
    const admin = { id: org.user.pat.id, roles: ["admin" as const] };
    const whole = [...statementPages(db(), admin, {}, "http://localhost:3000", 1000)].flat();
    for (const size of [1, 2, 5]) {
      const pages = [...statementPages(db(), admin, {}, "http://localhost:3000", size)];
      expect(pages.every((p) => p.length <= size)).toBe(true);
      expect(pages.flat().map((s) => s.id)).toEqual(whole.map((s) => s.id));
    }
  });

  it("statements queued before the learner was recorded are given theirs by the migration", () => {
    // As a statement queued by an earlier version stood: no user_id.
    db().update(xapiStatements).set({ userId: null }).where(isNull(xapiStatements.attemptId)).run();
    const backfill = readFileSync("db/migrations/0024_xapi_statement_learner_backfill.sql", "utf8");
    db().run(sql.raw(backfill));
    const rows = db()
      .select({ userId: xapiStatements.userId, statement: xapiStatements.statement })
      .from(xapiStatements)
      .where(isNull(xapiStatements.attemptId))
      .all();
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      const s = r.statement as Statement;
      const mbox = s.verb.id === ASSIGN ? s.object.mbox : s.actor.mbox;
      const email = db().select({ e: users.email }).from(users).where(eq(users.id, r.userId!)).get()?.e;
      expect(`mailto:${email}`).toBe(mbox);
    }
    expect(
      db()
        .select()
        .from(xapiStatements)
        .where(and(isNull(xapiStatements.attemptId), isNull(xapiStatements.userId)))
        .all(),
    ).toEqual([]);
  });
});
