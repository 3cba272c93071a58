import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it, vi } from "vitest";
import { type OutputCheck, outputCheckSchema } from "./exercise";
import { failedRequiredChecks, outputSchemaError, runOutputChecks, unfenceJson } from "./output-checks";

const check = (raw: Record<string, unknown>): OutputCheck => outputCheckSchema.parse(raw);

const returnsSchema = {
  type: "object",
  properties: {
    order_id: { type: ["string", "null"] },
    issue: { enum: ["damaged", "missing", "wrong_item", "late", "other"] },
    wants: { enum: ["refund", "replacement", "info", "other"] },
  },
  required: ["order_id", "issue", "wants"],
  additionalProperties: false,
};
const jsonCheck = check({
  id: "shape",
  kind: "json_schema",
  label: "Matches the returns schema",
  schema: returnsSchema,
});

describe("runOutputChecks: contains / not_contains / regex", () => {
  it("matches contains case-insensitively by default and reports the line, like the prompt checks", () => {
    const checks = [check({ id: "esc", kind: "contains", label: "Says ESCALATE", value: "escalate" })];
    const [r] = runOutputChecks("- wants a refund\n- ESCALATE", checks, 9);
    expect(r).toEqual({
      id: "esc",
      label: "Says ESCALATE",
      kind: "contains",
      required: true,
      passed: true,
      detail: 'found "ESCALATE" at line 2',
    });
    expect(runOutputChecks("- wants a refund", checks, 5)[0]).toMatchObject({
      passed: false,
      detail: '"escalate" not found',
    });
  });

  it("fails not_contains where the forbidden text occurs and passes otherwise", () => {
    const checks = [check({ id: "no-card", kind: "not_contains", label: "No full card number", value: "4929 1111" })];
    expect(runOutputChecks("Your card 4929 1111 2222 3456", checks, 9)[0]).toMatchObject({
      kind: "not_contains",
      passed: false,
      detail: 'found "4929 1111" at line 1',
    });
    expect(runOutputChecks("Your card ending 3456", checks, 5)[0].passed).toBe(true);
  });

  it("applies a regex with its flags", () => {
    const checks = [
      check({ id: "label", kind: "regex", label: "One label", value: "^(billing|technical|account)$", flags: "" }),
    ];
    expect(runOutputChecks("billing", checks, 1)[0]).toMatchObject({ kind: "regex", passed: true });
    expect(runOutputChecks("Billing", checks, 1)[0].passed).toBe(false);
    expect(runOutputChecks("The label is billing.", checks, 5)[0].detail).toBe(
      "a match for /^(billing|technical|account)$/ not found",
    );
  });
});

describe("runOutputChecks: max_output_tokens", () => {
  const budget = [check({ id: "short", kind: "max_output_tokens", label: "At most 40 output tokens", value: 40 })];

  it("uses the output token count it is given, not the text", () => {
    expect(runOutputChecks("x", budget, 40)[0]).toMatchObject({
      kind: "max_output_tokens",
      passed: true,
      detail: "40 output tokens, limit 40",
    });
    expect(runOutputChecks("x", budget, 52)[0]).toMatchObject({
      passed: false,
      detail: "52 output tokens, limit 40 (12 over)",
    });
  });
});

