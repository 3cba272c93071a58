import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, inject, it } from "vitest";
import { startApp } from "../support/app-server";
import { logIn } from "./chromium";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();
const SHOTS = process.env.SCREENSHOT_DIR;

/** With SCREENSHOT_DIR set, saves the page at 1440 px and 390 px wide (for looking at, not asserted). */
async function shoot(name: string) {
  if (!SHOTS) return;
  const { page } = session.current;
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1400, height: 950 });
}

async function noSidewaysScroll(scope = "main") {
  const { page } = session.current;
  await page.setViewportSize({ width: 390, height: 844 });
  // This page's own content (the top bar's layout is issue 13a's): nothing reaches past the viewport's right edge,
  // except inside a table's own horizontal scroller and inside Monaco (whose internals sit off-screen on purpose).
  const overflow = await page.evaluate((scope) => {
    let right = 0;
    for (const el of document.querySelectorAll(`${scope}, ${scope} *`)) {
      if (el.closest(".table-scroll") || el.closest(".monaco-editor")) continue;
      right = Math.max(right, el.getBoundingClientRect().right);
    }
    return Math.ceil(right - window.innerWidth);
  }, scope);
  await page.setViewportSize({ width: 1400, height: 950 });
  return overflow;
}

describe("assignments, in Chromium", () => {
  it("a manager assigns a course to a team with a due date; the learner sees it on My learning, does an exercise, and the manager sees 'In progress'", async () => {
    const { page, context } = session.current;
    const due = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

    await logIn(page, baseURL, "manager@tokenwise.example");
    await page.goto(`${baseURL}/`);
    await page.waitForURL(/\/manager\/assignments$/);
    const form = page.getByRole("form", { name: "Assign a course" });
    await form.getByLabel("Course").selectOption({ label: "Prompt compression fundamentals" });
    await form.getByLabel("a team").check();
    await form.getByLabel("Team", { exact: true }).selectOption({ label: "Support EMEA" });
    await form.getByLabel("Due").fill(due);
    await form.getByRole("button", { name: "Assign" }).click();
    await expect(page.getByTestId("assign-message").textContent()).resolves.toContain(`due ${due}`);
    // The demo seeds other assignments for Lena: her row of this course.
    const lena = page
      .locator('[data-testid=assignment-board] tr[data-learner="learner@tokenwise.example"]')
      .filter({ hasText: "Prompt compression fundamentals" });
    await expect(lena.getAttribute("data-state")).resolves.toMatch(/not_started|in_progress/);
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(0);
    await shoot("assignments-dashboard");

    // Assigning it again is refused with the due date to change instead.
    await form.getByLabel("Due").fill(due);
    await form.getByRole("button", { name: "Assign" }).click();
    await expect(page.getByTestId("assign-error").textContent()).resolves.toMatch(/already assigned to Support EMEA/);

    await context.clearCookies();
    await logIn(page, baseURL, "learner@tokenwise.example");
    await page.goto(`${baseURL}/`);
    await page.waitForURL(/\/learning$/);
    const card = page.locator('[data-testid=my-learning] li[data-course="prompt-compression"]');
    await card.waitFor();
    expect(await card.textContent()).toMatch(/Due/);
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(0);
    await shoot("my-learning");
    await card.getByRole("link", { name: /^(Start|Continue):/ }).click();
    await page.waitForURL(/\/exercises\/[a-z0-9-]+$/);

    const editor = page.locator(".monaco-editor");
    await editor.waitFor({ state: "visible", timeout: 30_000 });
    await page.waitForFunction(() =>
      /^\d[\d,]*$/.test(document.querySelector("[data-testid=token-count]")?.textContent ?? ""),
    );
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.type("Summarise the ticket in two lines.\n\nTicket: {{input}}", { delay: 5 });
    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/attempts\/\d+$/);
    await page.getByTestId("next-steps").waitFor();
    // The verdict and the next steps come before the folded formulas.
    const order = await page.evaluate(() => {
      const top = (sel: string) => document.querySelector(sel)?.getBoundingClientRect().top ?? -1;
      return { verdict: top(".verdict"), next: top("[data-testid=next-steps]"), details: top(".score-details") };
    });
    expect(order.verdict).toBeLessThan(order.next);
    expect(order.next).toBeLessThan(order.details);
    expect(await page.locator(".score-details").getAttribute("open")).toBeNull();
    await shoot("result");

    // "Improve this attempt" opens this attempt's prompt in the editor.
    await page.getByTestId("improve-attempt").click();
    await page.waitForURL(/\/exercises\/[a-z0-9-]+\?loaded=/);
    await editor.waitFor({ state: "visible", timeout: 30_000 });
    // Monaco shows spaces as no-break spaces.
    const editorText = async () =>
      ((await page.locator(".monaco-editor .view-lines").textContent()) ?? "").replace(/\u00a0/g, " ");
    // Monaco fills its lines after it becomes visible (later on a cold first load): wait for the text, not one read.
    await expect.poll(editorText, { timeout: 15_000 }).toContain("Summarise the ticket in two lines.");
    const firstLoad = page.url();

    // Reset asks first; dismissing keeps the prompt; accepting loads the starting prompt, and the text is kept.
    page.once("dialog", (d) => d.dismiss());
    await page.getByTestId("reset-prompt").click();
    expect(page.url()).toBe(firstLoad);
    page.once("dialog", (d) => d.accept());
    await page.getByTestId("reset-prompt").click();
    await page.waitForURL((u) => u.href !== firstLoad);
    await editor.waitFor({ state: "visible", timeout: 30_000 });
    // (An editor not yet filled would pass "not.toContain" for nothing: wait for its text first.)
    await expect.poll(editorText, { timeout: 15_000 }).toMatch(/\S/);
    await expect(editorText()).resolves.not.toContain("Summarise the ticket in two lines.");
    // Monaco renders only the lines in view: the whole text is in the form's field.
    const submitted = await page.locator('form[aria-label="Submit your prompt"] input[name=prompt]').inputValue();
    expect(submitted).toContain("{{input}}");
    expect(submitted).not.toContain("Summarise the ticket");
    await expect(page.getByTestId("load-source").textContent()).resolves.toMatch(/Attempt #\d+/);
    // The exercise page's two columns are issue 13a's (responsive layout); the tools added here fit their column.
    await page.setViewportSize({ width: 390, height: 844 });
    const tools = await page.evaluate(() => {
      const el = document.querySelector(".prompt-tools");
      return el ? el.scrollWidth - el.clientWidth : -1;
    });
    await page.setViewportSize({ width: 1400, height: 950 });
    expect(tools).toBe(0);
    await shoot("workbench");

    await page.goto(`${baseURL}/progress`);
    await page.getByTestId("passed-total").waitFor();
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(0);
    await shoot("progress");

    await context.clearCookies();
    await logIn(page, baseURL, "manager@tokenwise.example");
    await page.goto(`${baseURL}/manager/assignments?state=in_progress`);
    await expect(lena.getAttribute("data-state")).resolves.toBe("in_progress");
    // The refused second assignment answers 409, which Chromium logs.
    expect(session.current.errors.filter((e) => !e.includes("409"))).toEqual([]);
  });
});

