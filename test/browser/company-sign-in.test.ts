import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeIdp, startIdp } from "../fakes/oidc-idp";
import { freePort, type RunningApp, startApp } from "../support/app-server";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

/**
 * Company sign-in in Chromium: an app configured by OIDC_* environment variables against a real OpenID Connect
 * provider (oidc-provider) on loopback. The person clicks "Sign in with your company account", signs in on the
 * provider's own form and comes back signed in.
 */
const session = browserPerFile();
let idp: FakeIdp;
let app: RunningApp;

beforeAll(async () => {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  idp = await startIdp({ redirectUris: [`${publicUrl}/auth/oidc/callback`] });
  app = await startApp({
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_TEAM_CLAIM: "team",
  });
});
afterAll(async () => {
  await app?.stop();
  await idp?.close();
});

const shots = process.env.TOKENWISE_SCREENSHOTS;

describe("company sign-in, in Chromium, against a real OpenID Connect provider", () => {
  it("a new employee signs in with the company account, and lands where they were going", async () => {
    const { page } = session.current;
    idp.accounts.set("erin", {
      claims: {
        email: "erin.employee@tokenwise.example",
        email_verified: true,
        name: "Erin Employee",
        team: "Support EMEA",
      },
    });
    await page.goto(`${app.baseURL}/leaderboard`);
    await page.waitForURL(/\/login\?redirectTo=/);
    if (shots) {
      for (const width of [1440, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: `${shots}/login-${width}.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 1400, height: 950 });
    }
    expect(session.current.errors, session.current.errors.join("\n")).toEqual([]);
    await page.getByRole("link", { name: "Sign in with your company account" }).click();
    // The provider's own login form, on another origin (its page asks for a web font and a favicon this offline
    // machine cannot give it: its console errors are not the app's).
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByPlaceholder("Enter any login").fill("erin");
    await page.getByPlaceholder("and password").fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.waitForURL(`${app.baseURL}/leaderboard`);
    session.current.errors.length = 0;
    await page.reload();
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await page.content()).toContain("Erin Employee");
    // The pending sign-in cookie is gone; the session cookie is HTTP-only.
    const cookies = await session.current.context.cookies(app.baseURL);
    expect(cookies.find((c) => c.name === "tw_oidc")).toBeUndefined();
    expect(cookies.find((c) => c.name === "tw_session")?.httpOnly).toBe(true);
    expect(session.current.errors, session.current.errors.join("\n")).toEqual([]);
  });

  it("the admin's Sign-in page shows the environment's settings read-only and never the secret", async () => {
    const { page, context } = session.current;
    await context.clearCookies();
    await logIn(page, app.baseURL, "admin@tokenwise.example");
    await page.goto(`${app.baseURL}/admin/sign-in`);
    await page.getByRole("heading", { name: "Sign-in", level: 1 }).waitFor();
    expect(await page.getByLabel("Issuer URL").inputValue()).toBe(idp.issuer);
    expect(await page.getByLabel("Issuer URL").isDisabled()).toBe(true);
    expect(await page.content()).not.toContain(idp.clientSecret);
    expect(await page.getByTestId("redirect-uri").textContent()).toBe(`${app.baseURL}/auth/oidc/callback`);
    await page.getByRole("button", { name: "Test the connection" }).click();
    await page.getByText(`Reached ${idp.issuer}`).waitFor();
    if (shots) {
      for (const width of [1440, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: `${shots}/admin-sign-in-${width}.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 1400, height: 950 });
    }
  });

  it("a refused sign-in (unverified email) comes back to the login page with a plain message", async () => {
    const { page, context } = session.current;
    await context.clearCookies();
    idp.accounts.set("mallory", { claims: { email: "mallory@tokenwise.example", email_verified: false } });
    await page.goto(`${app.baseURL}/login`);
    await page.getByRole("link", { name: "Sign in with your company account" }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByPlaceholder("Enter any login").fill("mallory");
    await page.getByPlaceholder("and password").fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.waitForURL(/\/login\?error=email-unverified/);
    await page.getByText("Your company account's email address is not verified").waitFor();
  });
});
