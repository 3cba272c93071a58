import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sessions, users } from "#db/schema";
import { getUser } from "~/.server/auth";
import { config } from "~/.server/config";
import { db } from "~/.server/db";
import { runMaintenance } from "~/.server/maintenance";
import { issuePasswordLink, verifyPasswordLink } from "~/.server/password-links";
import { action as userAction } from "~/routes/admin.users.$userId";
import { action as importAction, loader as importLoader } from "~/routes/admin.users.import";
import { loader as invitationsLoader } from "~/routes/admin.users.invitations.$batch[.]csv";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as setPasswordAction } from "~/routes/set-password";
import { parseCsvObjects } from "../support/csv-parse";
import { call, get, login, makeUser, post, ready, unwrap } from "./harness";

beforeAll(ready);

let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  admin = await makeUser({ roles: ["admin"] });
});

const request = (cookie: string) => new Request("http://localhost/", { headers: { Cookie: cookie } });
const account = (userId: number, intent: string) =>
  call(userAction, post(`/admin/users/${userId}`, { intent }, admin.cookie), { userId: String(userId) });

describe("deactivating an account", () => {
  it("ends every session at once, blocks sign-in and unused links, keeps the account; reactivating restores sign-in", async () => {
    const user = await makeUser();
    const second = await login(user.email, user.password);
    const link = issuePasswordLink(db(), user.id, { purpose: "reset", createdBy: admin.id });
    expect(await getUser(request(second))).not.toBeNull();

    expect(unwrap(await account(user.id, "deactivate")).status).toBe(200);
    expect(await getUser(request(user.cookie))).toBeNull();
    expect(await getUser(request(second))).toBeNull();
    expect(db().select().from(sessions).where(eq(sessions.userId, user.id)).all()).toEqual([]);
    expect(verifyPasswordLink(db(), link.token)).toEqual({ ok: false, reason: "revoked" });
    const refused = unwrap<{ errors: { form: string } }>(
      await call(loginAction, post("/login", { email: user.email, password: user.password })),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.errors.form).toBe("This account has been deactivated. Ask an administrator.");
    // A wrong password says nothing about the account's state.
    const wrong = unwrap<{ errors: { form: string } }>(
      await call(loginAction, post("/login", { email: user.email, password: "not the password" })),
    );
    expect(wrong.body.errors.form).toBe("That email and password do not match an account.");
    expect(db().select().from(users).where(eq(users.id, user.id)).get()).toBeDefined();

    expect(unwrap(await account(user.id, "reactivate")).status).toBe(200);
    expect(await getUser(request(await login(user.email, user.password)))).not.toBeNull();
  });

  it("refuses an admin deactivating themselves", async () => {
    const res = unwrap<{ errors: { form: string } }>(await account(admin.id, "deactivate"));
    expect(res.status).toBe(409);
    expect(res.body.errors.form).toBe("You cannot deactivate your own account.");
  });
});

describe("signing out everywhere", () => {
  it("ends the user's sessions on every device (their own button and the admin's)", async () => {
    const user = await makeUser();
    const other = await login(user.email, user.password);
    await call(logoutAction, post("/logout", { scope: "everywhere" }, user.cookie));
    expect(await getUser(request(other))).toBeNull();

    const again = await login(user.email, user.password);
    expect(unwrap(await account(user.id, "endSessions")).status).toBe(200);
    expect(await getUser(request(again))).toBeNull();
  });

  it("a plain log out ends only this browser's session", async () => {
    const user = await makeUser();
    const other = await login(user.email, user.password);
    await call(logoutAction, post("/logout", {}, user.cookie));
    expect(await getUser(request(user.cookie))).toBeNull();
    expect(await getUser(request(other))).not.toBeNull();
  });
});

describe("upkeep", () => {
  it("deletes expired sessions and keeps live ones", async () => {
    const user = await makeUser();
    db()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.userId, user.id))
      .run();
    const live = await makeUser();
    const report = await runMaintenance(db(), new Date(), { lrs: null });
    expect(report.sessionsPurged).toBeGreaterThanOrEqual(1);
    expect(db().select().from(sessions).where(eq(sessions.userId, user.id)).all()).toEqual([]);
    expect(await getUser(request(live.cookie))).not.toBeNull();
  });
});

describe("a user import", () => {
  async function importCsv(csv: string) {
    const form = new FormData();
    form.set("file", new File([csv], "users.csv", { type: "text/csv" }));
    form.set("intent", "import");
    const req = new Request("http://localhost/admin/users/import", {
      method: "POST",
      body: form,
      headers: { Cookie: admin.cookie },
    });
    return unwrap<{ ok: boolean; invitations: { csv: string } | null }>(await call(importAction, req));
  }

  it("hashes no throwaway passwords (2,000 users in well under the minutes it took), and an invited account cannot sign in", async () => {
    const tag = `${process.pid}-${Date.now() % 100000}`;
    const rows = Array.from({ length: 2_000 }, (_, i) => `bulk${i}.${tag}@example.com,Bulk ${i},,`);
    const started = performance.now();
    const res = await importCsv(`email,name,team,roles\n${rows.join("\n")}\n`);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(10_000);
    const refused = unwrap<{ errors: { form: string } }>(
      await call(loginAction, post("/login", { email: `bulk0.${tag}@example.com`, password: "!invited" })),
    );
    expect(refused.status).toBe(401);
  });

  it("lets the admin download the invitation links again until each is used", async () => {
    const tag = `${process.pid}-${Date.now() % 100000}`;
    const emails = [`re1.${tag}@example.com`, `re2.${tag}@example.com`];
    const res = await importCsv(`email,name,team,roles\n${emails[0]},Re One,,\n${emails[1]},Re Two,,\n`);
    const first = parseCsvObjects(res.body.invitations!.csv);

    const page = unwrap<{ batches: { batch: string; open: number }[] }>(
      await call(importLoader, get("/admin/users/import", admin.cookie)),
    );
    const batch = page.body.batches[0];
    expect(batch.open).toBe(2);
    const download = async () =>
      (await call(invitationsLoader, get(`/admin/users/invitations/${batch.batch}.csv`, admin.cookie), {
        batch: batch.batch,
      })) as Response;
    const again = parseCsvObjects(await (await download()).text());
    expect(again).toEqual(first);

    // The first invitee uses their link; the next download lists only the second.
    const url = new URL(first[0].link);
    expect(url.origin).toBe(new URL(config().PUBLIC_URL).origin);
    const path = `${url.pathname}${url.search}`;
    const set = (await call(
      setPasswordAction,
      post(path, { password: "violet staple orbit lantern", confirm: "violet staple orbit lantern" }),
    )) as Response;
    expect(set.status).toBe(302);
    const after = parseCsvObjects(await (await download()).text());
    expect(after.map((r) => r.email)).toEqual([emails[1]]);

    // A learner cannot download anyone's links.
    const learner = await makeUser();
    const denied = (await call(invitationsLoader, get(`/admin/users/invitations/${batch.batch}.csv`, learner.cookie), {
      batch: batch.batch,
    })) as Response;
    expect(denied.status).toBe(403);
  });
});
