import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  budgets,
  departmentHeads,
  departments,
  passwordTokens,
  teamManagers,
  teams,
  userRoles,
  users,
} from "#db/schema";
import { NO_PASSWORD } from "~/.server/admin/import-users";
import { db } from "~/.server/db";
import { viewerScope } from "~/.server/scope";
import { getSetting } from "~/.server/settings";
import { loader as indexLoader } from "~/routes/admin._index";
import { action as budgetsAction, loader as budgetsLoader } from "~/routes/admin.budgets";
import { action as orgAction, loader as orgLoader } from "~/routes/admin.org";
import { action as settingsAction, loader as settingsLoader } from "~/routes/admin.settings";
import { loader as usersLoader } from "~/routes/admin.users._index";
import { action as userAction, loader as userLoader } from "~/routes/admin.users.$userId";
import { action as importAction, loader as importLoader } from "~/routes/admin.users.import";
import { call, get, makeUser, post, ready, unwrap } from "./harness";

beforeAll(ready);

/** Names unique to this run, since the worker's database outlives one test file. */
const tag = `${process.pid}-${Date.now() % 100000}`;
let seq = 0;
const unique = (prefix: string) => `${prefix} ${tag}-${++seq}`;

function department(name = unique("Dept"), costCentre = unique("CC")) {
  return db().insert(departments).values({ name, costCentre }).returning().get();
}
function team(departmentId: number, name = unique("Team")) {
  return db().insert(teams).values({ name, departmentId }).returning().get();
}

function upload(csv: string, cookie: string, intent: "import" | "check" = "import"): Request {
  const form = new FormData();
  form.set("file", new File([csv], "users.csv", { type: "text/csv" }));
  form.set("intent", intent);
  return new Request("http://localhost/admin/users/import", {
    method: "POST",
    body: form,
    headers: { Cookie: cookie },
  });
}

function rolesOf(userId: number) {
  return db()
    .select({ role: userRoles.role })
    .from(userRoles)
    .where(eq(userRoles.userId, userId))
    .all()
    .map((r) => r.role)
    .sort();
}

let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  admin = await makeUser({ roles: ["admin"] });
});

describe("admin pages refuse everyone but admins", () => {
  it("answers 403 to a learner, a manager and an instructor on every admin page and action", async () => {
    const dept = department();
    const someone = await makeUser({ roles: ["learner"] });
    const pages = [
      [indexLoader, "/admin", {}],
      [orgLoader, "/admin/org", {}],
      [usersLoader, "/admin/users", {}],
      [userLoader, `/admin/users/${someone.id}`, { userId: String(someone.id) }],
      [importLoader, "/admin/users/import", {}],
      [budgetsLoader, "/admin/budgets", {}],
      [settingsLoader, "/admin/settings", {}],
    ] as const;
    const actions = [
      [orgAction, "/admin/org", { intent: "createDepartment", name: unique("Nope"), costCentre: unique("NOPE") }, {}],
      [userAction, `/admin/users/${someone.id}`, { teamId: "", roles: "admin" }, { userId: String(someone.id) }],
      [
        userAction,
        `/admin/users/${someone.id}`,
        { intent: "passwordLink", purpose: "reset" },
        { userId: String(someone.id) },
      ],
      [userAction, `/admin/users/${someone.id}`, { intent: "revokeLinks" }, { userId: String(someone.id) }],
      [
        budgetsAction,
        "/admin/budgets",
        { intent: "save", scope: "department", scopeId: String(dept.id), limit: "1", warnPercent: "80" },
        {},
      ],
      [settingsAction, "/admin/settings", { intent: "save", privacyMode: "on" }, {}],
    ] as const;
    const statuses: Record<string, number> = {};
    for (const role of ["learner", "manager", "instructor"] as const) {
      const user = await makeUser({ roles: [role] });
      for (const [loader, path, params] of pages) {
        const res = (await call(loader, get(path, user.cookie), params)) as Response;
        statuses[`${role} GET ${path}`] = res.status;
      }
      for (const [action, path, fields, params] of actions) {
        const res = (await call(action, post(path, fields, user.cookie), params)) as Response;
        const intent = "intent" in fields ? ` (${fields.intent})` : "";
        statuses[`${role} POST ${path}${intent}`] = res.status;
      }
      const res = (await call(
        importAction,
        upload("email,name,team,roles\nx@example.com,X,,admin\n", user.cookie),
      )) as Response;
      statuses[`${role} POST /admin/users/import`] = res.status;
    }
    expect(Object.values(statuses).every((s) => s === 403)).toBe(true);
    expect(Object.keys(statuses)).toHaveLength(3 * (pages.length + actions.length + 1));
    // nothing the refused actions asked for happened
    expect(rolesOf(someone.id)).toEqual(["learner"]);
    expect(db().select().from(budgets).where(eq(budgets.scopeId, dept.id)).all()).toEqual([]);
    expect(db().select().from(users).where(eq(users.email, "x@example.com")).get()).toBeUndefined();
    expect(db().select().from(passwordTokens).where(eq(passwordTokens.userId, someone.id)).all()).toEqual([]);
  });

  it("sends a visitor who is not signed in to the login page", async () => {
    const res = (await call(orgLoader, get("/admin/org"))) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Forg");
  });

  it("shows an admin the counts on the index", async () => {
    const { body } = unwrap<{ overview: { departments: number; admins: number; privacyMode: boolean } }>(
      await call(indexLoader, get("/admin", admin.cookie)),
    );
    expect(body.overview.departments).toBe(db().select().from(departments).all().length);
    expect(body.overview.admins).toBeGreaterThanOrEqual(1);
  });
});

