import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { departments, settings as settingsTable, teams, userRoles, users } from "#db/schema";
import { resetConfigForTests } from "~/.server/config";
import { db } from "~/.server/db";
import { issuePasswordLink } from "~/.server/password-links";
import { forgetDiscoveredProviders } from "~/.server/sign-in/oidc-flow";
import { action as signInAdminAction, loader as signInAdminLoader } from "~/routes/admin.sign-in";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { action as setPasswordAction } from "~/routes/set-password";
import { type FakeIdp, startIdp } from "../fakes/oidc-idp";
import { CALLBACK, companySignIn, sessionUser } from "../support/company-sign-in";
import { walkProvider } from "../support/idp-walk";
import { call, get, makeUser, post, ready, unwrap } from "./harness";

let idp: FakeIdp;
let admin: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  await ready();
  idp = await startIdp({ redirectUris: [CALLBACK] });
  admin = await makeUser({ roles: ["admin"] });
  const dept = db().insert(departments).values({ name: "Oidc Dept", costCentre: "CC-OIDC" }).returning().get();
  db().insert(teams).values({ name: "Oidc Team", departmentId: dept.id }).run();
});
afterAll(async () => {
  await idp?.close();
});

const { configure, start, finish, signIn } = companySignIn(
  () => idp,
  () => admin.cookie,
);

