import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();

describe("the admin imports production usage, in Chromium", () => {
  it("uploads a FOCUS file (streamed through the server), watches it import, and sees a bad file's lines", async () => {
    const { page } = session.current;
    await logIn(page, baseURL, "admin@tokenwise.example");
    await page.goto(`${baseURL}/admin`);
    await page.getByRole("link", { name: "Production usage" }).click();
    await page.waitForURL(/\/admin\/usage$/);

    await page.locator('input[type="file"]').setInputFiles({
      name: "aws-focus-2026-01.csv",
      mimeType: "text/csv",
      buffer: readFileSync("test/fixtures/usage/focus-1.2.csv"),
    });
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.waitForURL(/\/admin\/usage\?import=\d+$/);
    const progress = page.getByTestId("import-progress");
    await progress.and(page.locator('[data-status="done"]')).waitFor();
    // Another browser test may have imported the same file first: then every row is "already imported".
    expect(await progress.textContent()).toMatch(
      /Imported 10 rows: (9 added, 0 updated, 0 already imported|0 added, 0 updated, 9 already imported), 1 skipped/,
    );
    await page.getByTestId("usage-imports").getByText("aws-focus-2026-01.csv").waitFor();

    // A file with a bad row, refused as a whole: the page names the line and the column.
    const bad = readFileSync("test/fixtures/usage/focus-1.2.csv", "utf8").replace("2026-01-05T10:00:00Z", "5 Jan 2026");
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await page.getByLabel("Refuse the whole file if any row is bad").check();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.locator('[data-testid="import-progress"][data-status="refused"]').waitFor();
    expect(await page.getByTestId("import-errors").textContent()).toMatch(/line 2, ChargePeriodStart: "5 Jan 2026"/);
    expect(session.current.errors).toEqual([]);
  });
});
