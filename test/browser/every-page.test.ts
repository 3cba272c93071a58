import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { readAppRoutes } from "./app-routes";
import { logIn } from "./chromium";
import { type AxeViolation, internalNames, isBlocking, runAxe, sidewaysOverflow } from "./page-audit";
import { browserPerFile } from "./per-file";

const baseURL = inject("baseURL");
const session = browserPerFile();
const { routes, match } = readAppRoutes();
const pages = routes.filter((r) => r.isPage);
const byId = new Map(routes.map((r) => [r.id, r]));

const PHONE = { width: 390, height: 844 };
/** Per role, a bound on pages walked, so a link explosion cannot stall the suite. */
const MAX_PAGES_PER_ROLE = 60;

interface Finding {
  role: string;
  url: string;
  status: number;
  violations: AxeViolation[];
  overflow: number;
  culprits: string[];
  /** Names from the code shown as text (offline-judge@2, o200k_base, micros, table names). */
  jargon: string[];
}

const findings: Finding[] = [];
const visitedIds = new Set<string>();

/** Same-origin links of the page, as pathnames with their query (no fragments, no downloads). */
async function linksOf(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const origin = location.origin;
    const out: string[] = [];
    for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>("a[href]"))) {
      if (a.hasAttribute("download") || a.target === "_blank") continue;
      const url = new URL(a.href, location.href);
      if (url.origin !== origin) continue;
      out.push(url.pathname + url.search);
    }
    return out;
  });
}

/** Visits one page at phone width and records axe's violations and sideways scrolling on the same visit. */
async function audit(page: Page, role: string, url: string): Promise<string[]> {
  const response = await page.goto(`${baseURL}${url}`, { waitUntil: "load" });
  const status = response?.status() ?? 0;
  // Audit the page once it is interactive (the layout marks <main> when React has taken over).
  await page.locator("#main[data-hydrated]").waitFor({ state: "attached", timeout: 30_000 });
  // The exercise editor loads after hydration; audit the page a learner actually sees.
  if (await page.locator("[data-testid=prompt-editor], .editor-frame").count()) {
    await page.locator(".monaco-editor").first().waitFor({ state: "visible", timeout: 30_000 });
  }
  const [violations, { overflow, culprits }, jargon] = [
    await runAxe(page),
    await sidewaysOverflow(page),
    await internalNames(page),
  ];
  findings.push({ role, url, status, violations, overflow, culprits, jargon });
  return linksOf(page);
}

/**
 * Walks every page a role can reach by following links from where it lands: one URL per route, two for a route
 * with an id (two exercises, two teams), since what one of them links to can depend on its data.
 */
async function walk(page: Page, role: string, start: string) {
  const seen = new Map<string, number>();
  const urls = new Set<string>();
  const queue = [start];
  let walked = 0;
  while (queue.length && walked < MAX_PAGES_PER_ROLE) {
    const url = queue.shift()!;
    const id = match(url.split("?")[0]);
    const route = id ? byId.get(id) : undefined;
    if (!id || !route?.isPage || urls.has(url.split("?")[0])) continue;
    if ((seen.get(id) ?? 0) >= (route.isStatic ? 1 : 2)) continue;
    seen.set(id, (seen.get(id) ?? 0) + 1);
    urls.add(url.split("?")[0]);
    visitedIds.add(id);
    walked++;
    queue.push(...(await audit(page, role, url)));
  }
}

function describeFinding(f: Finding): string {
  const lines = [`${f.role} ${f.url} (HTTP ${f.status})`];
  if (f.overflow > 0) lines.push(`  scrolls sideways by ${f.overflow} px: ${f.culprits.join(", ")}`);
  if (f.jargon.length) lines.push(`  shows internal names: ${f.jargon.join(", ")}`);
  for (const v of f.violations.filter(isBlocking)) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help}`);
    for (const n of v.nodes) lines.push(`      ${n.target.join(" ")}  ${n.html}`);
  }
  return lines.join("\n");
}

const ROLES = [
  // A demo learner with graded attempts (the demo learner Lena starts with none), so attempt pages are linked.
  { role: "learner", email: "omar.haddad@tokenwise.example" },
  { role: "manager", email: "manager@tokenwise.example" },
  { role: "instructor", email: "instructor@tokenwise.example" },
  { role: "admin", email: "admin@tokenwise.example" },
];

const blockingIn = (list: Finding[]) =>
  list
    .filter((f) => f.violations.some(isBlocking) || f.overflow > 0 || f.status >= 500 || f.jargon.length > 0)
    .map(describeFinding);
/** Each role's walk has its own time budget: a loaded machine slows pages, not the number of them. */
const ROLE_TIMEOUT = 240_000;

describe("every page, for every role, at 390 px in Chromium: axe-core (moderate and worse fail), sideways scrolling, internal names", () => {
  it(
    "the signed-out pages",
    async () => {
      const { page } = session.current;
      await page.setViewportSize(PHONE);
      await walk(page, "signed out", "/login");
      expect(blockingIn(findings.filter((f) => f.role === "signed out")).join("\n")).toBe("");
    },
    ROLE_TIMEOUT,
  );

  for (const { role, email } of ROLES) {
    it(
      `every page a ${role} reaches by links from where they land`,
      async () => {
        const { page, context } = session.current;
        await context.clearCookies();
        await logIn(page, baseURL, email);
        await page.setViewportSize(PHONE);
        await walk(page, role, new URL(page.url()).pathname);
        expect(blockingIn(findings.filter((f) => f.role === role)).join("\n")).toBe("");
      },
      ROLE_TIMEOUT,
    );
  }

  it(
    "pages no link leads to, then every page route is covered",
    async () => {
      const { page } = session.current;
      // Pages that need no id and that no link reached are visited directly, as the admin (signed in last).
      for (const r of pages.filter((p) => p.isStatic && !visitedIds.has(p.id))) {
        visitedIds.add(r.id);
        await audit(page, "admin (direct)", r.pattern);
      }
      expect(blockingIn(findings.filter((f) => f.role === "admin (direct)")).join("\n")).toBe("");
      const minor = findings.flatMap((f) => f.violations.filter((v) => !isBlocking(v)).map((v) => `${v.id}@${f.url}`));
      const missed = pages.filter((p) => !visitedIds.has(p.id)).map((p) => p.pattern);
      console.info(
        `every-page: ${findings.length} visits, ${visitedIds.size} of ${pages.length} page routes; ` +
          `moderate/serious/critical violations ${findings.reduce((n, f) => n + f.violations.filter(isBlocking).length, 0)}, ` +
          `minor ${minor.length} (${minor.join(", ")}); ` +
          `not reached: ${missed.join(", ") || "none"}`,
      );
      // Every page route is reached: a page with an id that no link leads to is a page no one can find.
      expect(missed).toEqual([]);
      // 403, 404 and 410 are pages saying so on purpose (a role refused, a link without its token).
      expect(session.current.errors.filter((e) => !/status of (403|404|410)/.test(e))).toEqual([]);
    },
    ROLE_TIMEOUT,
  );
});
