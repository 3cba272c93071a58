// Each vitest worker gets its own SQLite file, created fresh, so integration tests never share state
// across workers. Modules read DATABASE_PATH through app/config.server.ts on first use.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

if (!process.env.TOKENWISE_TEST_DB_DIR) {
  const dir = mkdtempSync(join(tmpdir(), `tokenwise-test-${process.env.VITEST_POOL_ID ?? "0"}-`));
  process.env.TOKENWISE_TEST_DB_DIR = dir;
  process.env.DATABASE_PATH = join(dir, "test.db");
}
process.env.NODE_ENV = "test";
process.env.SESSION_SECRET ??= "test-secret-that-is-long-enough-0123456789";
process.env.DEMO_SEED ??= "false";
process.env.LOG_LEVEL ??= "silent";
