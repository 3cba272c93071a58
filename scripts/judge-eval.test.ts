import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** `npm run judge:eval -- --dir`: a blind set kept outside the repository, graded as a holdout, in a real process. */

const dir = mkdtempSync(join(tmpdir(), "tokenwise-judge-eval-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function judgeEval(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/judge-eval.ts", ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const GOOD =
  "Summarise the ticket in 3 bullets: problem, tried, wants. Copy order numbers exactly. Only facts from the ticket. Add ESCALATE if they threaten to cancel, a chargeback or legal action.\n{{input}}\n";
const REVERSED = GOOD.replace("Add ESCALATE if", "Never add ESCALATE, even if");

function writeSet(folder: string, prompts: [id: string, label: string, kind: string, prompt: string][]): void {
  mkdirSync(folder);
  writeFileSync(
    join(folder, "compress-ticket-summary.yaml"),
    [
      "exercise: compress-ticket-summary",
      "prompts:",
      ...prompts.flatMap(([id, label, kind, prompt]) => [
        `  - id: ${id}`,
        `    label: ${label}`,
        `    kind: ${kind}`,
        "    note: a note",
        "    prompt: |",
        ...prompt
          .trimEnd()
          .split("\n")
          .map((l) => `      ${l}`),
      ]),
      "",
    ].join("\n"),
  );
}

describe("npm run judge:eval -- --dir", () => {
  it("grades a folder outside the repository, counts passes by label and kind, and exits 0 when targets hold", () => {
    const folder = join(dir, "holds");
    writeSet(folder, [
      ["good-1", "good", "prose", GOOD],
      ["flawed-1", "flawed", "reversed", REVERSED],
    ]);
    const run = judgeEval("--dir", folder);
    expect(run.out).toContain(`== ${folder} (2 prompts) ==`);
    expect(run.out).toMatch(/good prose\s+1\/1/);
    expect(run.out).toMatch(/flawed reversed\s+0\/1/);
    expect(run.out).toContain("Every target holds");
    expect(run.code).toBe(0);
  }, 60_000);

  it("judges the folder like the holdout: a flawed prompt that passes misses a target and exits 1", () => {
    const folder = join(dir, "misses");
    writeSet(folder, [
      ["good-1", "good", "prose", GOOD],
      // Labelled flawed, yet a correct prompt: the judge passes it, so the flawed pass rate is 100%.
      ["flawed-1", "flawed", "reversed", GOOD],
    ]);
    const run = judgeEval("--dir", folder);
    expect(run.out).toMatch(/flawed reversed\s+1\/1/);
    expect(run.out).toContain("Targets missed");
    expect(run.code).toBe(1);
  }, 60_000);

  it("names a folder that does not exist and exits 2", () => {
    const run = judgeEval("--dir", join(dir, "nowhere"));
    expect(run.code).toBe(2);
    expect(run.err).toContain("No evaluation set at");
  }, 60_000);
});
