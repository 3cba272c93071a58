import { eq, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { assignments, xapiStatements } from "#db/schema";
import { assignmentBoard } from "~/.server/assignments/board";
import { DEMO_ASSIGNMENTS, dueInDays } from "~/.server/assignments/demo-assignments";
import { myLearning } from "~/.server/assignments/my-learning";
import { resetConfigForTests } from "~/.server/config";
import { db } from "~/.server/db";
import { viewerScope } from "~/.server/scope";
import { findUserIdByEmail } from "~/.server/users";
import { ready } from "./harness";

/** The demo organisation as `npm start` seeds it: its assignments show every state on both dashboards. */

const DAY = 86_400_000;
let seededAt: number;

beforeAll(async () => {
  process.env.DEMO_SEED = "true";
  resetConfigForTests();
  seededAt = Date.now();
  await ready();
}, 180_000);

const idOf = (email: string) => findUserIdByEmail(db(), email)!;

describe("the demo organisation's assignments", () => {
  it("are all made, by the demo manager and admin, dated around the seeding time", () => {
    const rows = db().select().from(assignments).where(isNull(assignments.removedAt)).all();
    expect(rows).toHaveLength(DEMO_ASSIGNMENTS.length);
    const now = Date.now();
    const overdue = rows.filter((r) => r.dueAt.getTime() < seededAt);
    const upcoming = rows.filter((r) => r.dueAt.getTime() > now);
    expect(overdue.length).toBeGreaterThanOrEqual(2);
    expect(upcoming.length).toBeGreaterThanOrEqual(2);
    // Every due date is the end of a UTC day, no further than 90 days from now, and after it was assigned.
    for (const r of rows) {
      expect((r.dueAt.getTime() + 1) % DAY).toBe(0);
      expect(Math.abs(r.dueAt.getTime() - now)).toBeLessThan(90 * DAY);
      expect(r.createdAt.getTime()).toBeLessThan(r.dueAt.getTime());
    }
    const by = new Set(rows.map((r) => r.assignedBy));
    expect(by).toEqual(new Set([idOf("manager@tokenwise.example"), idOf("admin@tokenwise.example")]));
  });

  it("give the demo manager's dashboard done, overdue and open rows, only from the teams they manage", () => {
    const managerId = idOf("manager@tokenwise.example");
    const scope = viewerScope(db(), { id: managerId, roles: ["manager"] });
    const board = assignmentBoard(db(), scope, { sort: "urgency" });
    const states = new Set(board.rows.map((r) => r.state));
    expect(states.has("done")).toBe(true);
    expect(states.has("overdue")).toBe(true);
    expect(states.has("in_progress") || states.has("not_started")).toBe(true);
    expect(new Set(board.rows.map((r) => r.team))).toEqual(new Set(["Support EMEA", "Support Americas"]));
    // The admin's own team assignment (Data) is not the manager's to see.
    expect(board.rows.some((r) => r.team === "Data")).toBe(false);
  });

  it("give the demo learner an overdue team course and a personal one due soon on My learning", () => {
    const { assigned } = myLearning(db(), idOf("learner@tokenwise.example"));
    const states = assigned.map((a) => [a.team === null ? "personal" : a.team, a.progress.state]);
    expect(states).toEqual(
      expect.arrayContaining([
        ["Support EMEA", "overdue"],
        ["personal", "not_started"],
      ]),
    );
  });

  it("some trained learners completed on time, and the xAPI outbox holds the assigned and completed statements", () => {
    const completed = db()
      .select({ s: xapiStatements.statement })
      .from(xapiStatements)
      .where(sql`json_extract(${xapiStatements.statement}, '$.verb.id') = 'http://adlnet.gov/expapi/verbs/completed'`)
      .all()
      .map((r) => r.s as { context: { extensions: Record<string, unknown> } });
    const onTime = completed.filter((s) => s.context.extensions["https://tokenwise.dev/xapi/on-time"] === true);
    expect(onTime.length).toBeGreaterThanOrEqual(2);
    const assigned = db()
      .select({ n: sql<number>`count(*)` })
      .from(xapiStatements)
      .where(sql`json_extract(${xapiStatements.statement}, '$.verb.id') = 'http://activitystrea.ms/schema/1.0/assign'`)
      .get();
    expect(assigned?.n).toBeGreaterThanOrEqual(DEMO_ASSIGNMENTS.length);
    expect(db().select().from(xapiStatements).where(eq(xapiStatements.id, "")).all()).toEqual([]);
  });
});

describe("dueInDays", () => {
  it("is the end of the UTC day that many days away, whatever the time of day", () => {
    const morning = new Date(Date.UTC(2026, 11, 6, 0, 0, 1));
    const night = new Date(Date.UTC(2026, 11, 6, 23, 59, 59));
    for (const now of [morning, night]) {
      expect(dueInDays(now, 0).toISOString()).toBe("2026-12-06T23:59:59.999Z");
      expect(dueInDays(now, -10).toISOString()).toBe("2026-11-26T23:59:59.999Z");
      expect(dueInDays(now, 30).toISOString()).toBe("2027-01-05T23:59:59.999Z");
    }
  });
});
