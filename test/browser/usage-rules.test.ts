import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();

describe("the admin attributes production usage, in Chromium", () => {
  it("previews a rule while typing it, saves two rules and sees the unallocated share fall to 0", async () => {
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
    expect(await page.getByTestId("unallocated-share").textContent()).toBe("100%");

    const form = page.getByTestId("rule-form");
    await form.locator("select[name=field]").selectOption("tag");
    await form.getByLabel("Value", { exact: true }).fill("team=support-emea");
    await form.locator("select[name=teamId]").selectOption({ label: "Support EMEA (Customer Support)" });
    // The live preview: the three tagged Bedrock meters, $2.20 of $4.32.
    await page.getByTestId("rule-preview").getByText("Catches 1 source combination, $2.20").waitFor();
    expect(await page.getByTestId("preview-unallocated").textContent()).toBe("$2.12");
    await form.getByRole("button", { name: "Add rule" }).click();
    await page
      .getByRole("status")
      .getByText(/attributed again/)
      .waitFor();

    // The rest of this export is shared by the two engineering teams, by cost.
    await form.locator("select[name=field]").selectOption("source");
    await form.getByLabel("Value", { exact: true }).fill("focus");
    await form.getByLabel("Shared between teams").check();
    await form.getByLabel("Platform (Engineering)").check();
    await form.getByLabel("Data (Engineering)").check();
    await form.locator("select[name=splitBy]").selectOption("cost");
    await page.getByTestId("preview-unallocated").getByText("$0").waitFor();
    await form.getByRole("button", { name: "Add rule" }).click();
    await page.getByTestId("unallocated-share").getByText("0%").waitFor();
    expect(await page.getByTestId("rules").textContent()).toMatch(
      /shared by Platform \(Engineering\), Data \(Engineering\), by cost/,
    );
    expect(session.current.errors).toEqual([]);
  });
});