describe("departments and teams", () => {
  const org = (fields: Record<string, string>) => call(orgAction, post("/admin/org", fields, admin.cookie));

  it("creates a department, and names the field when its cost centre is taken", async () => {
    const costCentre = unique("CC");
    const name = unique("Research");
    const created = unwrap<{ ok: boolean; message: string }>(
      await org({ intent: "createDepartment", name, costCentre }),
    );
    expect(created).toEqual({ status: 200, body: expect.objectContaining({ ok: true }) });
    expect(db().select().from(departments).where(eq(departments.name, name)).get()?.costCentre).toBe(costCentre);

    const clash = unwrap<{ ok: boolean; target: string; errors: Record<string, string> }>(
      await org({ intent: "createDepartment", name: unique("Other"), costCentre: costCentre.toLowerCase() }),
    );
    expect(clash.status).toBe(400);
    expect(clash.body.target).toBe("createDepartment:new");
    expect(clash.body.errors).toEqual({
      costCentre: `Cost centre "${costCentre.toLowerCase()}" is already used by ${name}`,
    });

    const empty = unwrap<{ errors: Record<string, string> }>(
      await org({ intent: "createDepartment", name: " ", costCentre: "" }),
    );
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual({ name: "Enter the department name", costCentre: "Enter the cost centre" });
  });

  it("renames a department but refuses another department's cost centre", async () => {
    const a = department();
    const b = department();
    const renamed = unique("Renamed");
    expect(
      unwrap(await org({ intent: "updateDepartment", id: String(a.id), name: renamed, costCentre: a.costCentre }))
        .status,
    ).toBe(200);
    expect(db().select().from(departments).where(eq(departments.id, a.id)).get()?.name).toBe(renamed);
    const clash = unwrap<{ target: string; errors: Record<string, string> }>(
      await org({ intent: "updateDepartment", id: String(a.id), name: renamed, costCentre: b.costCentre }),
    );
    expect(clash.status).toBe(400);
    expect(clash.body.target).toBe(`updateDepartment:${a.id}`);
    expect(clash.body.errors.costCentre).toBe(`Cost centre "${b.costCentre}" is already used by ${b.name}`);
  });

  it("creates a team, refuses a duplicate name in the same department, and moves a team", async () => {
    const eng = department();
    const ops = department();
    const name = unique("Platform");
    expect(unwrap(await org({ intent: "createTeam", name, departmentId: String(eng.id) })).status).toBe(200);
    const created = db().select().from(teams).where(eq(teams.name, name)).get()!;
    expect(created.departmentId).toBe(eng.id);

    const dup = unwrap<{ errors: Record<string, string> }>(
      await org({ intent: "createTeam", name: name.toUpperCase(), departmentId: String(eng.id) }),
    );
    expect(dup.status).toBe(400);
    expect(dup.body.errors).toEqual({ name: `${eng.name} already has a team named "${name.toUpperCase()}"` });
    // the same name in another department is fine
    expect(unwrap(await org({ intent: "createTeam", name, departmentId: String(ops.id) })).status).toBe(200);

    const moveTo = department();
    const moved = unwrap(
      await org({
        intent: "updateTeam",
        id: String(created.id),
        name: `${name} moved`,
        departmentId: String(moveTo.id),
      }),
    );
    expect(moved.status).toBe(200);
    expect(db().select().from(teams).where(eq(teams.id, created.id)).get()).toMatchObject({
      name: `${name} moved`,
      departmentId: moveTo.id,
    });

    const nowhere = unwrap<{ errors: Record<string, string> }>(
      await org({ intent: "createTeam", name: unique("Lost"), departmentId: "999999" }),
    );
    expect(nowhere.body.errors).toEqual({ departmentId: "That department does not exist" });
  });
});

