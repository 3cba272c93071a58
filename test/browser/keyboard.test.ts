import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();

/** What has focus, in words a failure message can show. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { tag: "", name: "", text: "", href: "", inEditor: false, id: "", label: "" };
    return {
      tag: el.tagName.toLowerCase(),
      name: el.getAttribute("name") ?? "",
      text: (el.textContent ?? "").trim().slice(0, 80),
      href: el.getAttribute("href") ?? "",
      inEditor: !!el.closest(".monaco-editor"),
      id: el.id,
      label: el.getAttribute("aria-label") ?? "",
    };
  });
}

/** Presses Tab (only Tab) until the focused element passes `want`; fails after `max` presses. */
async function tabUntil(page: Page, want: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 60) {
  const trail: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    if (want(f)) return f;
    trail.push(`${f.tag}:${f.text || f.href || f.label}`.slice(0, 40));
  }
  throw new Error(`Tab never reached the element; focus went: ${trail.join(" → ")}`);
}

describe("a keyboard-only learner, in Chromium", () => {
  it("signs in, opens an exercise, types a prompt, leaves the editor, submits and reads the result with no mouse", async () => {
    const { page } = session.current;
    await page.goto(`${baseURL}/login`);
    await page.locator("#main[data-hydrated]").waitFor({ state: "attached" });

    // The first Tab reaches the skip link, which moves focus to the page's content.
    await page.keyboard.press("Tab");
    expect((await focused(page)).text).toBe("Skip to main content");
    await page.keyboard.press("Enter");
    expect((await focused(page)).id).toBe("main");

    await tabUntil(page, (f) => f.name === "email");
    // A demo learner of its own: the other browser tests' learner keeps their own drafts.
    await page.keyboard.type("omar.haddad@tokenwise.example");
    await page.keyboard.press("Tab");
    await page.keyboard.type("tokenwise-demo");
    await page.keyboard.press("Enter");
    // A learner lands on My learning; the course list is in the navigation, reached by Tab too.
    await page.waitForURL(/\/learning$/);
    await page.locator("#main[data-hydrated]").waitFor({ state: "attached" });
    await tabUntil(page, (f) => f.href === "/courses");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/courses$/);
    await page.locator("#main[data-hydrated]").waitFor({ state: "attached" });

    await tabUntil(page, (f) => /^\/courses\/[a-z0-9-]+$/.test(f.href));
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/courses\/[a-z0-9-]+$/);
    await page.locator("#main[data-hydrated]").waitFor({ state: "attached" });
    await tabUntil(page, (f) => /^\/exercises\/[a-z0-9-]+$/.test(f.href));
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/exercises\/[a-z0-9-]+$/);
    await page.locator(".monaco-editor").waitFor({ state: "visible", timeout: 30_000 });

    // Into the editor by Tab, replace the prompt by typing.
    await tabUntil(page, (f) => f.inEditor);
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    const typed = "Summarise the ticket in at most 3 bullets.\n\nTicket: {{input}}";
    await page.keyboard.type(typed, { delay: 5 });
    await page.waitForFunction(() =>
      /^\d+$/.test(document.querySelector("[data-testid=token-count]")?.textContent ?? ""),
    );

    // Tab alone indents (the editor keeps it)...
    await page.keyboard.press("Tab");
    expect((await focused(page)).inEditor).toBe(true);
    await page.keyboard.press("Control+Z");
    // ...Esc then Tab moves on, to the submit button right after the editor.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ tag: "button", text: "Submit for grading", inEditor: false });
    // Shift+Tab comes back, and Tab indents again there until the next Esc.
    await page.keyboard.press("Shift+Tab");
    expect((await focused(page)).inEditor).toBe(true);
    await page.keyboard.press("Tab");
    expect((await focused(page)).inEditor).toBe(true);
    await page.keyboard.press("Control+Z");
    // Ctrl+M is Monaco's own switch: Tab moves focus until pressed again.
    await page.keyboard.press("Control+M");
    await page.keyboard.press("Tab");
    expect((await focused(page)).text).toBe("Submit for grading");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Control+M");
    expect((await focused(page)).inEditor).toBe(true);

    // Ctrl+Enter submits from inside the editor, with exactly what was typed.
    await page.keyboard.press("Control+Enter");
    await page.waitForURL(/\/attempts\/\d+$/);
    await page.getByTestId("score").waitFor();
    // The indents typed and taken back left nothing behind.
    await expect(page.getByTestId("submitted-prompt").textContent()).resolves.toBe(typed);

    // Moving to the result put focus on its content, so the next Tab is in the result, not in the navigation.
    expect((await focused(page)).id).toBe("main");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => !!document.activeElement?.closest("#main"))).toBe(true);
    expect(session.current.errors).toEqual([]);
  });
});
