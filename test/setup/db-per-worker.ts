// Each test file gets its own fresh SQLite file (in its worker's process), so integration tests
// never share state: fixtures with fixed names can be seeded by any file. Modules read
// DATABASE_PATH through app/.server/config.ts on first use, and vitest re-imports modules per file.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const dir = mkdtempSync(join(tmpdir(), `tokenwise-test-${process.env.VITEST_POOL_ID ?? "0"}-`));
process.env.TOKENWISE_TEST_DB_DIR = dir;
process.env.DATABASE_PATH = join(dir, "test.db");
process.env.NODE_ENV = "test";
process.env.SESSION_SECRET ??= "test-secret-that-is-long-enough-0123456789";
process.env.DEMO_SEED ??= "false";
process.env.LOG_LEVEL ??= "silent";
// No scheduled backups from the upkeep in tests; the backup tests take theirs explicitly.
process.env.BACKUP_INTERVAL_HOURS ??= "0";
// One CPU worker thread per test file: files run in parallel already, each pool thread loads its own encoder.
process.env.CPU_WORKERS ??= "1";

// The CPU worker pool (app/.server/cpu/pool.ts) is started on first use; its threads end with the file.
afterAll(async () => {
  await (globalThis as { __tokenwiseCpuPool?: { close(): Promise<void> } }).__tokenwiseCpuPool?.close();
});
