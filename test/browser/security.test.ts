import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();
const SLUG = "route-to-nano";

/**
 * The attacker: a page on another port of the same host (same-site, so the Lax session cookie rides along), which
 * a signed-in user visits. Each path tries one forgery; /frame tries to frame an admin page.
 */
let attacker: Server;
let attackerURL: string;
const ATTACKS: Record<string, string> = {
  "/draft": `<form id="f" method="post" action="${baseURL}/exercises/${SLUG}?_data=routes%2Fexercises.%24slug">
      <input name="intent" value="save-draft"><input name="prompt" value="PWNED BY CSRF"></form>
    <script>document.getElementById("f").submit()</script>`,
  "/draft-fetch": `<script>fetch("${baseURL}/exercises/${SLUG}.data", { method: "POST", mode: "no-cors",
      credentials: "include", body: new URLSearchParams({ intent: "save-draft", prompt: "PWNED BY FETCH" }) })
      .finally(() => { document.title = "sent"; });</script>`,
  "/logout": `<form id="f" method="post" action="${baseURL}/logout?_data=routes%2Flogout"></form>
    <script>document.getElementById("f").submit()</script>`,
  "/login": `<form id="f" method="post" action="${baseURL}/login?_data=routes%2Flogin">
      <input name="email" value="admin@tokenwise.example"><input name="password" value="tokenwise-demo"></form>
    <script>document.getElementById("f").submit()</script>`,
  "/frame": `<iframe id="victim" src="${baseURL}/admin" width="800" height="600"></iframe>`,
};

beforeAll(async () => {
  attacker = createServer((req, res) => {
    res.setHeader("Content-Type", "text/html");
    res.end(
      `<!doctype html><html><head><link rel="icon" href="data:,"><title>win a prize</title></head><body>${
        ATTACKS[req.url ?? ""] ?? ""
      }</body></html>`,
    );
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerURL = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
// Chromium keeps its sockets to the attacker open after the tests; close() alone waited ~45 s for them to time out.
afterAll(
  () =>
    new Promise<void>((resolve) => {
      attacker.close(() => resolve());
      attacker.closeAllConnections();
    }),
);

async function draftText(): Promise<string> {
  const { page } = session.current;
  await page.goto(`${baseURL}/exercises/${SLUG}`);
  await page.locator(".monaco-editor").waitFor({ state: "visible", timeout: 30_000 });
  return page.evaluate(() => document.querySelector(".monaco-editor")?.textContent ?? "");
}

describe("a page on another port of the same host, in Chromium", () => {
  it("cannot save a learner's draft by a form post or fetch, ?_data= or .data: 403", async () => {
    const { page } = session.current;
    await logIn(page, baseURL, "learner@tokenwise.example");
    const refused: number[] = [];
    page.on("response", (r) => {
      if (r.url().startsWith(`${baseURL}/exercises/`) && r.request().method() === "POST") refused.push(r.status());
    });
    await page.goto(`${attackerURL}/draft`);
    await page.waitForLoadState("load");
    await page.goto(`${attackerURL}/draft-fetch`);
    await page.waitForFunction(() => document.title === "sent");
    expect(refused).toEqual([403, 403]);
    expect(await draftText()).not.toMatch(/PWNED/);
  });

  it("cannot sign the learner out, nor sign them into another account", async () => {
    const { page } = session.current;
    await page.goto(`${attackerURL}/logout`);
    await page.waitForLoadState("load");
    await page.goto(`${attackerURL}/login`);
    await page.waitForLoadState("load");
    await page.goto(`${baseURL}/courses`);
    await expect(page.locator(".whoami").textContent()).resolves.toBe("Lena Learner");
  });

  it("cannot frame an admin page (frame-ancestors 'none', X-Frame-Options DENY)", async () => {
    const { page, context } = session.current;
    await context.clearCookies();
    await logIn(page, baseURL, "admin@tokenwise.example");
    await page.goto(`${attackerURL}/frame`);
    await page.waitForTimeout(1_000);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    // A blocked frame never commits the app's document: it shows Chromium's error page, empty to the parent.
    const framedApp = await frame!.evaluate(() => document.querySelector(".topbar") !== null).catch(() => false);
    expect(framedApp).toBe(false);
  });
});

describe("the app's own pages under its Content-Security-Policy", () => {
  it("serve a nonce CSP, nosniff, Referrer-Policy and no-store when signed in; Monaco and its workers run with no violation", async () => {
    const { page, context } = session.current;
    await context.clearCookies();
    await logIn(page, baseURL, "learner@tokenwise.example");
    await page.addInitScript(() => {
      (window as unknown as { cspViolations: string[] }).cspViolations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const res = await page.goto(`${baseURL}/exercises/${SLUG}`);
    const headers = res!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
    expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["cache-control"]).toBe("no-store");
    const editor = page.locator(".monaco-editor");
    await editor.waitFor({ state: "visible", timeout: 30_000 });
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("Classify the ticket. Reply with JSON only.\n\nTicket: {{input}}", { delay: 5 });
    await page.waitForFunction(() => {
      const text = document.querySelector("[data-testid=token-count]")?.textContent ?? "";
      return /^\d+$/.test(text) && Number(text) > 0 && Number(text) < 40;
    });
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  });
});