describe("users and roles", () => {
  const save = (userId: number, fields: [string, string][], cookie = admin.cookie) => {
    const body = new URLSearchParams(fields);
    const request = new Request(`http://localhost/admin/users/${userId}`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
    });
    return call(userAction, request, { userId: String(userId) });
  };

  it("sets team, roles, managed teams and headed departments, which the scope rules then follow", async () => {
    const dept = department();
    const home = team(dept.id);
    const t1 = team(dept.id);
    const t2 = team(dept.id);
    const other = department();
    const user = await makeUser({ roles: ["learner"] });
    const res = unwrap(
      await save(user.id, [
        ["teamId", String(home.id)],
        ["roles", "learner"],
        ["roles", "manager"],
        ["manages", String(t1.id)],
        ["manages", String(t2.id)],
        ["heads", String(other.id)],
      ]),
    );
    expect(res.status).toBe(200);
    expect(db().select().from(users).where(eq(users.id, user.id)).get()?.teamId).toBe(home.id);
    expect(rolesOf(user.id)).toEqual(["learner", "manager"]);
    const scope = viewerScope(db(), { id: user.id, roles: ["learner", "manager"] });
    expect(scope.departmentIds).toEqual([other.id]);
    expect(scope.teamIds).toEqual(expect.arrayContaining([t1.id, t2.id]));

    const page = unwrap<{ user: { manages: number[]; heads: number[]; roles: string[] } }>(
      await call(userLoader, get(`/admin/users/${user.id}`, admin.cookie), { userId: String(user.id) }),
    ).body.user;
    expect(page).toMatchObject({
      manages: [t1.id, t2.id].sort((a, b) => a - b),
      heads: [other.id],
      roles: ["learner", "manager"],
    });

    // unticking everything removes the links
    expect(
      unwrap(
        await save(user.id, [
          ["teamId", ""],
          ["roles", "learner"],
        ]),
      ).status,
    ).toBe(200);
    expect(db().select().from(teamManagers).where(eq(teamManagers.userId, user.id)).all()).toEqual([]);
    expect(db().select().from(departmentHeads).where(eq(departmentHeads.userId, user.id)).all()).toEqual([]);
    expect(db().select().from(users).where(eq(users.id, user.id)).get()?.teamId).toBeNull();
  });

  it("refuses managed teams without the manager role, unknown roles and no role at all", async () => {
    const dept = department();
    const t = team(dept.id);
    const user = await makeUser();
    const noManager = unwrap<{ errors: Record<string, string> }>(
      await save(user.id, [
        ["teamId", ""],
        ["roles", "learner"],
        ["manages", String(t.id)],
      ]),
    );
    expect(noManager.status).toBe(400);
    expect(noManager.body.errors.manages).toMatch(/^Give the manager role too/);
    const boss = unwrap<{ errors: Record<string, string> }>(
      await save(user.id, [
        ["teamId", ""],
        ["roles", "boss"],
      ]),
    );
    expect(boss.body.errors).toEqual({ roles: 'Unknown role "boss"' });
    const none = unwrap<{ errors: Record<string, string> }>(await save(user.id, [["teamId", ""]]));
    expect(none.body.errors).toEqual({ roles: "Give the user at least one role" });
    expect(rolesOf(user.id)).toEqual(["learner"]);
  });

  it("does not let an admin remove their own admin role, but lets them remove another admin's", async () => {
    const self = unwrap<{ errors: Record<string, string> }>(
      await save(admin.id, [
        ["teamId", ""],
        ["roles", "learner"],
      ]),
    );
    expect(self.status).toBe(400);
    expect(self.body.errors).toEqual({ roles: "You cannot remove your own admin role" });
    expect(rolesOf(admin.id)).toContain("admin");

    const other = await makeUser({ roles: ["admin"] });
    expect(
      unwrap(
        await save(other.id, [
          ["teamId", ""],
          ["roles", "learner"],
        ]),
      ).status,
    ).toBe(200);
    expect(rolesOf(other.id)).toEqual(["learner"]);
    // and the change takes effect on their next request
    expect(((await call(orgLoader, get("/admin/org", other.cookie))) as Response).status).toBe(403);
  });

  it("lists users with team and roles, searched by name or email and paginated", async () => {
    const dept = department();
    const t = team(dept.id);
    const needle = `needle${tag.replace(/\W/g, "")}`;
    for (let i = 0; i < 27; i++) {
      db()
        .insert(users)
        .values({
          email: `${needle}.${i}@example.com`,
          name: `Searchable ${String(i).padStart(2, "0")}`,
          passwordHash: "x",
          teamId: t.id,
        })
        .run();
    }
    type Page = {
      users: {
        rows: { email: string; team: string | null; department: string | null }[];
        total: number;
        page: number;
        pages: number;
      };
    };
    const first = unwrap<Page>(await call(usersLoader, get(`/admin/users?q=${needle}`, admin.cookie))).body.users;
    expect(first).toMatchObject({ total: 27, page: 1, pages: 2 });
    expect(first.rows).toHaveLength(25);
    expect(first.rows[0]).toMatchObject({ email: `${needle}.0@example.com`, team: t.name, department: dept.name });
    const second = unwrap<Page>(
      await call(usersLoader, get(`/admin/users?q=${needle.toUpperCase()}&page=2`, admin.cookie)),
    ).body.users;
    expect(second.rows.map((r) => r.email)).toEqual([`${needle}.25@example.com`, `${needle}.26@example.com`]);
    // a wildcard typed into the search box is a literal character
    expect(unwrap<Page>(await call(usersLoader, get("/admin/users?q=%25%25%25", admin.cookie))).body.users.total).toBe(
      0,
    );
    const bad = (await call(usersLoader, get("/admin/users?page=zero", admin.cookie))) as Response;
    expect(bad.status).toBe(400);
  });
});

