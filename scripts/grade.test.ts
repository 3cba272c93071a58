import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** `npm run grade`: a real process over a folder of prompts, one JSON line each, exit code by outcome. */

const dir = mkdtempSync(join(tmpdir(), "tokenwise-grade-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function grade(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/grade.ts", ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: run.status, lines: run.stdout.trim().split("\n").filter(Boolean), stderr: run.stderr };
}

const GOOD =
  "Summarise the ticket in 3 bullets: problem, tried, wants. Copy order numbers exactly. Only facts from the ticket. Add ESCALATE if they threaten to cancel, a chargeback or legal action.\n{{input}}\n";

describe("npm run grade", () => {
  it("grades every prompt of a folder in one process, in name order, and exits 0 when all pass", () => {
    const folder = join(dir, "good");
    spawnSync("mkdir", ["-p", folder]);
    writeFileSync(join(folder, "b.txt"), GOOD);
    writeFileSync(join(folder, "a.md"), GOOD.replace("Summarise", "Summarize"));
    writeFileSync(join(folder, "notes.yaml"), "ignored: true\n");
    const run = grade("compress-ticket-summary", folder);
    expect(run.code).toBe(0);
    const results = run.lines.map((l) => JSON.parse(l));
    expect(results.map((r) => r.prompt)).toEqual([join(folder, "a.md"), join(folder, "b.txt")]);
    for (const r of results) expect(r).toMatchObject({ passed: true, offline: true, basis: "prompt" });
  }, 60_000);

  it("exits 1 when any prompt fails, naming the contradiction", () => {
    const folder = join(dir, "mixed");
    spawnSync("mkdir", ["-p", folder]);
    writeFileSync(join(folder, "1.txt"), GOOD);
    writeFileSync(join(folder, "2.txt"), "Do not summarise. Never ESCALATE on cancel.\n{{input}}\n");
    const run = grade("compress-ticket-summary", folder);
    expect(run.code).toBe(1);
    const failed = JSON.parse(run.lines[1]);
    expect(failed.passed).toBe(false);
    expect(failed.requirements.find((r: { id: string }) => r.id === "escalate").status).toBe("contradicted");
  }, 60_000);

  it.each([
    [["compress-ticket-summary"], /usage/],
    [["no-such-exercise", join(dir, "x.txt")], /No exercise with slug/],
    [["compress-ticket-summary", join(dir, "missing.txt")], /No such prompt file/],
    [["compress-ticket-summary", dir, "--nope"], /Unknown option/],
  ])(
    "exits 2 on a usage error: %j",
    (args, message) => {
      const run = grade(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    },
    60_000,
  );
});
