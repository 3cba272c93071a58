import { describe, expect, it } from "vitest";
import { exerciseFileSchema } from "~/domain/exercise";
import { NESTED_FIELDS, sectionAt, suggestFields, TOP_LEVEL_FIELDS } from "./exercise-fields";

const doc = [
  "slug: demo", // 0
  "skill: ", // 1
  "volume: { calls: 10, per: day }", // 2
  "checks:", // 3
  "  - id: budget", // 4
  "    kind: ", // 5
  "    ", // 6
  "output_checks:", // 7
  "  - kind: ", // 8
  "requirements:", // 9
  "  - ", // 10
  "ti", // 11
  "brief: |", // 12
  "  Some text", // 13
];
const labels = (line: number, column = doc[line].length) => suggestFields(doc, line, column).map((s) => s.label);

describe("suggestFields", () => {
  it("offers every top-level field of the schema at the start of a line", () => {
    expect(TOP_LEVEL_FIELDS).toEqual(Object.keys(exerciseFileSchema.innerType().shape));
    expect(labels(11)).toEqual(TOP_LEVEL_FIELDS);
    expect(labels(11)).toContain("reference_solution");
  });

  it("offers the fields of a check inside checks, of every kind", () => {
    expect(labels(6)).toEqual(NESTED_FIELDS.checks);
    expect(labels(6)).toEqual(expect.arrayContaining(["id", "kind", "label", "value", "required", "case_sensitive"]));
  });

  it("offers requirement fields after a list dash in requirements", () => {
    expect(labels(10)).toEqual([
      "id",
      "level",
      "description",
      "weight",
      "all_of",
      "topic",
      "names_only",
      "together",
      "broken_by",
    ]);
  });

  it("offers the allowed values of enum fields, per section for kind", () => {
    expect(labels(1)).toEqual([
      "compression",
      "model-tiering",
      "structured-output",
      "caching",
      "safety",
      "context-engineering",
    ]);
    expect(labels(5)).toContain("static_prefix");
    expect(labels(5)).not.toContain("json_schema");
    expect(labels(8)).toContain("json_schema");
  });

  it("offers nothing inside a block of text or after a free-text value", () => {
    expect(labels(13)).toEqual([]);
    expect(labels(0)).toEqual([]);
  });
});

describe("sectionAt", () => {
  it("finds the nearest unindented key above the line", () => {
    expect(sectionAt(doc, 6)).toBe("checks");
    expect(sectionAt(doc, 10)).toBe("requirements");
    expect(sectionAt(doc, 0)).toBeNull();
  });
});