describe("CSV import of users", () => {
  type Result = {
    ok: boolean;
    imported: boolean;
    rows: { email: string; name: string; team: string | null }[];
    problems: string[];
    invitations: { count: number; csv: string } | null;
  };
  const send = async (csv: string, intent: "import" | "check" = "import") =>
    unwrap<Result>(await call(importAction, upload(csv, admin.cookie, intent)));

  function org() {
    const eng = department(unique("Eng"));
    const data = department(unique("Data"));
    const shared = unique("Shared");
    return {
      eng,
      data,
      shared,
      alpha: team(eng.id, unique("Alpha")),
      engShared: team(eng.id, shared),
      dataShared: team(data.id, shared),
    };
  }

  const byEmail = (emails: string[]) => db().select().from(users).where(inArray(users.email, emails)).all();

  it("imports every row of a good file with its team and roles, quoted commas and all", async () => {
    const o = org();
    const e = (n: string) => `${n}.${tag.replace(/\W/g, "")}@example.com`;
    const csv =
      "email,name,team,roles\r\n" +
      `${e("Ana").toUpperCase()},Ana Ruiz,${o.alpha.name},learner\r\n` +
      `"${e("bo")}","Lee, Bo",${o.data.name}/${o.shared},learner;manager\r\n` +
      `${e("cy")},"Cy ""the quick"" Okafor",,instructor|admin\r\n`;
    const checked = await send(csv, "check");
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ ok: true, imported: false, invitations: null });
    expect(byEmail([e("ana"), e("bo"), e("cy")])).toEqual([]);

    const res = await send(csv);
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(true);
    // one invitation link each, to hand out (test/integration/password-links.test.ts follows them)
    expect(res.body.invitations?.count).toBe(3);
    expect(res.body.rows.map((r) => r.team)).toEqual([
      `${o.eng.name}/${o.alpha.name}`,
      `${o.data.name}/${o.shared}`,
      null,
    ]);

    const rows = byEmail([e("ana"), e("bo"), e("cy")]);
    const find = (email: string) => rows.find((r) => r.email === email)!;
    expect(find(e("ana"))).toMatchObject({ name: "Ana Ruiz", teamId: o.alpha.id });
    expect(find(e("bo"))).toMatchObject({ name: "Lee, Bo", teamId: o.dataShared.id });
    expect(find(e("cy"))).toMatchObject({ name: 'Cy "the quick" Okafor', teamId: null });
    expect(rolesOf(find(e("ana")).id)).toEqual(["learner"]);
    expect(rolesOf(find(e("bo")).id)).toEqual(["learner", "manager"]);
    expect(rolesOf(find(e("cy")).id)).toEqual(["admin", "instructor", "learner"]);
    // no password until the invitation is used: nothing to guess, nothing hashed in the request
    expect(find(e("ana")).passwordHash).toBe(NO_PASSWORD);

    // importing the same file again: every email now exists, so nothing is imported
    const again = await send(csv);
    expect(again.status).toBe(400);
    expect(again.body.problems).toHaveLength(3);
    expect(again.body.problems[0]).toBe(`line 2, email: a user with the email "${e("ana")}" already exists`);
    expect(again.body.invitations).toBeNull();
  });

  it("imports nothing from a file with one bad row among good ones, and names its line and field", async () => {
    const o = org();
    const e = (n: string) => `${n}.bad.${tag.replace(/\W/g, "")}@example.com`;
    const csv = [
      "email,name,team,roles",
      `${e("one")},One,${o.alpha.name},learner`,
      `${e("two")},Two,${o.alpha.name},learner`,
      `${e("three")},Three,${o.alpha.name},boss`,
      `${e("four")},Four,${o.shared},learner`,
      `${e("five")},Five,${o.alpha.name},manager`,
    ].join("\n");
    const res = await send(csv);
    expect(res.status).toBe(400);
    expect(res.body.ok).toBe(false);
    expect(res.body.problems).toEqual([
      'line 4, roles: unknown role "boss" (use learner, manager, instructor, admin, separated by ; or |)',
      `line 5, team: team "${o.shared}" exists in ${o.data.name} and ${o.eng.name}: write it as Department/Team, e.g. "${o.data.name}/${o.shared}"`,
    ]);
    expect(byEmail([e("one"), e("two"), e("three"), e("four"), e("five")])).toEqual([]);
  });

  it("stores a formula-looking name as plain text, and escapes it in the invitation links file", async () => {
    const email = `formula.${tag.replace(/\W/g, "")}@example.com`;
    const res = await send(`email,name,team,roles\n${email},"=HYPERLINK(""http://evil.example"",""click"")",,\n`);
    expect(res.status).toBe(200);
    expect(byEmail([email])[0].name).toBe('=HYPERLINK("http://evil.example","click")');
    expect(res.body.invitations?.csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
  });

  it("refuses a request without a file", async () => {
    const form = new FormData();
    form.set("intent", "import");
    const request = new Request("http://localhost/admin/users/import", {
      method: "POST",
      body: form,
      headers: { Cookie: admin.cookie },
    });
    const res = unwrap<Result>(await call(importAction, request));
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual(["Choose a CSV file to upload."]);
  });
});

