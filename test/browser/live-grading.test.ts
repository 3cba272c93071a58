import { describe, expect, inject, it } from "vitest";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const liveURL = inject("liveBaseURL");
const session = browserPerFile();

describe("live grading with a provider configured, in Chromium", () => {
  it("shows the progress steps and then the judge's reasons without a reload", async () => {
    const { page } = session.current;
    await logIn(page, liveURL, "learner@tokenwise.example");
    await page.getByRole("heading", { level: 1, name: "My learning" }).waitFor();
    await page.goto(`${liveURL}/exercises/route-to-nano`);
    const editor = page.locator(".monaco-editor");
    await editor.waitFor({ state: "visible", timeout: 30_000 });
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.type(
      "Classify the ticket as billing, bug, account, feature_request or other. Reply with the label only.\n\nTicket: {{input}}",
      { delay: 2 },
    );
    // Mark the document: if the page reloaded, the marker would be gone.
    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/attempts\/\d+$/);
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });
    const progress = page.getByTestId("grading-progress");
    await progress.waitFor({ state: "visible" });
    const stagesSeen = new Set<string>();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(await page.getByTestId("live-report").isVisible())) {
      const stage = await progress.getAttribute("data-stage").catch(() => null);
      if (stage) stagesSeen.add(stage);
      await page.waitForTimeout(50);
    }
    await page.getByTestId("live-report").waitFor({ state: "visible", timeout: 5_000 });
    expect(stagesSeen.has("target") || stagesSeen.has("judging")).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    const verdicts = await page.getByTestId("verdicts").first().textContent();
    expect(verdicts).toMatch(/pass · 9\/10/);
    expect(verdicts).toMatch(/The output meets this criterion\./);
    expect(await page.getByTestId("judge-name").textContent()).toMatch(/gpt-4.1-mini \(LLM judge\)/);
    expect(session.current.errors).toEqual([]);
  });
});
