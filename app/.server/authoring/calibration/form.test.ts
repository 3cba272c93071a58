import { describe, expect, it } from "vitest";
import { MAX_DRAFT_CHARS, MAX_SAMPLE_CHARS, MAX_SAMPLES, parseCalibrationForm } from "./form";

function form(entries: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

/** One row of the form as the page posts it: every field, blank when not filled in. */
const row = (sample: string, expect: string, min = "", max = ""): [string, string][] => [
  ["sample", sample],
  ["expect", expect],
  ["min", min],
  ["max", max],
];

describe("parseCalibrationForm", () => {
  it("pairs each sample with its expectation and optional score range, skipping blank rows", () => {
    const r = parseCalibrationForm(
      form([
        ...row("Summarise {{input}}", "fail", "", "400"),
        ...row("   ", "pass"),
        ...row("Good prompt {{input}}", "pass", "700"),
      ]),
    );
    expect(r).toEqual({
      ok: true,
      data: {
        draft: undefined,
        samples: [
          { prompt: "Summarise {{input}}", expect: "fail", minScore: undefined, maxScore: 400 },
          { prompt: "Good prompt {{input}}", expect: "pass", minScore: 700, maxScore: undefined },
        ],
      },
    });
  });

  it("reads a draft and treats a blank one as none", () => {
    expect(parseCalibrationForm(form([["draft", "slug: x"]]))).toMatchObject({ ok: true, data: { draft: "slug: x" } });
    expect(parseCalibrationForm(form([["draft", "  \n"]]))).toMatchObject({ ok: true, data: { draft: undefined } });
  });

  it(`refuses a draft longer than ${MAX_DRAFT_CHARS} characters`, () => {
    expect(parseCalibrationForm(form([["draft", "x".repeat(MAX_DRAFT_CHARS + 1)]]))).toEqual({
      ok: false,
      errors: { draft: "The draft is longer than 200,000 characters" },
    });
  });

  it(`refuses more than ${MAX_SAMPLES} samples`, () => {
    const rows = Array.from({ length: MAX_SAMPLES + 1 }, (_, i): [string, string][] => [
      ["sample", `Prompt ${i} {{input}}`],
      ["expect", "pass"],
    ]).flat();
    const r = parseCalibrationForm(form(rows));
    expect(r).toEqual({
      ok: false,
      errors: { samples: `At most ${MAX_SAMPLES} sample prompts can be calibrated at once` },
    });
  });

  it(`refuses a sample longer than ${MAX_SAMPLE_CHARS} characters, naming its row`, () => {
    const r = parseCalibrationForm(
      form([
        ["sample", "ok {{input}}"],
        ["expect", "pass"],
        ["sample", "x".repeat(MAX_SAMPLE_CHARS + 1)],
        ["expect", "pass"],
      ]),
    );
    expect(r).toEqual({ ok: false, errors: { "sample.1": "Sample 2: is longer than 20,000 characters" } });
  });

  it("refuses a sample without a valid expected grade", () => {
    const r = parseCalibrationForm(
      form([
        ["sample", "p {{input}}"],
        ["expect", "maybe"],
      ]),
    );
    expect(r).toEqual({ ok: false, errors: { "sample.0": 'Sample 1: needs an expected grade: "pass" or "fail"' } });
    const missing = parseCalibrationForm(form([["sample", "p {{input}}"]]));
    expect(missing.ok).toBe(false);
  });

  it("refuses a score range that is out of bounds or upside down", () => {
    const high = parseCalibrationForm(form(row("p", "pass", "1200")));
    expect(high).toEqual({ ok: false, errors: { "sample.0": "Sample 1: lowest score must be at most 1000" } });
    const flipped = parseCalibrationForm(form(row("p", "pass", "900", "100")));
    expect(flipped).toEqual({
      ok: false,
      errors: { "sample.0": "Sample 1: lowest score is above the highest score" },
    });
  });
});
