import { describe, expect, inject, it } from "vitest";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();

describe("a learner's first exercise, in Chromium", () => {
  it("logs in, rewrites the prompt in Monaco, watches the count change, submits and reads the score, then logs out", async () => {
    const { page } = session.current;
    await logIn(page, baseURL, "learner@tokenwise.example");
    // A learner lands on My learning; the course list is one click away.
    await page.waitForURL(/\/learning$/);
    await page.getByRole("link", { name: "Courses", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Welcome, Lena" }).waitFor();

    // Open the first course and its opening lesson (from exercises/<course>/lessons/), which leads to the first
    // exercise.
    await page.locator(".card h2 a").first().click();
    await page.waitForURL(/\/courses\/[a-z0-9-]+$/);
    await page.locator("table a[href*='/lessons/']").first().click();
    await page.waitForURL(/\/courses\/[a-z0-9-]+\/lessons\/[a-z0-9-]+$/);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.getByRole("navigation", { name: "Lessons and exercises" }).getByRole("link").last().waitFor();
    await page.goBack();
    await page.locator("table a[href^='/exercises/']").first().click();
    await page.waitForURL(/\/exercises\/[a-z0-9-]+$/);

    const editor = page.locator(".monaco-editor");
    await editor.waitFor({ state: "visible", timeout: 30_000 });
    const count = page.getByTestId("token-count");
    await page.waitForFunction(() =>
      /^\d[\d,]*$/.test(document.querySelector("[data-testid=token-count]")?.textContent ?? ""),
    );
    const startCount = Number((await count.textContent())!.replace(/,/g, ""));
    expect(startCount).toBeGreaterThan(100);

    // Replace the wasteful prompt by typing, as a person would.
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.type("Classify the ticket. Reply with JSON only.\n\nTicket: {{input}}", { delay: 5 });
    await page.waitForFunction((start) => {
      const text = document.querySelector("[data-testid=token-count]")?.textContent ?? "";
      return /^\d+$/.test(text) && Number(text) < start && Number(text) > 0;
    }, startCount);
    const typedCount = Number(await count.textContent());
    expect(typedCount).toBeLessThan(30);
    await expect(page.getByTestId("checks").textContent()).resolves.toMatch(/\S/);

    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/attempts\/\d+$/);
    const score = await page.getByTestId("score").textContent();
    expect(score).toMatch(/^\d+/);
    await expect(page.getByTestId("judge-name").textContent()).resolves.toMatch(/offline/);
    await expect(page.getByTestId("submitted-prompt").textContent()).resolves.toContain("Reply with JSON only.");
    await expect(page.getByTestId("requirements").locator("li").count()).resolves.toBeGreaterThan(1);

    await page.getByRole("button", { name: "Log out", exact: true }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${baseURL}/courses`);
    await page.waitForURL(/\/login\?redirectTo=/);
    expect(session.current.errors).toEqual([]);
  });
});