describe("the certificate, in Chromium", () => {
  it("appears once every exercise of the course is passed, records its xAPI statement, and prints without the app's chrome", async () => {
    // An app of its own, whose database this test can write: the demo learner has passed a whole course.
    const dir = mkdtempSync(join(tmpdir(), "tokenwise-cert-"));
    const databasePath = join(dir, "app.db");
    const app = await startApp({ DATABASE_PATH: databasePath });
    try {
      const { page, context } = session.current;
      const sqlite = new Database(databasePath);
      const lena = sqlite
        .prepare("select id, team_id as teamId from users where email = 'learner@tokenwise.example'")
        .get() as {
        id: number;
        teamId: number;
      };
      const list = sqlite
        .prepare(
          "select e.id, e.current_version_id as versionId from exercises e join courses c on c.id = e.course_id where c.slug = 'prompt-compression' and e.status = 'published'",
        )
        .all() as { id: number; versionId: number }[];
      await logIn(page, app.baseURL, "learner@tokenwise.example");
      const before = await page.goto(`${app.baseURL}/certificates/prompt-compression`);
      expect(before?.status()).toBe(404);
      const insert = sqlite.prepare(
        "insert into attempts (user_id, team_id, exercise_id, exercise_version_id, model_id, prompt, status, passed, score, graded_at) values (?, ?, ?, ?, 'gpt-4.1-mini', 'p', 'scored', 1, 910, ?)",
      );
      for (const e of list) insert.run(lena.id, lena.teamId, e.id, e.versionId, Date.now());
      const after = await page.goto(`${app.baseURL}/certificates/prompt-compression`);
      expect(after?.status()).toBe(200);
      const certificate = page.getByTestId("certificate");
      await expect(certificate.textContent()).resolves.toMatch(
        /Lena Learner.*has completed the course.*Prompt compression/,
      );
      expect(await certificate.locator("li").count()).toBe(list.length);
      const statements = sqlite
        .prepare(
          "select count(*) as n from xapi_statements where json_extract(statement, '$.verb.id') = 'http://adlnet.gov/expapi/verbs/completed' and json_extract(statement, '$.actor.mbox') = 'mailto:learner@tokenwise.example'",
        )
        .get() as { n: number };
      expect(statements.n).toBe(1);
      sqlite.close();
      expect(await noSidewaysScroll()).toBeLessThanOrEqual(0);
      await shoot("certificate");
      await page.emulateMedia({ media: "print" });
      expect(await page.locator(".topbar").isVisible()).toBe(false);
      expect(await page.getByRole("button", { name: "Print or save as PDF" }).isVisible()).toBe(false);
      expect(await certificate.isVisible()).toBe(true);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/certificate-print.png`, fullPage: true });
      await page.emulateMedia({ media: "screen" });
      await context.clearCookies();
      expect(session.current.errors.filter((e) => !e.includes("404") && !e.includes("409"))).toEqual([]);
    } finally {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
