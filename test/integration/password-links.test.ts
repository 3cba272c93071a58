import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { passwordTokens, users } from "#db/schema";
import { getUser } from "~/.server/auth";
import { config } from "~/.server/config";
import { db } from "~/.server/db";
import { issuePasswordLink } from "~/.server/password-links";
import { LINK_LIFETIME_MS } from "~/domain/password-links";
import { action as userAction, loader as userLoader } from "~/routes/admin.users.$userId";
import { action as importAction } from "~/routes/admin.users.import";
import { action as loginAction } from "~/routes/login";
import { action as setPasswordAction, loader as setPasswordLoader } from "~/routes/set-password";
import { parseCsvObjects } from "../support/csv-parse";
import { call, get, login, makeUser, post, ready, unwrap, userIdByEmail } from "./harness";

beforeAll(ready);

const tag = `${process.pid}${Date.now() % 100000}`;
let seq = 0;
const email = (name: string) => `${name}.${tag}.${++seq}@example.com`;
const NEW_PASSWORD = "violet staple orbit lantern";

let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  admin = await makeUser({ roles: ["admin"] });
});

type ImportBody = {
  ok: boolean;
  imported: boolean;
  invitations: { count: number; filename: string; csv: string; expiresAt: string } | null;
};
async function importCsv(csv: string, intent: "import" | "check" = "import") {
  const form = new FormData();
  form.set("file", new File([csv], "users.csv", { type: "text/csv" }));
  form.set("intent", intent);
  const request = new Request("http://localhost/admin/users/import", {
    method: "POST",
    body: form,
    headers: { Cookie: admin.cookie },
  });
  return unwrap<ImportBody>(await call(importAction, request));
}

