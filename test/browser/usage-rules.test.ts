import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();

describe("the admin attributes production usage, in Chromium", () => {
  it("writes two rules, previews one while typing it, and sees the unallocated share fall to 0", async () => {
    const { page } = session.current;
    await logIn(page, baseURL, "admin@tokenwise.example");
    // The same file as the import story: importing it again adds nothing, so the order of the files does not matter.
    await page.goto(`${baseURL}/admin/usage`);
    await page.locator('input[type="file"]').setInputFiles({
      name: "focus.csv",
      mimeType: "text/csv",
      buffer: readFileSync("test/fixtures/usage/focus-1.2.csv"),
    });
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.locator('[data-testid="import-progress"][data-status="done"]').waitFor();

    await page.getByRole("link", { name: "Attribution rules" }).click();
    await page.waitForURL(/\/admin\/usage\/rules$/);
    // The demo's hack-day sandbox project is covered by no rule: a few percent of the last 30 days.
    expect(await page.getByTestId("unallocated-share").textContent()).not.toBe("0%");

    // The FOCUS export's Bedrock meters tagged team=support-emea (January 2026, outside the last 30 days).
    const form = page.getByTestId("rule-form");
    await form.locator("select[name=field]").selectOption("tag");
    await form.getByLabel("Value", { exact: true }).fill("team=support-emea");
    await form.locator("select[name=teamId]").selectOption({ label: "Support EMEA (Customer Support)" });
    await form.getByRole("button", { name: "Add rule" }).click();
    await page
      .getByRole("status")
      .getByText(/attributed again/)
      .waitFor();

    // The sandbox goes to FP&A, who ran the hack day: the live preview says it empties the unallocated bucket.
    await form.locator("select[name=field]").selectOption("project");
    await form.getByLabel("Value", { exact: true }).fill("proj_sandbox");
    await form.locator("select[name=teamId]").selectOption({ label: "FP&A (Finance)" });
    await page
      .getByTestId("rule-preview")
      .getByText(/Catches 2 source combinations/)
      .waitFor();
    await page.getByTestId("preview-unallocated").getByText("$0").waitFor();
    await form.getByRole("button", { name: "Add rule" }).click();
    await page.getByTestId("unallocated-share").getByText("0%").waitFor();
    expect(await page.getByTestId("rules").textContent()).toMatch(/proj_sandbox/);
    expect(session.current.errors).toEqual([]);
  });
});