describe("company sign-in against a real OpenID Connect provider on loopback", () => {
  it("an admin configures it; the secret is never sent back to the page", async () => {
    expect(unwrap(await configure()).status).toBe(200);
    const page = JSON.stringify(unwrap(await call(signInAdminLoader, get("/admin/sign-in", admin.cookie))).body);
    expect(page).not.toContain(idp.clientSecret);
    expect(page).toContain('"hasSecret":true');
    // Stored sealed, not in clear.
    const row = db().select().from(settingsTable).where(eq(settingsTable.key, "sign-in:oidc")).get();
    expect(JSON.stringify(row?.value)).not.toContain(idp.clientSecret);
    // A learner cannot read or change it.
    const learner = await makeUser();
    expect(unwrap(await configure({}, learner.cookie)).status).toBe(403);
    // Saving again with the secret left empty keeps the stored one.
    expect(unwrap(await configure({ clientSecret: "" })).status).toBe(200);
    const login = unwrap<{ companySignIn: boolean }>(await call(loginLoader, get("/login")));
    expect(login.body.companySignIn).toBe(true);
  });

  it("refuses an issuer that is not https (except on this machine) and names the field", async () => {
    const res = unwrap<{ errors: Record<string, string> }>(await configure({ issuer: "http://idp.example.com" }));
    expect(res.status).toBe(400);
    expect(res.body.errors.issuer).toMatch(/https/);
  });

  it("creates a learner on first sign-in (PKCE, state, nonce), places them in the team the claims name, and sends them to returnTo", async () => {
    idp.accounts.set("dana", {
      claims: {
        email: "Dana.Directory@Corp.example",
        email_verified: true,
        name: "Dana Directory",
        team: "Oidc Team",
        department: "Oidc Dept",
      },
    });
    const started = await start("/leaderboard");
    const authUrl = new URL(started.location);
    expect(authUrl.origin).toBe(idp.issuer);
    expect(authUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authUrl.searchParams.get("state")?.length).toBeGreaterThan(20);
    expect(authUrl.searchParams.get("nonce")?.length).toBeGreaterThan(20);
    expect(authUrl.searchParams.get("redirect_uri")).toBe(CALLBACK);
    const back = await walkProvider(started.location, "dana", CALLBACK);
    const done = await finish(back, started.cookie);
    expect(done.location).toBe("/leaderboard");
    const user = await sessionUser(done.session);
    expect(user?.email).toBe("dana.directory@corp.example");
    expect(user?.name).toBe("Dana Directory");
    expect(user?.roles).toEqual(["learner"]);
    const team = db().select().from(teams).where(eq(teams.name, "Oidc Team")).get();
    expect(user?.teamId).toBe(team?.id);
    // No password was made for the account: the password form cannot open it.
    const row = db().select().from(users).where(eq(users.email, "dana.directory@corp.example")).get();
    expect(row?.passwordHash.startsWith("scrypt$")).toBe(false);

    // A second sign-in finds the same account.
    const again = await signIn("dana");
    expect((await sessionUser(again.session))?.id).toBe(user?.id);
  });

  it("refuses a wrong state, a code used twice, and an answer with no pending sign-in", async () => {
    idp.accounts.set("sam", { claims: { email: "sam@corp.example", email_verified: true } });
    const started = await start();
    const back = await walkProvider(started.location, "sam", CALLBACK);
    const forged = new URL(back);
    forged.searchParams.set("state", "x".repeat(43));
    const wrongState = await finish(forged, started.cookie);
    expect(wrongState.location).toBe("/login?error=state");
    expect(wrongState.session).toBeUndefined();

    const first = await finish(back, started.cookie);
    expect(first.session).toBeDefined();
    // The callback cleared the cookie; an attacker who kept it and replays the same code is refused by the provider.
    const replay = await finish(back, started.cookie);
    expect(replay.location).toBe("/login?error=refused");
    expect(replay.session).toBeUndefined();
    // Without the pending-sign-in cookie (another browser, or an expired one) nothing is exchanged.
    const noCookie = await finish(back, "");
    expect(noCookie.location).toBe("/login?error=expired");
  });

  it("refuses an ID token whose nonce is not the one this browser sent", async () => {
    const started = await start();
    const tampered = new URL(started.location);
    tampered.searchParams.set("nonce", "attacker-chosen-nonce-0123456789abcdef");
    const back = await walkProvider(tampered.href, "sam", CALLBACK);
    const done = await finish(back, started.cookie);
    expect(done.location).toBe("/login?error=id-token");
    expect(done.session).toBeUndefined();
  });

  it("refuses a code the provider issued for another PKCE challenge", async () => {
    const started = await start();
    const tampered = new URL(started.location);
    tampered.searchParams.set("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    const back = await walkProvider(tampered.href, "sam", CALLBACK);
    const done = await finish(back, started.cookie);
    expect(done.location).toBe("/login?error=refused");
  });

  it("refuses a missing or unverified email, and a deactivated account", async () => {
    idp.accounts.set("noemail", { claims: { name: "No Email" } });
    expect((await signIn("noemail")).location).toBe("/login?error=email-missing");
    idp.accounts.set("unverified", { claims: { email: "unverified@corp.example", email_verified: false } });
    expect((await signIn("unverified")).location).toBe("/login?error=email-unverified");
    expect(db().select().from(users).where(eq(users.email, "unverified@corp.example")).get()).toBeUndefined();
    idp.accounts.set("nonsense", { claims: { email: "not an address", email_verified: true } });
    expect((await signIn("nonsense")).location).toBe("/login?error=email-missing");

    const gone = await makeUser();
    db().update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, gone.id)).run();
    idp.accounts.set("gone", { claims: { email: gone.email, email_verified: true } });
    const refused = await signIn("gone");
    expect(refused.location).toBe("/login?error=deactivated");
    expect(refused.session).toBeUndefined();
    const page = unwrap<{ companyError: string }>(await call(loginLoader, get("/login?error=deactivated")));
    expect(page.body.companyError).toBe("This account has been deactivated. Ask an administrator.");
    // An unknown code is not reflected.
    const odd = unwrap<{ companyError: string | null }>(await call(loginLoader, get("/login?error=<script>")));
    expect(odd.body.companyError).toBeNull();
  });

  it("maps a directory claim (not email) without asking for email_verified", async () => {
    expect(unwrap(await configure({ emailClaim: "upn" })).status).toBe(200);
    idp.accounts.set("upn", { claims: { upn: "UPN.Person@corp.example", name: "Upn Person" } });
    const done = await signIn("upn");
    expect((await sessionUser(done.session))?.email).toBe("upn.person@corp.example");
    expect(unwrap(await configure()).status).toBe(200);
  });

  it("password sign-in cannot be turned off before an admin has signed in through the provider; then it can", async () => {
    forgetDiscoveredProviders();
    const learner = await makeUser();
    const off = () => call(signInAdminAction, post("/admin/sign-in", { intent: "passwords-off" }, admin.cookie));
    const refused = unwrap<{ message: string }>(await off());
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/stays on until an admin has signed in/);

    idp.accounts.set("admin", { claims: { email: admin.email, email_verified: true } });
    const adminSignIn = await signIn("admin");
    expect((await sessionUser(adminSignIn.session))?.roles).toContain("admin");
    expect(unwrap(await off()).status).toBe(200);

    const pw = unwrap<{ errors: { form: string } }>(
      await call(loginAction, post("/login", { email: learner.email, password: learner.password })),
    );
    expect(pw.status).toBe(403);
    expect(pw.body.errors.form).toMatch(/Password sign-in is turned off/);
    const adminPw = unwrap(await call(loginAction, post("/login", { email: admin.email, password: admin.password })));
    expect(adminPw.status).toBe(403);
    const loginPage = unwrap<{ passwords: boolean; demo: unknown }>(await call(loginLoader, get("/login")));
    expect(loginPage.body.passwords).toBe(false);
    // A set-password link is no way around it: the password is refused and no session starts.
    const link = issuePasswordLink(db(), learner.id, { purpose: "reset", createdBy: admin.id });
    const viaLink = await call(
      setPasswordAction,
      post(`/set-password?token=${link.token}`, { password: "a brand new password", confirm: "a brand new password" }),
    );
    expect(unwrap(viaLink).status).toBe(403);

    // Break glass: admins (only) may use their password again.
    process.env.LOCAL_SIGN_IN_BREAK_GLASS = "true";
    resetConfigForTests();
    try {
      const glass = (await call(
        loginAction,
        post("/login", { email: admin.email, password: admin.password }),
      )) as Response;
      expect(glass.status).toBe(302);
      const stillOff = unwrap(
        await call(loginAction, post("/login", { email: learner.email, password: learner.password })),
      );
      expect(stillOff.status).toBe(403);
    } finally {
      delete process.env.LOCAL_SIGN_IN_BREAK_GLASS;
      resetConfigForTests();
    }

    // A new provider needs a new proof: the old one does not carry over, and passwords come back while unproven.
    expect(unwrap(await configure({ clientId: "another-client" })).status).toBe(200);
    const page = unwrap<{ proof: unknown }>(await call(signInAdminLoader, get("/admin/sign-in", admin.cookie)));
    expect(page.body.proof).toBeNull();
    expect(unwrap(await configure()).status).toBe(200);
    expect(
      unwrap(await call(signInAdminAction, post("/admin/sign-in", { intent: "passwords-on" }, admin.cookie))).status,
    ).toBe(200);
    const back = (await call(
      loginAction,
      post("/login", { email: admin.email, password: admin.password }),
    )) as Response;
    expect(back.status).toBe(302);
    expect(db().select().from(userRoles).where(eq(userRoles.userId, admin.id)).all()).toHaveLength(2);
  });

  it("an issuer whose metadata names another issuer is refused as misconfigured", async () => {
    // Same provider, reached under another name: its discovery document says 127.0.0.1, not localhost.
    const alias = idp.issuer.replace("127.0.0.1", "localhost");
    expect(unwrap(await configure({ issuer: alias })).status).toBe(200);
    forgetDiscoveredProviders();
    const started = await start();
    expect(started.location).toBe("/login?error=misconfigured");
    const test = unwrap<{ message: string }>(
      await call(signInAdminAction, post("/admin/sign-in", { intent: "test" }, admin.cookie)),
    );
    expect(test.body.message).toMatch(/issuer does not match/);
    expect(unwrap(await configure()).status).toBe(200);
  });

  it("a provider that is down or never answers gives a clear message within the timeout, not a stall", async () => {
    // Nothing listens on a port that was just closed.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(unwrap(await configure({ issuer: `http://127.0.0.1:${deadPort}` })).status).toBe(200);
    forgetDiscoveredProviders();
    expect((await start()).location).toBe("/login?error=unavailable");

    // A server that accepts the connection and never replies.
    const sockets = new Set<import("node:net").Socket>();
    const silent = createServer(() => {});
    silent.on("connection", (s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    process.env.OIDC_TIMEOUT_SECONDS = "1";
    resetConfigForTests();
    try {
      expect(
        unwrap(await configure({ issuer: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` })).status,
      ).toBe(200);
      forgetDiscoveredProviders();
      const t0 = Date.now();
      expect((await start()).location).toBe("/login?error=unavailable");
      expect(Date.now() - t0).toBeLessThan(5_000);
    } finally {
      delete process.env.OIDC_TIMEOUT_SECONDS;
      resetConfigForTests();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }

    // The provider goes down between the login form and the callback: the code exchange fails cleanly.
    expect(unwrap(await configure()).status).toBe(200);
    forgetDiscoveredProviders();
    const started = await start();
    const back = await walkProvider(started.location, "sam", CALLBACK);
    const port = Number(new URL(idp.issuer).port);
    await idp.close();
    const done = await finish(back, started.cookie);
    expect(done.location).toBe("/login?error=unavailable");
    expect(done.session).toBeUndefined();
    idp = await startIdp({ redirectUris: [CALLBACK], port });
  });
});
