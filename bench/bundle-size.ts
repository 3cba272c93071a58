/**
 * JavaScript each page makes the browser load, in Debian Chromium against the built app with the demo learner
 * logged in and the cache disabled: every JS response (scripts, module preloads, lazy chunks, workers and what they
 * import), summed raw and gzipped (zlib.gzipSync of each body), and whether any Monaco chunk came with it.
 * The course list is the page to keep light; the exercise page, which has the editor, is the contrast.
 * `npx tsx bench/bundle-size.ts` (needs build/ and /usr/bin/chromium); exits 1 if the course list loads Monaco.
 */
import { gzipSync } from "node:zlib";
import type { Page, Response } from "playwright-core";
import { type Session, table, withLearnerSession } from "./browser-session";

interface PageSpec {
  name: string;
  path: string;
  /** Waits for what the page loads after hydration (lazy chunks, workers). */
  ready?: (page: Page) => Promise<void>;
  /** The page must not load Monaco. */
  noMonaco: boolean;
}

const PAGES: PageSpec[] = [
  { name: "course list", path: "/courses", noMonaco: true },
  {
    name: "exercise",
    path: "/exercises/compress-ticket-summary",
    noMonaco: false,
    ready: async (page) => {
      await page.locator(".monaco-editor").waitFor({ state: "visible", timeout: 60_000 });
      // A number in the count means the token worker has loaded its ranks.
      await page.waitForFunction(
        () => /^\d[\d,]*$/.test(document.querySelector("[data-testid=token-count]")?.textContent ?? ""),
        undefined,
        { timeout: 60_000 },
      );
    },
  },
];

const MONACO = /prompt-editor|editor\.worker|monaco/i;
/** No new response for this long after the page is ready: nothing more is coming. */
const QUIET_MS = 1_500;

interface Loaded {
  file: string;
  raw: number;
  gzip: number;
}

interface PageResult {
  spec: PageSpec;
  files: Loaded[];
  monaco: string[];
}

function isJavaScript(response: Response): boolean {
  const type = response.headers()["content-type"] ?? "";
  const path = new URL(response.url()).pathname;
  return response.request().resourceType() === "script" || /javascript/.test(type) || /\.m?js$/.test(path);
}

async function measurePage(session: Session, spec: PageSpec): Promise<PageResult> {
  const page = await session.browser.context.newPage();
  const cdp = await session.browser.context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const bodies = new Map<string, Promise<Loaded | null>>();
  let lastResponse = Date.now();
  // Context-wide, so responses to the page's workers are seen as well as the page's own.
  const onResponse = (response: Response) => {
    lastResponse = Date.now();
    if (!isJavaScript(response) || bodies.has(response.url())) return;
    const file = new URL(response.url()).pathname;
    bodies.set(
      response.url(),
      response.body().then(
        (body) => ({ file, raw: body.length, gzip: gzipSync(body).length }),
        () => null,
      ),
    );
  };
  session.browser.context.on("response", onResponse);
  try {
    const response = await page.goto(`${session.baseURL}${spec.path}`, { waitUntil: "networkidle" });
    if (!response?.ok()) throw new Error(`${spec.path} answered ${response?.status()}`);
    if (new URL(page.url()).pathname !== spec.path) throw new Error(`${spec.path} went to ${page.url()}`);
    await spec.ready?.(page);
    while (Date.now() - lastResponse < QUIET_MS) await page.waitForTimeout(250);
  } finally {
    session.browser.context.off("response", onResponse);
    await cdp.detach();
    await page.close();
  }
  const files = (await Promise.all(bodies.values())).filter((f): f is Loaded => f !== null);
  const unread = bodies.size - files.length;
  if (unread > 0) throw new Error(`${unread} JS responses of ${spec.path} could not be read`);
  files.sort((a, b) => b.raw - a.raw);
  return { spec, files, monaco: files.map((f) => f.file).filter((f) => MONACO.test(f)) };
}

const kb = (bytes: number) => (bytes / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 });
const sum = (files: Loaded[], key: "raw" | "gzip") => files.reduce((n, f) => n + f[key], 0);

function report(results: PageResult[]): boolean {
  console.log("JavaScript loaded per page: demo learner logged in, browser cache disabled; every JS response");
  console.log(
    "(scripts, module preloads, lazy chunks, workers and their imports), raw and gzip (zlib, default level).\n",
  );
  console.log(
    table(
      ["page", "path", "JS files", "raw KB", "gzip KB", "Monaco"],
      results.map((r) => [
        r.spec.name,
        r.spec.path,
        r.files.length,
        kb(sum(r.files, "raw")),
        kb(sum(r.files, "gzip")),
        r.monaco.length > 0 ? "yes" : "no",
      ]),
    ),
  );
  for (const r of results) {
    console.log(`\n${r.spec.name} (${r.spec.path}):`);
    for (const f of r.files) {
      const mark = MONACO.test(f.file) ? "  ← Monaco" : "";
      console.log(`  ${kb(f.raw).padStart(9)} KB  ${kb(f.gzip).padStart(8)} KB gzip  ${f.file}${mark}`);
    }
  }
  let ok = true;
  console.log("");
  for (const r of results.filter((x) => x.spec.noMonaco)) {
    const pass = r.monaco.length === 0;
    console.log(`target: ${r.spec.path} loads no Monaco: ${pass ? "PASS" : `FAIL (${r.monaco.join(", ")})`}`);
    ok &&= pass;
  }
  for (const r of results.filter((x) => !x.spec.noMonaco)) {
    // A contrast that loads no Monaco means the detection, not the page, is broken.
    if (r.monaco.length === 0) {
      console.log(`check: ${r.spec.path} has the editor, yet no Monaco chunk was seen: the measurement is broken`);
      ok = false;
    }
  }
  return ok;
}

const results = await withLearnerSession(async (session) => {
  const out: PageResult[] = [];
  for (const spec of PAGES) out.push(await measurePage(session, spec));
  return out;
});
if (!report(results)) process.exitCode = 1;