describe("budgets", () => {
  const budget = (fields: Record<string, string>) => call(budgetsAction, post("/admin/budgets", fields, admin.cookie));

  it("saves a team budget typed in dollars as micro-dollars and shows its state", async () => {
    const dept = department();
    const t = team(dept.id);
    const res = unwrap(
      await budget({ intent: "save", scope: "team", scopeId: String(t.id), limit: "$1,250.50", warnPercent: "75" }),
    );
    expect(res.status).toBe(200);
    expect(db().select().from(budgets).where(eq(budgets.scopeId, t.id)).get()).toMatchObject({
      scope: "team",
      monthlyLimitMicros: 1_250_500_000,
      warnPercent: 75,
    });
    expect(
      unwrap(await budget({ intent: "save", scope: "department", scopeId: String(dept.id), limit: "0.000001" })).status,
    ).toBe(200);
    type Rows = { teams: { scopeId: number; status: unknown }[]; departments: { scopeId: number; status: unknown }[] };
    const page = unwrap<Rows>(await call(budgetsLoader, get("/admin/budgets", admin.cookie))).body;
    expect(page.teams.find((r) => r.scopeId === t.id)?.status).toMatchObject({
      limitMicros: 1_250_500_000,
      spentMicros: 0,
      heldMicros: 0,
      remainingMicros: 1_250_500_000,
      state: "ok",
    });
    expect(page.departments.find((r) => r.scopeId === dept.id)?.status).toMatchObject({
      limitMicros: 1,
      warnPercent: 80,
    });
    const other = team(dept.id);
    expect(page.teams.find((r) => r.scopeId === other.id)).toBeUndefined(); // created after the load
  });

  it("names a bad limit or percentage, and a team that does not exist", async () => {
    const bad = unwrap<{ errors: Record<string, string> }>(
      await budget({ intent: "save", scope: "team", scopeId: "1", limit: "-5", warnPercent: "150" }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({
      limit: "The monthly limit cannot be negative",
      warnPercent: "Enter a whole percentage from 1 to 100",
    });
    const missing = unwrap<{ errors: Record<string, string> }>(
      await budget({ intent: "save", scope: "team", scopeId: "999999", limit: "10" }),
    );
    expect(missing.body.errors).toEqual({ scopeId: "That team does not exist" });
  });

  it("removes a budget", async () => {
    const dept = department();
    await budget({ intent: "save", scope: "department", scopeId: String(dept.id), limit: "10" });
    expect(unwrap(await budget({ intent: "remove", scope: "department", scopeId: String(dept.id) })).status).toBe(200);
    expect(
      db()
        .select()
        .from(budgets)
        .where(eq(budgets.scopeId, dept.id))
        .all()
        .filter((b) => b.scope === "department"),
    ).toEqual([]);
  });
});

describe("settings", () => {
  it("turns leaderboard privacy mode on and off, and the loader shows it", async () => {
    const turnOn = unwrap(
      await call(settingsAction, post("/admin/settings", { intent: "save", privacyMode: "on" }, admin.cookie)),
    );
    expect(turnOn.status).toBe(200);
    expect(getSetting(db(), "privacyMode")).toBe(true);
    const shown = unwrap<{ settings: { privacyMode: boolean } }>(
      await call(settingsLoader, get("/admin/settings", admin.cookie)),
    );
    expect(shown.body.settings.privacyMode).toBe(true);
    // an unticked checkbox sends nothing: off
    expect(unwrap(await call(settingsAction, post("/admin/settings", { intent: "save" }, admin.cookie))).status).toBe(
      200,
    );
    expect(getSetting(db(), "privacyMode")).toBe(false);
    const bad = unwrap(
      await call(settingsAction, post("/admin/settings", { intent: "save", privacyMode: "maybe" }, admin.cookie)),
    );
    expect(bad.status).toBe(400);
    expect(getSetting(db(), "privacyMode")).toBe(false);
  });
});
