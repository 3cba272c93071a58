import { availableParallelism } from "node:os";
import { defineConfig, mergeConfig } from "vitest/config";
import SlowFirstSequencer from "./test/setup/slow-first-sequencer";
import viteConfig from "./vite.config";

// Unit and integration tests (`npm run test:unit`); the browser and process tests have vitest.browser.config.ts.
// Kept apart from vite.config.ts so that building the app never loads vitest.
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      include: ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts", "test/integration/**/*.test.ts", "scripts/**/*.test.ts"],
      setupFiles: ["test/setup/db-per-worker.ts"],
      globalSetup: ["test/setup/run-dir.ts"],
      pool: "forks",
      // One fork per core, at least two. Vitest's default (cores - 1) ran the whole suite in a single fork on a
      // 2-core machine, though most slow files spend their time waiting on child processes, leases and timers.
      maxWorkers: Math.max(2, availableParallelism()),
      sequence: { sequencer: SlowFirstSequencer },
      testTimeout: 20000,
      // Preparing a file's database (migrations, content, users' password hashes) can take >10 s on a busy machine.
      hookTimeout: 30000,
    },
  }),
);
