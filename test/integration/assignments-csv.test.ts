import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { courses, users } from "#db/schema";
import { NO_PASSWORD } from "~/.server/admin/import-users";
import { BOARD_ROW_LIMIT } from "~/.server/assignments/board";
import { db } from "~/.server/db";
import { action as assignAction, loader as boardLoader } from "~/routes/manager.assignments";
import { loader as csvLoader } from "~/routes/manager.assignments[.]csv";
import { parseCsv } from "../support/csv-parse";
import { call, get, post, unwrap } from "./harness";
import { type Org, seedOrg } from "./org-fixture";

/**
 * The assignment dashboard's CSV export against the fixture organisation: Mia manages Alpha, Ned manages Delta,
 * Ola heads Fixture Support (Alpha, Beta, Gamma), Pat is admin.
 */

let org: Org;
let compression: number;
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  org = await seedOrg();
  compression = db().select({ id: courses.id }).from(courses).where(eq(courses.slug, "prompt-compression")).get()!.id;
  for (const [cookie, team] of [
    [org.user.mia.cookie, org.team.alpha],
    [org.user.ned.cookie, org.team.delta],
    [org.user.ola.cookie, org.team.gamma],
  ] as const) {
    const res = unwrap(
      await call(
        assignAction,
        post(
          "/manager/assignments",
          { intent: "assign", course: String(compression), target: "team", team: String(team), due: inDays(9) },
          cookie,
        ),
      ),
    );
    expect(res.status).toBe(200);
  }
});

async function csv(cookie: string, query = "") {
  const res = (await call(csvLoader, get(`/manager/assignments.csv${query}`, cookie))) as Response;
  const text = res.status === 200 ? await res.text() : "";
  return { res, text, rows: text ? await parseCsv(text) : [] };
}
const column = (rows: string[][], name: string) => {
  const i = rows[0].indexOf(name);
  return rows.slice(1).map((r) => r[i]);
};

describe("the assignments CSV", () => {
  it("gives each manager only their own teams' rows, with the same rows as the page", async () => {
    const mia = await csv(org.user.mia.cookie);
    expect(mia.res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(mia.res.headers.get("Content-Disposition")).toBe('attachment; filename="assignments.csv"');
    expect(mia.rows[0]).toEqual([
      "learner",
      "email",
      "team",
      "course",
      "assigned_to",
      "status",
      "exercises_passed",
      "exercises_required",
      "due_date",
      "last_attempt_date",
    ]);
    expect(new Set(column(mia.rows, "team"))).toEqual(new Set(["Alpha"]));
    expect(column(mia.rows, "learner").sort()).toEqual(["Ana Heavy", "Ben Alpha", "Cal Alpha"]);
    expect(column(mia.rows, "due_date")).toEqual(Array(3).fill(inDays(9)));

    const ned = await csv(org.user.ned.cookie);
    expect(column(ned.rows, "learner")).toEqual(["Hal Delta"]);
    // Asking for the other manager's team by its id gives nothing of it.
    const peek = await csv(org.user.mia.cookie, `?team=${org.team.delta}`);
    expect(peek.rows).toHaveLength(1);

    // The page and the export agree, row for row, under the same filter and sort.
    const page = unwrap<{ board: { rows: { email: string }[] } }>(
      await call(boardLoader, get("/manager/assignments?sort=name", org.user.ola.cookie)),
    ).body;
    const ola = await csv(org.user.ola.cookie, "?sort=name");
    expect(column(ola.rows, "email")).toEqual(page.board.rows.map((r) => r.email));
    // The department head sees Alpha and Gamma (their department), never Delta.
    expect(new Set(column(ola.rows, "team"))).toEqual(new Set(["Alpha", "Gamma"]));
  });

  it("applies the filter and refuses a malformed one with a 400 naming it", async () => {
    const started = await csv(org.user.mia.cookie, "?state=in_progress&sort=name");
    expect(column(started.rows, "status")).toEqual(["In progress", "In progress"]);
    const search = await csv(org.user.mia.cookie, "?q=cal");
    expect(column(search.rows, "learner")).toEqual(["Cal Alpha"]);
    for (const bad of ["?team=abc", "?state=finished", "?sort=__proto__", `?q=${"x".repeat(201)}`]) {
      const res = (await call(csvLoader, get(`/manager/assignments.csv${bad}`, org.user.mia.cookie))) as Response;
      expect(res.status, bad).toBe(400);
      expect(await res.text()).toMatch(/^Bad URL parameter (team|state|sort|q)/);
    }
  });

  it("escapes every cell a spreadsheet would run as a formula", async () => {
    // "=Gus Gamma" is in the fixture; rename two more Gamma members after what attackers type.
    const hostile = ["+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tTAB", "Semi;=colon"];
    const ids: number[] = [];
    for (const name of hostile) {
      const row = db()
        .insert(users)
        .values({ email: `h${ids.length}@x.example`, name, passwordHash: NO_PASSWORD, teamId: org.team.gamma })
        .returning({ id: users.id })
        .get();
      ids.push(row.id);
    }
    const { text, rows } = await csv(org.user.ola.cookie, `?team=${org.team.gamma}&sort=name`);
    const names = column(rows, "learner");
    for (const name of names) expect(name, name).not.toMatch(/^[=+\-@\t\r]/);
    expect(names).toEqual(expect.arrayContaining(["'=Gus Gamma", "'+cmd|' /C calc'!A0", "'@SUM(1+1)", "'-2+3"]));
    // A cell with a separator a spreadsheet may split on is quoted, so "=colon" never becomes its own cell.
    expect(text).toContain('"Semi;=colon"');
    for (const id of ids) db().delete(users).where(eq(users.id, id)).run();
  });

  it("exports every row, past the page's limit", async () => {
    const many = BOARD_ROW_LIMIT + 20;
    db()
      .insert(users)
      .values(
        Array.from({ length: many }, (_, i) => ({
          email: `bulk${i}@x.example`,
          name: `Bulk ${String(i).padStart(4, "0")}`,
          passwordHash: NO_PASSWORD,
          teamId: org.team.delta,
        })),
      )
      .run();
    const page = unwrap<{ board: { rows: unknown[]; total: number } }>(
      await call(boardLoader, get("/manager/assignments", org.user.ned.cookie)),
    ).body;
    expect(page.board.rows).toHaveLength(BOARD_ROW_LIMIT);
    expect(page.board.total).toBe(many + 1);
    const { rows } = await csv(org.user.ned.cookie);
    expect(rows).toHaveLength(many + 2);
  });

  it("refuses a learner and sends a signed-out visitor to sign in", async () => {
    expect((await csv(org.user.ana.cookie)).res.status).toBe(403);
    const out = (await call(csvLoader, get("/manager/assignments.csv"))) as Response;
    expect(out.status).toBe(302);
  });
});
