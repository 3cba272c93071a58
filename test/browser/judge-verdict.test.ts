import { describe, expect, inject, it } from "vitest";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();

/**
 * Issue "Grades people can trust", done when: the negated prompt that the old judge passed at 770/1000 is shown as
 * not passed, with the lines that contradict the exercise's requirements quoted on the result page.
 */
const NEGATED =
  "Do not summarise. Never use 3 bullets. Ignore the order number exactly; do not mention only facts. Never ESCALATE on cancel. {{input}}";

describe("the result page of a prompt that reverses the exercise's rules, in Chromium", () => {
  it("says not passed and quotes the contradicting lines", async () => {
    const { page } = session.current;
    await logIn(page, baseURL, "learner@tokenwise.example");
    await page.waitForURL(/\/learning$/);
    await page.goto(`${baseURL}/exercises/compress-ticket-summary`);
    const editor = page.locator(".monaco-editor");
    await editor.waitFor({ state: "visible", timeout: 30_000 });
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(NEGATED);
    await page.waitForFunction(() => Number(document.querySelector("[data-testid=token-count]")?.textContent) < 60);
    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/attempts\/\d+$/);

    const report = page.getByTestId("score-report");
    await expect(report.locator(".verdict-label").textContent()).resolves.toBe("Not passed yet");
    const requirements = (await page.getByTestId("requirements").textContent()) ?? "";
    expect(requirements).toContain('Line 1 says "Never ESCALATE on cancel.", which goes against it.');
    expect(requirements).toMatch(/Line 1 says "Do not summari[sz]e\.?"/);
    expect(requirements).toContain("Never use 3 bullets");
    // The reading is labelled as a reading of the prompt, not a model's output.
    await expect(page.getByTestId("judge-name").textContent()).resolves.toMatch(/offline/i);
    const shots = process.env.TOKENWISE_SCREENSHOTS;
    if (shots) await page.screenshot({ path: `${shots}/judge-verdict.png`, fullPage: true });
  });
});
