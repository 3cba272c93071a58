import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** `npm run usage:import` as a real process on its own database: exit codes, the summary, bad rows by line. */

const dir = mkdtempSync(join(tmpdir(), "tokenwise-cli-"));
const env = { ...process.env, DATABASE_PATH: join(dir, "cli.db"), LOG_LEVEL: "silent", NODE_ENV: "test" as const };

function cli(...args: string[]) {
  const run = spawnSync("npx", ["tsx", "scripts/usage-import.ts", ...args], {
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe("npm run usage:import", () => {
  it("imports a FOCUS file and an OpenAI export, then adds nothing the second time", () => {
    const first = cli("focus", "test/fixtures/usage/focus-1.2.csv");
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Imported 10 rows: 9 added, 0 updated, 0 already imported, 1 skipped/);
    expect(first.err).toMatch(/100% 10 rows/);
    expect(cli("openai", "test/fixtures/usage/openai-usage-completions.json").out).toMatch(/5 added/);
    expect(cli("focus", "test/fixtures/usage/focus-1.2.csv").out).toMatch(/0 added, 0 updated, 9 already imported/);
  });

  it("refuses a file with a bad row when asked to, listing the line, and exits 1", () => {
    const bad = readFileSync("test/fixtures/usage/focus-1.2.csv", "utf8").replace("2026-01-05T10:00:00Z", "noon");
    writeFileSync(join(dir, "bad.csv"), bad);
    const run = cli("focus", join(dir, "bad.csv"), "--refuse");
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^Refused: 1 bad row, so nothing was imported/);
    expect(run.out).toMatch(/line 2, ChargePeriodStart: "noon" is not a date-time/);
  });

  it("reads a file from a URL", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/csv" });
      res.end(readFileSync("test/fixtures/usage/focus-1.0.csv"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/exports/focus-1.0.csv`;
      const run = await new Promise<ReturnType<typeof cli>>((resolve) => {
        // Asynchronously, so this process's server can answer the child.
        import("node:child_process").then(({ execFile }) =>
          execFile("npx", ["tsx", "scripts/usage-import.ts", "focus", url], { env }, (error, stdout, stderr) =>
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }),
          ),
        );
      });
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/Imported 4 rows: 4 added/);
    } finally {
      server.close();
    }
  });

  it("explains its arguments and exits 2 on a wrong source or a missing file", () => {
    const none = cli();
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/usage: npm run usage:import -- <source> <file\|url>/);
    expect(cli("excel", "x.xlsx").err).toMatch(/unknown source "excel"/);
    const missing = cli("focus", join(dir, "nope.csv"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file/);
  });
});
