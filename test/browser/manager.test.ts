import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { parseCsv } from "~/lib/csv-parse";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();

describe("the demo manager, in Chromium", () => {
  it("opens the dashboard, sees the progress grid and a trend chart, and exports a report", async () => {
    const { page } = session.current;
    await logIn(page, baseURL, "manager@tokenwise.example");
    await page.getByRole("link", { name: "Teams" }).click();
    await page.waitForURL(/\/manager$/);
    const grid = page.getByTestId("progress-grid");
    await grid.waitFor();
    const gridText = await grid.textContent();
    // The demo manager manages the two support teams, and only those.
    expect(gridText).toMatch(/Support EMEA/);
    expect(gridText).toMatch(/Support Americas/);
    expect(gridText).not.toMatch(/Platform/);

    const download = page.waitForEvent("download");
    await page.getByTestId("grid-csv").click();
    const file = await (await download).path();
    const parsed = parseCsv(readFileSync(file, "utf8"));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.records.length).toBeGreaterThan(1);

    await page.getByRole("link", { name: "Support EMEA" }).first().click();
    await page.waitForURL(/\/manager\/teams\/\d+$/);
    await page.getByTestId("trend-chart").first().waitFor();
    expect(await page.getByTestId("team-learners").textContent()).toMatch(/Omar Haddad/);
    expect(session.current.errors).toEqual([]);
  });
});
