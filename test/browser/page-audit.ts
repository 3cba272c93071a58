import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

// axe-core from node_modules, evaluated in the page through the DevTools protocol: no CDN, and the app's
// nonce-based Content-Security-Policy stays on (an injected <script> tag would be refused by it, rightly).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string; summary: string }[];
}

/** WCAG 2.1 A and AA rules plus axe's best practices; every impact is returned, the caller decides what fails. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === "object");
  if (!present) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
      resultTypes: ["violations"],
    })) as {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[]; html: string; failureSummary?: string }[];
      }[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({
        target: n.target.map(String),
        html: n.html.slice(0, 200),
        summary: (n.failureSummary ?? "").slice(0, 300),
      })),
    }));
  });
}

/** Moderate and worse fail the walk (skipped heading levels are moderate); minor findings are counted and printed. */
export const isBlocking = (v: AxeViolation) =>
  v.impact === "moderate" || v.impact === "serious" || v.impact === "critical";

/** How far the page scrolls sideways (0 when it does not), and the widest elements that stick out, to name them. */
export async function sidewaysOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    const overflow = root.scrollWidth - root.clientWidth;
    const culprits: string[] = [];
    if (overflow > 0) {
      const width = root.clientWidth;
      const clipped = (el: Element) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          if (getComputedStyle(p).overflowX !== "visible") return true;
        }
        return false;
      };
      for (const el of Array.from(document.body.querySelectorAll("*"))) {
        const rect = el.getBoundingClientRect();
        if (rect.right > width + 1 && rect.width > 0) {
          const parent = el.parentElement?.getBoundingClientRect();
          // Name only the outermost element that sticks out, not each of its children, nor what a box clips.
          if ((parent && parent.right > width + 1) || clipped(el)) continue;
          const cls = typeof el.className === "string" && el.className ? `.${el.className.split(" ")[0]}` : "";
          culprits.push(`${el.tagName.toLowerCase()}${cls} (right edge ${Math.round(rect.right)} px)`);
          if (culprits.length >= 5) break;
        }
      }
    }
    return { overflow, culprits };
  });
}

/** Names from the code that a person should never have to read on a page. */
const INTERNAL_NAMES =
  /offline-judge@\d+|\b(?:o200k|cl100k)_base\b|\bmicros\b|\b(?:model_calls|ledger_rollup|ledger_org_rollup|best_scores|user_roles|team_managers|exercise_versions|grading_jobs|usage_dim_daily|usage_rollup|usage_team_rollup)\b/gi;

/** Internal names in the page's visible text (an editor's own text, which the author typed, aside). */
export async function internalNames(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || parent.closest(".monaco-editor, script, style, textarea, [hidden]")) continue;
      out.push(n.textContent ?? "");
    }
    return out.join(" ");
  });
  return [...new Set(text.match(INTERNAL_NAMES) ?? [])];
}
