import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInIdentities, users } from "#db/schema";
import { db } from "~/.server/db";
import { accountForClaims } from "~/.server/sign-in/oidc-account";
import { activeOidcSettings } from "~/.server/sign-in/oidc-settings";
import { loader as homeLoader } from "~/routes/_index";
import { type FakeIdp, startIdp } from "../fakes/oidc-idp";
import { CALLBACK, companySignIn, sessionUser } from "../support/company-sign-in";
import { call, get, makeUser, ready, unwrap } from "./harness";

// Accounts are matched on the provider's (issuer, subject); the fake provider's subject is the login name.

let idp: FakeIdp;
let admin: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  await ready();
  idp = await startIdp({ redirectUris: [CALLBACK] });
  admin = await makeUser({ roles: ["admin"] });
});
afterAll(async () => {
  await idp?.close();
});

const { configure, start, startRaw, signIn, signInWith } = companySignIn(
  () => idp,
  () => admin.cookie,
);

const subjectsOf = (userId: number) =>
  db().select().from(signInIdentities).where(eq(signInIdentities.userId, userId)).all();
const emailOf = (userId: number) => db().select({ email: users.email }).from(users).where(eq(users.id, userId)).get();

describe("company sign-in matches accounts by the provider's subject, not the email", () => {
  it("a first sign-in stores (issuer, subject); a changed email at the provider still reaches that account and never another one", async () => {
    expect(unwrap(await configure()).status).toBe(200);
    const victim = await makeUser();
    idp.accounts.set("erin", { claims: { email: "erin@corp.example", email_verified: true, name: "Erin" } });
    const first = await signIn("erin");
    const erin = await sessionUser(first.session);
    expect(erin?.email).toBe("erin@corp.example");
    expect(subjectsOf(erin!.id)).toEqual([expect.objectContaining({ issuer: idp.issuer, subject: "erin" })]);

    // The directory changes Erin's address to the victim's (a typo, a reused address, a hostile IdP admin).
    idp.accounts.set("erin", { claims: { email: victim.email, email_verified: true, name: "Erin" } });
    const second = await signIn("erin");
    expect((await sessionUser(second.session))?.id).toBe(erin!.id);
    // Neither account changed hands or address.
    expect(emailOf(erin!.id)?.email).toBe("erin@corp.example");
    expect(subjectsOf(victim.id)).toEqual([]);

    // The address may also vanish: the subject alone is enough for a known account.
    idp.accounts.set("erin", { claims: { name: "Erin" } });
    expect((await sessionUser((await signIn("erin")).session))?.id).toBe(erin!.id);
  });

  it("joins an existing password account on a verified email, once; later sign-ins find it by subject", async () => {
    const pat = await makeUser({ roles: ["learner"] });
    idp.accounts.set("pat-sub", { claims: { email: pat.email.toUpperCase(), email_verified: true } });
    const joined = await signIn("pat-sub");
    expect((await sessionUser(joined.session))?.id).toBe(pat.id);
    expect(subjectsOf(pat.id).map((s) => s.subject)).toEqual(["pat-sub"]);
    idp.accounts.set("pat-sub", { claims: { email: "pat.renamed@corp.example", email_verified: true } });
    expect((await sessionUser((await signIn("pat-sub")).session))?.id).toBe(pat.id);
  });

  it("refuses to join an account already joined to another subject of this provider", async () => {
    const quinn = await makeUser();
    idp.accounts.set("quinn", { claims: { email: quinn.email, email_verified: true } });
    expect((await sessionUser((await signIn("quinn")).session))?.id).toBe(quinn.id);
    // A second directory entry claiming the same (verified) address.
    idp.accounts.set("quinn-impostor", { claims: { email: quinn.email, email_verified: true } });
    const taken = await signIn("quinn-impostor");
    expect(taken.location).toBe("/login?error=email-taken");
    expect(taken.session).toBeUndefined();
    expect(subjectsOf(quinn.id).map((s) => s.subject)).toEqual(["quinn"]);
    expect(db().select().from(signInIdentities).where(eq(signInIdentities.subject, "quinn-impostor")).all()).toEqual(
      [],
    );
  });

  it("joins an existing account only on email_verified exactly true, even with a directory claim", async () => {
    const ros = await makeUser();
    expect(unwrap(await configure({ emailClaim: "upn" })).status).toBe(200);
    for (const [login, verified] of [
      ["ros-missing", undefined],
      ["ros-false", false],
      ["ros-string", "true"],
      ["ros-one", 1],
    ] as const) {
      idp.accounts.set(login, { claims: { upn: ros.email, email_verified: verified } });
      const refused = await signIn(login);
      expect(refused.location, login).toBe("/login?error=link-unverified");
      expect(refused.session).toBeUndefined();
    }
    expect(subjectsOf(ros.id)).toEqual([]);
    // A new address with a directory claim still gets an account of its own (it takes nobody's).
    idp.accounts.set("newbie", { claims: { upn: "newbie@corp.example" } });
    const created = await sessionUser((await signIn("newbie")).session);
    expect(created?.email).toBe("newbie@corp.example");
    expect(created?.id).not.toBe(ros.id);
    expect(unwrap(await configure()).status).toBe(200);
  });

  it("a deactivated account stays shut when reached by its subject", async () => {
    idp.accounts.set("gone-sub", { claims: { email: "gone-sub@corp.example", email_verified: true } });
    const user = await sessionUser((await signIn("gone-sub")).session);
    db().update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, user!.id)).run();
    // Even with a fresh address nobody has: the subject is what counts.
    idp.accounts.set("gone-sub", { claims: { email: "fresh@corp.example", email_verified: true } });
    const refused = await signIn("gone-sub");
    expect(refused.location).toBe("/login?error=deactivated");
    expect(db().select().from(users).where(eq(users.email, "fresh@corp.example")).get()).toBeUndefined();
  });

  it("the same subject at another issuer is another identity; one account keeps one subject per issuer", async () => {
    const settings = activeOidcSettings(db())!;
    const kim = await makeUser();
    const claims = { email: kim.email, email_verified: true };
    const a = accountForClaims(db(), settings, { issuer: "https://idp-a.example", subject: "42", claims });
    const b = accountForClaims(db(), settings, { issuer: "https://idp-b.example", subject: "42", claims });
    expect(a).toEqual({ ok: true, userId: kim.id, created: false });
    expect(b).toEqual({ ok: true, userId: kim.id, created: false });
    const c = accountForClaims(db(), settings, { issuer: "https://idp-a.example", subject: "43", claims });
    expect(c).toMatchObject({ ok: false, failure: { code: "email-taken" } });
    // Twice the same first sign-in (a double click) makes one account, one link.
    const twice = {
      issuer: "https://idp-a.example",
      subject: "new-1",
      claims: { email: "twice@corp.example", email_verified: true },
    };
    const one = accountForClaims(db(), settings, twice);
    const two = accountForClaims(db(), settings, twice);
    expect(one).toMatchObject({ ok: true, created: true });
    expect(two).toEqual({ ok: true, userId: (one as { userId: number }).userId, created: false });
    // A subject that is empty or absurdly long is refused, not stored.
    for (const subject of ["", "x".repeat(256)])
      expect(accountForClaims(db(), settings, { issuer: "https://idp-a.example", subject, claims })).toMatchObject({
        ok: false,
        failure: { code: "id-token" },
      });
    expect(
      db()
        .select()
        .from(signInIdentities)
        .where(and(eq(signInIdentities.issuer, "https://idp-a.example"), eq(signInIdentities.userId, kim.id)))
        .all(),
    ).toHaveLength(1);
  });
});

