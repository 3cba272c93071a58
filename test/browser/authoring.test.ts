import { readFileSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { TEMPLATE_PLACEHOLDERS } from "~/.server/authoring/template";
import { type Browser, logIn, openBrowser } from "./chromium";

const baseURL = inject("baseURL");
let browser: Browser;

beforeAll(async () => {
  browser = await openBrowser();
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
});
afterAll(async () => {
  await browser?.close();
});

const SLUG = `browser-made-${Date.now().toString(36)}`;
const TITLE = "Browser-made ticket summariser";
const HIDDEN_LABEL = "HIDDEN-OUTPUT-CHECK-LABEL";
const source = readFileSync("exercises/prompt-compression/01-compress-ticket-summary.yaml", "utf8");
const REFERENCE = (parse(source) as { reference_solution: string }).reference_solution;

/** The course's first exercise under a new slug, with a hidden output check, and one deliberate error. */
const yaml = `${source
  .replace(/^slug: .*$/m, `slug: ${SLUG}`)
  .replace(/^title: .*$/m, `title: ${TITLE}`)
  // Last in the course, so other browser tests that open "the first exercise" still get the same one.
  .replace(/^order: \d+$/m, "order: 99")
  .replace(/^difficulty: \d+$/m, "difficulty: 9")
  .replace(
    /\n*$/,
    "\n",
  )}output_checks:\n  - id: hidden-check\n    kind: contains\n    label: ${HIDDEN_LABEL}\n    value: ESCALATE\n`;
const difficultyLine = yaml.split("\n").findIndex((l) => l.startsWith("difficulty:")) + 1;

/** Full-page screenshots at 1440 and 390 px when TOKENWISE_SCREENSHOTS names a folder (for reviewing layouts). */
async function shoot(page: Page, name: string) {
  const dir = process.env.TOKENWISE_SCREENSHOTS;
  if (!dir) return;
  const before = page.viewportSize();
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}

/** Replaces everything in a Monaco editor with a paste, as an author pasting a file would. */
async function pasteInto(page: Page, editor: Locator, text: string) {
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press("Control+V");
}

describe("an instructor authors an exercise and a learner solves it, in Chromium", () => {
  it("validates as the instructor types, publishes, and the learner finds and passes it", async () => {
    const { page } = browser;
    await logIn(page, baseURL, "instructor@tokenwise.example");
    await page.goto(`${baseURL}/author`);
    await page.getByRole("link", { name: "New exercise" }).click();
    await page.waitForURL(/\/author\/exercises\/new$/);
    const editor = page.getByTestId("exercise-editor");
    await editor.locator(".monaco-editor").waitFor({ state: "visible", timeout: 30_000 });

    // The starting template is valid YAML, so the learner preview shows at once; its placeholder text is listed as
    // what to replace before it can be published.
    await page.getByTestId("learner-preview").getByRole("heading", { name: "A new exercise" }).waitFor();
    await expect(page.getByTestId("validation-state").textContent()).resolves.toBe(
      `${TEMPLATE_PLACEHOLDERS.length} to fix`,
    );
    await expect(page.getByTestId("validation-errors").textContent()).resolves.toContain("placeholder");

    await pasteInto(page, editor, yaml);
    const errors = page.getByTestId("validation-errors");
    await errors.getByText(`Line ${difficultyLine}, column 1`).waitFor();
    await expect(errors.textContent()).resolves.toContain("difficulty must be at most 5");

    // The error's link scrolls to its line, which is underlined, and puts the cursor there: fix it by typing.
    await errors.getByRole("button", { name: `Line ${difficultyLine}, column 1` }).click();
    await editor.locator(".squiggly-error").first().waitFor();
    await page.keyboard.press("End");
    await page.keyboard.press("Shift+Home");
    await page.keyboard.type("difficulty: 2", { delay: 20 });
    await errors.waitFor({ state: "detached" });
    await expect(page.getByTestId("validation-state").textContent()).resolves.toBe("Valid");
    await page.getByTestId("learner-preview").getByRole("heading", { name: TITLE }).waitFor();

    // Field-name completions: typing on a new top-level line offers the schema's fields.
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("pass_", { delay: 20 });
    await page.locator(".suggest-widget").getByText("pass_mark").waitFor();
    await page.keyboard.press("Escape");
    for (let i = 0; i < "pass_\n".length; i++) await page.keyboard.press("Backspace");
    await page.waitForFunction(() => document.querySelector("[data-testid=validation-state]")?.textContent === "Valid");

    const preview = (await page.getByTestId("learner-preview").textContent()) ?? "";
    expect(preview).not.toContain(REFERENCE.split("\n")[0]);

    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(new RegExp(`/author/exercises/${SLUG}/edit\\?saved=1$`));
    await page.getByText("Draft saved.").waitFor();
    await editor.locator(".monaco-editor").waitFor({ state: "visible", timeout: 30_000 });

    // Calibrate the saved draft before publishing: the reference must pass and the starting prompt fail.
    const editURL = page.url();
    await page.goto(`${baseURL}/author/exercises/${SLUG}/calibrate`);
    await page.getByRole("button", { name: "Calibrate" }).click();
    await page.getByTestId("calibration-report").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("row-reference").locator(".badge").first().textContent()).toBe("pass");
    expect(await page.getByTestId("row-starting").locator(".badge").first().textContent()).toBe("fail");
    await page.goto(editURL);
    await editor.locator(".monaco-editor").waitFor({ state: "visible", timeout: 30_000 });

    // Publishing shows what learners will see and waits for a confirmation.
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    const review = page.getByTestId("publish-review");
    await review.getByText("This is the first version").waitFor();
    await review.getByTestId("learner-preview").getByRole("heading", { name: TITLE }).waitFor();
    expect(await review.textContent()).not.toContain(REFERENCE.split("\n")[0]);
    await shoot(page, "publish-review-first");
    await review.getByRole("button", { name: "Confirm and publish" }).click();
    await page.getByText("Published version 1.").waitFor();

    // A second version: the review shows the one changed line against version 1.
    await pasteInto(
      page,
      editor,
      yaml.replace("difficulty: 9", "difficulty: 2").replace(/^pass_mark: \d+$/m, "pass_mark: 76"),
    );
    await page.waitForFunction(() => document.querySelector("[data-testid=validation-state]")?.textContent === "Valid");
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await review.getByText("Changes against version 1").waitFor();
    await expect(review.getByTestId("diff").locator(".diff-added").textContent()).resolves.toContain("pass_mark: 76");
    await shoot(page, "publish-review-diff");
    await review.getByRole("button", { name: "Confirm and publish" }).click();
    await page.getByText("Published version 2.").waitFor();
    await page.goto(`${baseURL}/author/reference`);
    await page.getByRole("heading", { name: "Exercise field reference", level: 1 }).waitFor();
    await page.getByRole("heading", { name: "An exercise file, field by field" }).waitFor();
    await shoot(page, "field-reference");
    await page.getByRole("button", { name: "Log out", exact: true }).click();
    await page.waitForURL(/\/login$/);

    await logIn(page, baseURL, "learner@tokenwise.example");
    await page.getByRole("link", { name: "Courses", exact: true }).click();
    await page.waitForURL(/\/courses$/);
    await page.getByRole("link", { name: "Prompt compression fundamentals" }).first().click();
    await page.waitForURL(/\/courses\/prompt-compression$/);
    await page.getByRole("link", { name: TITLE }).click();
    await page.waitForURL(new RegExp(`/exercises/${SLUG}$`));

    // Neither the server-rendered HTML (with its embedded loader data) nor the page has the secrets.
    const html = await (await page.request.get(`${baseURL}/exercises/${SLUG}`)).text();
    expect(html).toContain(TITLE);
    for (const secret of [REFERENCE.split("\n")[0], HIDDEN_LABEL, "reference_solution", "output_checks"])
      expect(html).not.toContain(secret);

    const promptEditor = page.getByTestId("prompt-editor");
    await promptEditor.locator(".monaco-editor").waitFor({ state: "visible", timeout: 30_000 });
    await pasteInto(page, promptEditor, REFERENCE);
    await page.waitForFunction(
      (max) => Number(document.querySelector("[data-testid=token-count]")?.textContent) < max,
      150,
    );
    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/attempts\/\d+$/);
    await page
      .getByText("Passed", { exact: true })
      .waitFor()
      .catch(async (err) => {
        // What the learner saw instead, so a failure here says why.
        console.error(`attempt page ${page.url()}: ${(await page.locator("main").textContent())?.slice(0, 800)}`);
        throw err;
      });
    await expect(page.getByTestId("submitted-prompt").textContent()).resolves.toContain("ESCALATE");
    expect(browser.errors).toEqual([]);
  });
});