/** The path and query of a link as handed out (PUBLIC_URL + /set-password?token=…). */
function pathOf(link: string): string {
  expect(link.startsWith(`${config().PUBLIC_URL.replace(/\/+$/, "")}/set-password?token=`)).toBe(true);
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

type Page = { valid: boolean; name?: string; email?: string; purpose?: string; signedInAs?: string | null };
const openLink = async (path: string, cookie?: string) =>
  unwrap<Page>(await call(setPasswordLoader, get(path, cookie)));
const submit = (path: string, password: string, confirm = password, cookie?: string) =>
  call(setPasswordAction, post(path, { password, confirm }, cookie));

const hashOf = (userId: number) => db().select().from(users).where(eq(users.id, userId)).get()!.passwordHash;

describe("invitation links from a CSV import", () => {
  it("offers one link per imported user, and none for a check-only run", async () => {
    const emails = [email("ana"), email("bo"), email("cy")];
    const csv = `email,name,team,roles\n${emails[0]},Ana Ruiz,,\n"${emails[1]}","Lee, Bo",,manager\n${emails[2]},"=HYPERLINK(""http://evil.example"")",,\n`;

    const checked = await importCsv(csv, "check");
    expect(checked.status).toBe(200);
    expect(checked.body.invitations).toBeNull();

    const before = Date.now();
    const res = await importCsv(csv);
    expect(res.status).toBe(200);
    expect(res.body.invitations).toMatchObject({
      count: 3,
      filename: expect.stringMatching(/^tokenwise-invitations-.*\.csv$/),
    });
    const rows = parseCsvObjects(res.body.invitations!.csv);
    expect(rows.map((r) => r.email)).toEqual(emails);
    expect(rows.map((r) => r.name)).toEqual(["Ana Ruiz", "Lee, Bo", `'=HYPERLINK("http://evil.example")`]);
    expect(Object.keys(rows[0])).toEqual(["email", "name", "link", "expires"]);
    expect(new Set(rows.map((r) => r.link)).size).toBe(3);
    for (const row of rows) {
      const expires = Date.parse(row.expires);
      expect(expires - before).toBeGreaterThanOrEqual(LINK_LIFETIME_MS.invite - 1000);
      expect(expires - Date.now()).toBeLessThanOrEqual(LINK_LIFETIME_MS.invite);
      // each link opens the page for its own user
      const page = await openLink(pathOf(row.link));
      expect(page).toEqual({ status: 200, body: expect.objectContaining({ valid: true, purpose: "invite" }) });
      expect(page.body.email).toBe(row.email);
    }
    // only hashes are stored: no token from the file is in the database
    const stored = db()
      .select()
      .from(passwordTokens)
      .where(eq(passwordTokens.userId, userIdByEmail(emails[0])))
      .all();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ purpose: "invite", createdBy: admin.id, usedAt: null });
    expect(JSON.stringify(stored)).not.toContain(new URL(rows[0].link).searchParams.get("token"));
  });

  it("lets an invited user set a password with their link, be signed in, and then log in with it", async () => {
    const address = email("dee");
    const res = await importCsv(`email,name,team,roles\n${address},Dee Invited,,\n`);
    const [row] = parseCsvObjects(res.body.invitations!.csv);
    const path = pathOf(row.link);

    expect((await openLink(path)).body).toMatchObject({ valid: true, name: "Dee Invited", email: address });

    // field errors name the field, and leave the link usable
    const short = unwrap<{ errors: Record<string, string> }>(await submit(path, "too short"));
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual({ password: "The new password must be at least 12 characters" });
    const mismatch = unwrap<{ errors: Record<string, string> }>(await submit(path, NEW_PASSWORD, `${NEW_PASSWORD}!`));
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors).toEqual({ confirm: "The confirmation does not match the new password" });

    const done = (await submit(path, NEW_PASSWORD)) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/");
    const cookie = done.headers.get("Set-Cookie")!.split(";")[0];
    expect((await getUser(get("/courses", cookie)))?.email).toBe(address);

    const fresh = await login(address, NEW_PASSWORD);
    expect((await getUser(get("/courses", fresh)))?.email).toBe(address);
  });

  it("refuses a link the second time, with the same answer as for a made-up token", async () => {
    const address = email("eve");
    const res = await importCsv(`email,name,team,roles\n${address},Eve Once,,\n`);
    const path = pathOf(parseCsvObjects(res.body.invitations!.csv)[0].link);
    expect(((await submit(path, NEW_PASSWORD)) as Response).status).toBe(302);
    const hash = hashOf(userIdByEmail(address));

    const reopened = await openLink(path);
    const madeUp = await openLink(`/set-password?token=${"Q".repeat(43)}`);
    const missing = await openLink("/set-password");
    expect(reopened).toEqual({ status: 410, body: { valid: false } });
    expect(madeUp).toEqual(reopened);
    expect(missing).toEqual(reopened);

    const again = unwrap(await submit(path, "an attacker's new password"));
    expect(again).toEqual({ status: 410, body: { valid: false, errors: {} } });
    expect(hashOf(userIdByEmail(address))).toBe(hash);
  });

  it("refuses an expired link and leaves the password unchanged", async () => {
    const user = await makeUser();
    const issued = new Date(Date.now() - LINK_LIFETIME_MS.invite - 1000);
    const { token } = issuePasswordLink(db(), user.id, { purpose: "invite", createdBy: admin.id, now: issued });
    const path = `/set-password?token=${token}`;
    expect((await openLink(path)).status).toBe(410);
    expect(unwrap(await submit(path, NEW_PASSWORD)).status).toBe(410);
    expect(await login(user.email, user.password)).toMatch(/^tw_session=/);
  });
});

