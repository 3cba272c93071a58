import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Browser tests: real Chromium (playwright-core, /usr/bin/chromium) against the built app,
// served by remix-serve on a free loopback port with its own temporary database.
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["test/browser/global-setup.ts"],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
