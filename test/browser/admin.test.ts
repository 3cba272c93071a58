import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { parseCsv } from "~/lib/csv-parse";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();

describe("the demo admin and an imported user, in Chromium", () => {
  it("imports users, downloads their invitation links, and one of them sets a password and signs in", async () => {
    const { page, context } = session.current;
    await logIn(page, baseURL, "admin@tokenwise.example");
    await page.goto(`${baseURL}/admin/users/import`);
    const csv = "email,name,team,roles\nnew.hire@tokenwise.example,Nina Newhire,Support EMEA,learner\n";
    await page.locator('input[type="file"]').setInputFiles({
      name: "people.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("heading", { name: "Imported 1 user" }).waitFor();

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download invitation links (CSV)" }).click();
    const parsed = parseCsv(readFileSync(await (await download).path(), "utf8"));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [header, row] = parsed.records.map((r) => r.fields);
    expect(header).toEqual(["email", "name", "link", "expires"]);
    expect(row.slice(0, 2)).toEqual(["new.hire@tokenwise.example", "Nina Newhire"]);
    // The link is built on PUBLIC_URL; this test's app listens on another port.
    const link = new URL(row[2]);
    const invitation = `${baseURL}${link.pathname}${link.search}`;

    await context.clearCookies();
    await page.goto(invitation);
    await page.getByRole("heading", { name: "Welcome to Tokenwise" }).waitFor();
    await page.getByLabel("New password", { exact: true }).fill("correct horse battery");
    await page.getByLabel("New password again").fill("correct horse battery");
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.waitForURL(/\/learning$/);

    await context.clearCookies();
    await logIn(page, baseURL, "new.hire@tokenwise.example", "correct horse battery");
    await context.clearCookies();
    await page.goto(invitation);
    await page.getByRole("heading", { name: "This link does not work" }).waitFor();
    expect(session.current.errors.filter((e) => !e.includes("410"))).toEqual([]);
  });
});