describe("company sign-in lands on the role's home and keeps returnTo on this site", () => {
  it("with no returnTo it lands on /, which sends a learner to My learning", async () => {
    idp.accounts.set("lee", { claims: { email: "lee@corp.example", email_verified: true } });
    const done = await signIn("lee");
    expect(done.location).toBe("/");
    const home = (await call(homeLoader, get("/", done.session))) as Response;
    expect(home.headers.get("location")).toBe("/learning");
    // Already signed in: starting again goes home too, not to the course list.
    const again = await startRaw("", done.session);
    expect(again.res.headers.get("location")).toBe("/");
  });

  it("keeps a path on this site, with its query", async () => {
    expect((await signIn("lee", "/progress?course=x#top")).location).toBe("/progress?course=x#top");
  });

  it("refuses every way off the site, raw or percent-encoded, and lands on /", async () => {
    const hostile = [
      "//evil.example/x",
      "https://evil.example/",
      "/\\evil.example",
      "\\\\evil.example",
      "javascript:alert(1)",
      "/\t/evil.example",
      " //evil.example",
      "http:/evil.example",
      "%2F%2Fevil.example",
      "%252F%252Fevil.example",
    ];
    for (const returnTo of hostile) {
      const done = await signIn("lee", returnTo);
      expect(done.location, JSON.stringify(returnTo)).toBe("/");
      expect(done.session).toBeDefined();
    }
    // Encoded in the start URL itself, so the loader decodes them to // and /\ and a tab.
    for (const query of ["returnTo=%2F%2Fevil.example", "returnTo=%2F%5Cevil.example", "returnTo=/%09/evil.example"]) {
      const done = await signInWith(await startRaw(query), "lee");
      expect(done.location, query).toBe("/");
    }
    // A percent-encoded slash stays encoded: a path on this site, never a host.
    const encoded = await signIn("lee", "/%2F%2Fevil.example");
    expect(new URL(encoded.location, "http://localhost:3000").origin).toBe("http://localhost:3000");
    expect(encoded.location.startsWith("//")).toBe(false);
  });

  it("a returnTo tampered with in the pending cookie is checked again at the callback", async () => {
    // The cookie is signed: a forged one is not read at all, so the sign-in starts over.
    const started = await start("/progress");
    const forged = {
      ...started,
      cookie: started.cookie.replace(/^tw_oidc=[^.]*/, "tw_oidc=eyJyZXR1cm5UbyI6Ii8vZXZpbCJ9"),
    };
    const done = await signInWith(forged, "lee");
    expect(done.location).toBe("/login?error=expired");
  });
});
