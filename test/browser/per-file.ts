import { afterAll, beforeAll } from "vitest";
import { type Browser, openBrowser } from "./chromium";

// Apart from chromium.ts, which the browser benchmarks import outside vitest.
/** One browser for a test file: opened before its tests, closed after. Read `.current` inside a test. */
export function browserPerFile(): { readonly current: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get current() {
      if (!browser) throw new Error("the browser is not open yet: use it inside a test");
      return browser;
    },
  };
}
