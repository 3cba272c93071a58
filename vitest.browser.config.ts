import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests against the built app, served by remix-serve on a free loopback port with its own temporary database:
// browser tests (real Chromium: playwright-core, /usr/bin/chromium) and process tests (test/processes: backups and
// restores around a running server).
export default defineConfig({
  resolve: {
    alias: {
      "~": fileURLToPath(new URL("./app", import.meta.url)),
      "#db": fileURLToPath(new URL("./db", import.meta.url)),
    },
  },
  test: {
    include: ["test/browser/**/*.test.ts", "test/processes/**/*.test.ts"],
    globalSetup: ["test/browser/global-setup.ts"],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
