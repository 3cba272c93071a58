import { describe, expect, it } from "vitest";
import { exemption, revokedExemption } from "./exemptions";
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