describe("reset links from the user's admin page", () => {
  type LinkBody = { ok: boolean; link: { url: string; purpose: string; expiresAt: string } | null };
  const createLink = async (userId: number, purpose: string, cookie = admin.cookie) =>
    call(userAction, post(`/admin/users/${userId}`, { intent: "passwordLink", purpose }, cookie), {
      userId: String(userId),
    });
  type UserPage = { passwordLink: { purpose: string; state: string; createdBy: string | null } | null };
  const userPage = async (userId: number) =>
    unwrap<UserPage>(await call(userLoader, get(`/admin/users/${userId}`, admin.cookie), { userId: String(userId) }))
      .body;

  it("creates a 24-hour link that signs the user out of every other device once used", async () => {
    const user = await makeUser();
    const otherDevice = await login(user.email, user.password);
    expect(await userPage(user.id)).toMatchObject({ passwordLink: null });

    const created = unwrap<LinkBody>(await createLink(user.id, "reset"));
    expect(created.status).toBe(200);
    expect(created.body.link?.purpose).toBe("reset");
    const expires = Date.parse(created.body.link!.expiresAt) - Date.now();
    expect(expires).toBeGreaterThan(LINK_LIFETIME_MS.reset - 60_000);
    expect(expires).toBeLessThanOrEqual(LINK_LIFETIME_MS.reset);
    expect((await userPage(user.id)).passwordLink).toMatchObject({ purpose: "reset", state: "pending" });
    // creating the link alone signs nobody out
    expect(await getUser(get("/courses", user.cookie))).not.toBeNull();

    const done = (await submit(pathOf(created.body.link!.url), NEW_PASSWORD)) as Response;
    expect(done.status).toBe(302);
    expect(await getUser(get("/courses", user.cookie))).toBeNull();
    expect(await getUser(get("/courses", otherDevice))).toBeNull();
    expect(await getUser(get("/courses", done.headers.get("Set-Cookie")!.split(";")[0]))).not.toBeNull();
    const oldPassword = unwrap(await call(loginAction, post("/login", { email: user.email, password: user.password })));
    expect(oldPassword.status).toBe(401);
    expect(await login(user.email, NEW_PASSWORD)).toMatch(/^tw_session=/);
    expect((await userPage(user.id)).passwordLink).toMatchObject({ state: "used" });
  });

  it("makes the earlier link stop working when a new one is created, and can withdraw it", async () => {
    const user = await makeUser();
    const first = unwrap<LinkBody>(await createLink(user.id, "invite")).body.link!;
    const second = unwrap<LinkBody>(await createLink(user.id, "reset")).body.link!;
    expect((await openLink(pathOf(first.url))).status).toBe(410);
    expect((await openLink(pathOf(second.url))).status).toBe(200);

    const withdrawn = unwrap<{ revoked: number }>(
      await call(userAction, post(`/admin/users/${user.id}`, { intent: "revokeLinks" }, admin.cookie), {
        userId: String(user.id),
      }),
    );
    expect(withdrawn).toEqual({ status: 200, body: expect.objectContaining({ revoked: 1 }) });
    expect((await openLink(pathOf(second.url))).status).toBe(410);
  });

  it("names a bad purpose, and answers 404 for a user who does not exist", async () => {
    const user = await makeUser();
    const bad = unwrap<{ errors: Record<string, string> }>(await createLink(user.id, "forever"));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({ purpose: "Choose a reset or an invitation link" });
    expect(((await createLink(999_999, "reset")) as Response).status).toBe(404);
  });

  it("refuses learners, managers and instructors (403) and visitors (to login), creating no link", async () => {
    const target = await makeUser();
    for (const role of ["learner", "manager", "instructor"] as const) {
      const someone = await makeUser({ roles: [role] });
      expect(((await createLink(target.id, "reset", someone.cookie)) as Response).status).toBe(403);
      const withdraw = await call(
        userAction,
        post(`/admin/users/${target.id}`, { intent: "revokeLinks" }, someone.cookie),
        { userId: String(target.id) },
      );
      expect((withdraw as Response).status).toBe(403);
    }
    const anonymous = (await call(
      userAction,
      post(`/admin/users/${target.id}`, { intent: "passwordLink", purpose: "reset" }),
      { userId: String(target.id) },
    )) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect(db().select().from(passwordTokens).where(eq(passwordTokens.userId, target.id)).all()).toEqual([]);
  });

  it("tells someone else signed in on the browser that they will be signed out, and signs them out", async () => {
    const user = await makeUser();
    const link = unwrap<LinkBody>(await createLink(user.id, "reset")).body.link!;
    const path = pathOf(link.url);
    // the admin tries the link in their own browser
    expect((await openLink(path, admin.cookie)).body.signedInAs).toMatch(/^Test User/);
    expect((await openLink(path, user.cookie)).body.signedInAs).toBeNull();

    const bystander = await makeUser();
    const done = (await submit(path, NEW_PASSWORD, NEW_PASSWORD, bystander.cookie)) as Response;
    expect(done.status).toBe(302);
    expect(await getUser(get("/courses", bystander.cookie))).toBeNull();
    expect((await getUser(get("/courses", done.headers.get("Set-Cookie")!.split(";")[0])))?.id).toBe(user.id);
  });
});
