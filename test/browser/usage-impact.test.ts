import { describe, expect, inject, it } from "vitest";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();

describe("the demo manager and training impact, in Chromium", () => {
  it("sees their teams' production spend and the trained team's estimated saving, and no other team's", async () => {
    const { page } = session.current;
    await logIn(page, baseURL, "manager@tokenwise.example");
    await page.goto(`${baseURL}/finops/production`);
    const spend = Number((await page.getByTestId("production-spend").textContent())?.replace(/[$,]/g, ""));
    expect(spend).toBeGreaterThan(0);
    const teams = await page.getByTestId("production-team").textContent();
    expect(teams).toMatch(/Support EMEA/);
    expect(teams).toMatch(/Support Americas/);
    expect(teams).not.toMatch(/Platform|FP&A/);

    await page.getByRole("link", { name: "training impact" }).click();
    await page.waitForURL(/\/finops\/impact$/);
    const table = page.getByTestId("impact-table");
    expect(await table.textContent()).not.toMatch(/Platform|FP&A/);
    const emea = table.locator('tr[data-team="Support EMEA"]');
    expect(await emea.textContent()).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await emea.getByTestId("impact-saving").textContent()).toMatch(
      /^\$[\d,]+ a month \(\$[\d,]+ to \$[\d,]+\)$/,
    );
    expect(await table.locator('tr[data-team="Support Americas"]').textContent()).toMatch(/Not trained yet/);
    expect(await page.getByTestId("impact-caveat").textContent()).toMatch(/estimates, not measurements/);

    await page.goto(`${baseURL}/manager`);
    expect(await page.getByTestId("manager-impact").textContent()).toMatch(/Support EMEA.*a month/);
    expect(session.current.errors).toEqual([]);
  });
});
