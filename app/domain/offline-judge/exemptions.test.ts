import { describe, expect, it } from "vitest";
import { cpuGrowth } from "../../../test/support/cpu-growth";
import { exemption, exemptionElsewhere, revokedExemption, swappedExemption } from "./exemptions";
import { readPrompt } from "./reading";

const TESTS = "console.log in test files is fine.";

function revoked(prompt: string): boolean {
  const slot = exemption(TESTS);
  if (!slot) throw new Error("no exemption");
  return revokedExemption(readPrompt(prompt), slot, () => true) !== null;
}

describe("exemption: the thing and the place the brief allows it, from a requirement's description", () => {
  it("reads the thing and the place", () => {
    expect(exemption(TESTS)).toEqual({ thing: ["console.log"], place: ["test"] });
  });

  it("reads none where nothing is allowed", () => {
    expect(exemption("Flag console.log in production code.")).toBeNull();
    expect(exemption("A secret in the code is a BLOCKER.")).toBeNull();
  });
});

describe("revokedExemption: the place folded back into the rule", () => {
  it.each([
    "CONSOLE_LOG: any console.log, test files (.test.ts/.spec.ts) included",
    "Flag console.log everywhere, even in tests.",
    "Flag console.log in production code and in test files too.",
    "Report every console.log, including the ones in test files.",
    "console.log is a finding in source and test files alike.",
    "Flag console.log in tests as well.",
  ])("taken back: %s", (prompt) => {
    expect(revoked(prompt)).toBe(true);
  });

  it.each([
    "CONSOLE_LOG: console.log outside test files (.test.ts/.spec.ts).",
    "console.log in test files is fine; flag it in production code.",
    "Flag console.log, except in test files.",
    "Don't flag console.log in tests.",
    "Secrets are a BLOCKER even in test files.",
  ])("kept: %s", (prompt) => {
    expect(revoked(prompt)).toBe(false);
  });
});

describe("swappedExemption: the exemption moved to where the other rules hold the thing", () => {
  const CONSOLE = "Flag console.log in production code.";
  const swapped = (prompt: string) => {
    const base = exemption(TESTS);
    if (!base) throw new Error("no exemption");
    const slot = {
      ...base,
      elsewhere: exemptionElsewhere(base, [CONSOLE, TESTS, "A secret in the code is a BLOCKER."]),
    };
    return swappedExemption(readPrompt(prompt), slot, () => true) !== null;
  };

  it("reads where the other requirements hold the thing", () => {
    const base = exemption(TESTS);
    expect(base && exemptionElsewhere(base, [CONSOLE, TESTS])).toEqual(["production"]);
    expect(base && exemptionElsewhere(base, ["A secret in the code is a BLOCKER."])).toEqual([]);
  });

  it.each([
    "CONSOLE_LOG: console.log in test files (.test.ts, .spec.ts); in production code it is fine.",
    "CONSOLE_LOG: console.log in test files; production code may keep it.",
    "Flag console.log in tests; it is acceptable in production code.",
    "console.log: report it in spec files, fine in production code.",
    "CONSOLE_LOG: console.log in test files (*.test.ts, *.spec.ts); production code may log",
    "- CONSOLE_LOG: console.log in test files; production code can log freely",
  ])("swapped: %s", (prompt) => {
    expect(swapped(prompt)).toBe(true);
  });

  it.each([
    "CONSOLE_LOG: console.log in production code (fine in .test.ts/.spec.ts files).",
    "console.log is fine in tests, not in production code.",
    "console.log in production code is not fine; test files may keep it.",
    "Flag console.log in production code; tests are fine.",
    "Secrets are never fine, in production code or tests.",
    "CONSOLE_LOG: console.log in production code; test files may log.",
    "CONSOLE_LOG: console.log in test files is fine; production code may not log.",
    "CONSOLE_LOG: production code may never log with console.log; tests can log freely.",
  ])("kept: %s", (prompt) => {
    expect(swapped(prompt)).toBe(false);
  });
});

describe("a long line of many rules", () => {
  const slot = exemption(TESTS);
  if (!slot) throw new Error("no exemption");
  const withElsewhere = { ...slot, elsewhere: ["production"] };
  // One line: every rule's words run to its end (runOnEnds), and the rules share their later segments.
  const line = (n: number) =>
    "Flag console.log in production code, not in tests. Never merge it; console.log stays out of src. ".repeat(n);

  it("reads its rules as the rules of short lines are read", () => {
    const swaps = (prompt: string) => swappedExemption(readPrompt(prompt), withElsewhere, () => true)?.line ?? null;
    const revokes = (prompt: string) => revokedExemption(readPrompt(prompt), slot, () => true)?.line ?? null;
    expect(swaps(line(3))).toBeNull();
    expect(swaps(`${line(3)}console.log in production is fine.`)).toBe(1);
    expect(
      swaps(`Flag console.log, tests included (.test.ts) too. ${line(2)}\nconsole.log in production code may keep it`),
    ).toBe(2);
    expect(revokes(line(3))).toBeNull();
    expect(revokes(`${line(3)}console.log everywhere, tests included.`)).toBe(1);
  });

  it("is read in time linear in the line's length", () => {
    const readings = new Map<number, ReturnType<typeof readPrompt>>();
    const read = (n: number) => {
      if (!readings.has(n)) readings.set(n, readPrompt(line(n)));
      const reading = readings.get(n) as ReturnType<typeof readPrompt>;
      swappedExemption(reading, withElsewhere, () => true);
      revokedExemption(reading, slot, () => true);
    };
    // (Linear: about 4; each rule re-reading the rest of its line: about 16.)
    expect(cpuGrowth(read, 40, 4)).toBeLessThan(10);
  });
});