describe("runOutputChecks: json_schema", () => {
  const good = '{"order_id": "SR-20931", "issue": "damaged", "wants": "refund"}';

  it("passes a JSON output that matches the schema", () => {
    expect(runOutputChecks(good, [jsonCheck], 20)[0]).toMatchObject({
      kind: "json_schema",
      passed: true,
      detail: "valid JSON that matches the schema",
    });
  });

  it("tolerates one ```json fence (or a bare ``` fence) around the whole output", () => {
    expect(runOutputChecks(`\`\`\`json\n${good}\n\`\`\``, [jsonCheck], 20)[0].passed).toBe(true);
    expect(runOutputChecks(`\n\`\`\`\n${good}\n\`\`\`\n`, [jsonCheck], 20)[0].passed).toBe(true);
  });

  it("fails JSON with prose around it or a fence with text outside it", () => {
    expect(runOutputChecks(`Here you go: ${good}`, [jsonCheck], 20)[0].detail).toMatch(/^not valid JSON \(/);
    expect(runOutputChecks(`\`\`\`json\n${good}\n\`\`\`\nHope this helps!`, [jsonCheck], 20)[0].passed).toBe(false);
  });

  it("names the first failing path and the reason", () => {
    const badEnum = runOutputChecks('{"order_id": null, "issue": "broken", "wants": "refund"}', [jsonCheck], 20)[0];
    expect(badEnum.passed).toBe(false);
    expect(badEnum.detail).toBe(
      'at /issue: must be equal to one of the allowed values: "damaged", "missing", "wrong_item", "late", "other"',
    );

    const missing = runOutputChecks('{"order_id": null, "issue": "late"}', [jsonCheck], 20)[0];
    expect(missing.detail).toBe("at (root): must have required property 'wants'");

    const extra = runOutputChecks(
      '{"order_id": null, "issue": "late", "wants": "info", "mood": "sad"}',
      [jsonCheck],
      20,
    );
    expect(extra[0].detail).toBe('at (root): must NOT have additional properties: "mood"');

    const wrongType = runOutputChecks('{"order_id": 42, "issue": "late", "wants": "info"}', [jsonCheck], 20)[0];
    expect(wrongType.detail).toBe("at /order_id: must be string,null");
  });

  it("fails an empty output with a clear reason", () => {
    expect(runOutputChecks("  ", [jsonCheck], 0)[0].detail).toBe("not JSON: the output is empty");
  });

  it("compiles each schema once, even when the exercise is parsed again into new objects", () => {
    // A schema no other test compiled, so the count starts at zero; Ajv's compile is the costly step the memo saves.
    const fresh = { ...returnsSchema, title: "compiled once" };
    const compile = vi.spyOn(Ajv2020.prototype, "compile");
    try {
      for (let i = 0; i < 200; i++) {
        const copy = check(JSON.parse(JSON.stringify({ ...jsonCheck, schema: fresh })));
        expect(runOutputChecks(good, [copy], 20)[0].passed).toBe(true);
      }
      expect(compile).toHaveBeenCalledTimes(1);
    } finally {
      compile.mockRestore();
    }
  });

  it("fails (never throws) when the exercise's schema is invalid, and reports it for the loader", () => {
    const broken = check({ id: "broken", kind: "json_schema", label: "Broken", schema: { type: "objekt" } });
    expect(outputSchemaError(broken.kind === "json_schema" ? broken.schema : {})).toMatch(/schema is invalid/);
    expect(runOutputChecks("{}", [broken], 1)[0]).toMatchObject({ passed: false });
    expect(runOutputChecks("{}", [broken], 1)[0].detail).toMatch(/^the exercise's JSON Schema is invalid/);
    expect(outputSchemaError(returnsSchema)).toBeNull();
  });

  it("does not trip over two schemas that share an $id", () => {
    const a = check({ id: "a", kind: "json_schema", label: "A", schema: { $id: "x", type: "string" } });
    const b = check({ id: "b", kind: "json_schema", label: "B", schema: { $id: "x", type: "number" } });
    expect(runOutputChecks('"hi"', [a, b], 1).map((r) => r.passed)).toEqual([true, false]);
  });
});

describe("runOutputChecks: lists", () => {
  it("keeps the order of the exercise's checks across kinds, and finds the failed required ones", () => {
    const checks = [
      check({ id: "short", kind: "max_output_tokens", label: "Short", value: 10 }),
      check({ id: "has-refund", kind: "contains", label: "Refund", value: "refund", required: false }),
      jsonCheck,
      check({ id: "no-sorry", kind: "not_contains", label: "No apology", value: "sorry" }),
    ];
    const results = runOutputChecks('{"order_id": null, "issue": "late", "wants": "info"}', checks, 25);
    expect(results.map((r) => [r.id, r.passed])).toEqual([
      ["short", false],
      ["has-refund", false],
      ["shape", true],
      ["no-sorry", true],
    ]);
    expect(failedRequiredChecks(results).map((r) => r.id)).toEqual(["short"]);
  });

  it("returns nothing for an exercise without output checks", () => {
    expect(runOutputChecks("anything", [], 3)).toEqual([]);
  });
});

describe("unfenceJson", () => {
  it("unwraps exactly one surrounding fence and nothing else", () => {
    expect(unfenceJson('```json\n{"a":1}\n```')).toBe('{"a":1}');
    expect(unfenceJson('```JSON\r\n{"a":1}\r\n```')).toBe('{"a":1}');
    expect(unfenceJson('{"a":1}')).toBe('{"a":1}');
    expect(unfenceJson('```json\n{"a":1}\n```\n```json\n{"b":2}\n```')).toBe(
      '```json\n{"a":1}\n```\n```json\n{"b":2}\n```',
    );
  });
});
