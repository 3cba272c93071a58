import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A folder for the whole run, named to the test workers by an environment variable (they inherit it): what every
 * file would otherwise build alone goes there once, e.g. the prepared demo database (preparedDemoDatabase).
 */
export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), "tokenwise-run-"));
  process.env.TOKENWISE_TEST_RUN_DIR = dir;
  return () => {
    delete process.env.TOKENWISE_TEST_RUN_DIR;
    rmSync(dir, { recursive: true, force: true });
  };
}
