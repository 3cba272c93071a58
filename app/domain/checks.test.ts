import { describe, expect, it } from "vitest";
import { findFormatInstructions, hasFormatInstruction, runPromptChecks, someFormatInstruction } from "./checks";
import { type PromptCheck, promptCheckSchema } from "./exercise";

const check = (raw: Record<string, unknown>): PromptCheck => promptCheckSchema.parse(raw);
const run = (prompt: string, checks: PromptCheck[], tokens = 10) => runPromptChecks(prompt, checks, tokens);

describe("runPromptChecks: max_tokens", () => {
  const budget = [check({ id: "budget", kind: "max_tokens", label: "At most 120 tokens", value: 120 })];

  it("passes at or under the limit and says the count and the limit", () => {
    const [r] = run("x", budget, 58);
    expect(r).toMatchObject({ id: "budget", kind: "max_tokens", required: true, passed: true });
    expect(r.detail).toBe("58 tokens, limit 120");
    expect(run("x", budget, 120)[0].passed).toBe(true);
  });

  it("fails over the limit and says by how much", () => {
    const [r] = run("x", budget, 130);
    expect(r.passed).toBe(false);
    expect(r.detail).toBe("130 tokens, limit 120 (10 over)");
  });
});

describe("runPromptChecks: contains / not_contains", () => {
  it("matches case-insensitively by default and reports the line", () => {
    const checks = [check({ id: "input", kind: "contains", label: "Keeps input", value: "{{INPUT}}" })];
    const [r] = run("Classify.\n\nTicket: {{input}}", checks);
    expect(r.passed).toBe(true);
    expect(r.detail).toBe('found "{{input}}" at line 3');
  });

  it("respects case_sensitive", () => {
    const checks = [check({ id: "esc", kind: "contains", label: "ESCALATE", value: "ESCALATE", case_sensitive: true })];
    expect(run("add escalate", checks)[0].passed).toBe(false);
    expect(run("add ESCALATE", checks)[0].passed).toBe(true);
    expect(run("add escalate", checks)[0].detail).toBe('"ESCALATE" not found');
  });

  it("fails not_contains with the place of the offending text", () => {
    const checks = [
      check({ id: "no-please", kind: "not_contains", label: "No please", value: "please", required: false }),
    ];
    const [bad] = run("Classify.\nReply with the label.\nPlease be brief.", checks);
    expect(bad).toMatchObject({ passed: false, required: false });
    expect(bad.detail).toBe('found "Please" at line 3');
    expect(run("Classify.", checks)[0]).toMatchObject({ passed: true, detail: '"please" does not occur' });
  });
});

describe("runPromptChecks: regex / not_regex", () => {
  it("uses the check's flags (default i) and reports the match", () => {
    const checks = [check({ id: "json", kind: "regex", label: "Asks for JSON", value: "\\bjson\\b" })];
    const [r] = run("Return JSON only.", checks);
    expect(r.passed).toBe(true);
    expect(r.detail).toBe('found "JSON" at line 1');
  });

  it("fails a regex with no match, naming the pattern", () => {
    const checks = [check({ id: "json", kind: "regex", label: "JSON", value: "\\bjson\\b", flags: "" })];
    const [r] = run("Return Json only.", checks);
    expect(r.passed).toBe(false);
    expect(r.detail).toBe("a match for /\\bjson\\b/ not found");
  });

  it("fails not_regex when the pattern occurs", () => {
    const checks = [check({ id: "no-thanks", kind: "not_regex", label: "No thanks", value: "\\b(please|thanks)\\b" })];
    expect(run("Summarise. Thanks!", checks)[0]).toMatchObject({ passed: false, detail: 'found "Thanks" at line 1' });
    expect(run("Summarise.", checks)[0].passed).toBe(true);
  });

  it("never throws on a pattern the schema would have refused", () => {
    const raw = { id: "bad", kind: "regex", label: "Bad", value: "([", flags: "i", required: true } as PromptCheck;
    expect(run("anything", [raw])[0].passed).toBe(false);
  });

  it("gives the same answer on repeated runs (no global-regex state)", () => {
    const checks = [check({ id: "json", kind: "regex", label: "JSON", value: "json" })];
    for (let i = 0; i < 3; i++) expect(run("json json", checks)[0].passed).toBe(true);
  });
});

