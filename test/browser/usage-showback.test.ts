import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();

describe("the production showback, in Chromium", () => {
  it("draws the daily spend chart under the app's CSP and exports a view", async () => {
    const { page } = session.current;
    await logIn(page, baseURL, "admin@tokenwise.example");
    // The FOCUS fixture (January 2026); importing it again, after another story did, adds nothing.
    await page.goto(`${baseURL}/admin/usage`);
    await page.locator('input[type="file"]').setInputFiles({
      name: "focus.csv",
      mimeType: "text/csv",
      buffer: readFileSync("test/fixtures/usage/focus-1.2.csv"),
    });
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.locator('[data-testid="import-progress"][data-status="done"]').waitFor();

    await page.goto(`${baseURL}/finops`);
    await page.getByTestId("production-link").click();
    await page.waitForURL(/\/finops\/production$/);
    // The URL changes before React renders the new route, and the showback page it leaves has the same period form:
    // filling it then fills the page on its way out. Wait for the production page itself.
    await page.getByRole("heading", { level: 1, name: "Production spend" }).waitFor();
    await page.getByLabel("From").fill("2026-01-01");
    await page.getByLabel("Until (not included)").fill("2026-02-01");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/from=2026-01-01/);
    // The demo's production data may add to the fixture's; the fixture alone is $4.32.
    const spend = Number((await page.getByTestId("production-spend").textContent())?.replace(/[$,]/g, ""));
    expect(spend).toBeGreaterThanOrEqual(4.31);
    await page.getByTestId("trend-canvas").locator("canvas").first().waitFor();
    expect(await page.getByTestId("usage-trend").locator("figcaption").textContent()).toMatch(
      /Daily production spend by department/,
    );

    const download = page.waitForEvent("download");
    await page.getByTestId("production-model").locator("xpath=..").getByRole("link", { name: "Export CSV" }).click();
    const text = readFileSync(await (await download).path(), "utf8");
    expect(text.split("\r\n")[0]).toMatch(/^Provider,Model,Tier,Cost \(USD\)/);
    expect(session.current.errors).toEqual([]);
  });
});