describe("runPromptChecks: static_prefix", () => {
  const prefix = [check({ id: "cache", kind: "static_prefix", label: "Static part first", value: 80 })];

  it("passes when enough of the prompt precedes the first {{input}}", () => {
    const prompt = `${"x".repeat(90)}{{input}}${"y".repeat(10)}`;
    const [r] = run(prompt, prefix);
    expect(r.passed).toBe(true);
    expect(r.detail).toBe("90% of the prompt comes before {{input}}, need 80%");
  });

  it("fails when the variable part comes too early", () => {
    const [r] = run(`Ticket: {{input}}\n${"Rules. ".repeat(20)}`, prefix);
    expect(r.passed).toBe(false);
  });

  it("fails without a placeholder", () => {
    const [r] = run("No placeholder here", prefix);
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/no \{\{input\}\} placeholder/);
  });
});

describe("runPromptChecks: compilation", () => {
  it("compiles a check list once per array identity", () => {
    const checks = [check({ id: "word", kind: "contains", label: "Word", value: "alpha" })];
    expect(run("alpha", checks)[0].passed).toBe(true);
    (checks[0] as { value: string }).value = "beta";
    // Same array: the compiled "alpha" check is reused.
    expect(run("alpha", checks)[0].passed).toBe(true);
    // A new array is compiled afresh.
    expect(run("alpha", [...checks])[0].passed).toBe(false);
  });

  // Its speed is measured in bench/prompt-checks.ts, not here (a timed unit test fails on a loaded machine).
  it("gives the same results on a 16 KB prompt whether compiled once or afresh", () => {
    const checks = [
      check({ id: "budget", kind: "max_tokens", label: "Budget", value: 100 }),
      check({ id: "input", kind: "contains", label: "Input", value: "{{input}}" }),
      check({ id: "no-please", kind: "not_regex", label: "No please", value: "\\b(please|thank you|thanks)\\b" }),
      check({ id: "json", kind: "regex", label: "JSON", value: "\\bjson\\b" }),
      check({ id: "cache", kind: "static_prefix", label: "Prefix", value: 50 }),
    ];
    const prompt = `${"Summarise the ticket in three bullets and keep order numbers exactly. ".repeat(230)}{{input}}`;
    expect(prompt.length).toBeGreaterThan(16_000);
    const once = runPromptChecks(prompt, checks, 3000);
    expect(runPromptChecks(prompt, checks, 3000)).toEqual(once);
    expect(runPromptChecks(prompt, [...checks], 3000)).toEqual(once);
    expect(once.map((c) => [c.id, c.passed])).toEqual([
      ["budget", false],
      ["input", true],
      ["no-please", true],
      ["json", false],
      ["cache", true],
    ]);
    expect(hasFormatInstruction(prompt).found).toBe(true);
  });
});

describe("hasFormatInstruction", () => {
  it.each([
    "Return JSON with keys label and reason.",
    'Output {"label": "..."}',
    "Reply with the label only.",
    "Respond with only the category.",
    "Answer in one word.",
    "Summarise in 3 bullets.",
    "Use at most 20 words.",
    "Write no more than three sentences.",
    "Keep it to a single line.",
    "Answer yes or no.",
    "Return a comma-separated list of tags.",
    "Reply with one of: billing, technical, account.",
    "Give the date as YYYY-MM-DD.",
    "Return a score from 1 to 5.",
    "Use this format:\nProblem: ...",
    "Nothing else.",
    "Label: <billing|technical|account>",
    "Output CSV with two columns.",
  ])("finds a format instruction in %j", (prompt) => {
    const r = hasFormatInstruction(prompt);
    expect(r.found).toBe(true);
    expect(r.evidence).toBeTruthy();
  });

  it.each([
    "Classify the ticket as billing, technical or account.",
    "Please read the customer's message carefully and help our agent understand it.",
    "Summarise the ticket for an agent.",
    "Translate the text into French.",
  ])("finds none in %j", (prompt) => {
    expect(hasFormatInstruction(prompt)).toEqual({ found: false, evidence: null });
  });

  it("returns the earliest instruction as evidence", () => {
    expect(hasFormatInstruction("Answer in one word. Return JSON.").evidence).toBe("one word");
  });

  it("findFormatInstructions lists every instruction with its span", () => {
    const text = "Reply with the label only. Use 3 bullets.";
    const found = findFormatInstructions(text);
    expect(found.length).toBeGreaterThanOrEqual(2);
    for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.text);
  });

  it("someFormatInstruction answers as findFormatInstructions(...).some on the instructions' starts", () => {
    const text = "Reply with the label only. Use 3 bullets. Return JSON, one per line.\nReply with the label only.";
    const starts = findFormatInstructions(text).map((f) => f.start);
    expect(starts.length).toBeGreaterThanOrEqual(4);
    for (const s of [...starts, -1]) {
      const at = (start: number) => start === s;
      expect(someFormatInstruction(text, at)).toBe(findFormatInstructions(text).some((f) => at(f.start)));
    }
    expect(someFormatInstruction("Be nice.", () => true)).toBe(false);
  });
});
