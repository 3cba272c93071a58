import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cpuGrowth } from "../../test/support/cpu-growth";
import {
  ExerciseFileError,
  formatPath,
  loadContent,
  loadModelCatalogue,
  ModelCatalogueError,
  parseCourseText,
  parseExerciseText,
} from "./load.server";

const FILE = "exercises/x/01-y.yaml";

const GOOD = `slug: y
title: Shrink the triage prompt
course: x
order: 1
skill: compression
difficulty: 2
model: tiny-model
tier: nano
volume: { calls: 1000, per: day }
output_tokens: { baseline: 120, target: 10 }
brief: |
  Make it short.
starting_prompt: |
  Please, if you would be so kind, classify this ticket: {{input}}
test_inputs:
  - name: refund
    input: I want my money back
checks:
  - id: budget
    kind: max_tokens
    label: At most 60 tokens
    value: 60
  - id: placeholder
    kind: contains
    label: Keeps the input
    value: "{{input}}"
  - id: no-please
    kind: not_regex
    label: No pleading
    value: "\\\\bplease\\\\b"
rubric:
  - id: correct
    criterion: The label is right
    weight: 2
requirements:
  - id: labels
    description: Names the label set
    all_of:
      - [billing, "/\\\\brefunds?\\\\b/"]
par_tokens: 30
pass_mark: 70
reference_solution: "Label: billing|other. Ticket: {{input}}"
`;

/** Replaces the one line that starts with `from` (after indentation) in the good file. */
function edit(from: string, to: string): string {
  const lines = GOOD.split("\n");
  const i = lines.findIndex((l) => l.trimStart().startsWith(from));
  if (i < 0) throw new Error(`no line starts with ${from}`);
  lines[i] = to;
  return lines.join("\n");
}

function lineOf(text: string, start: string): number {
  return text.split("\n").findIndex((l) => l.trimStart().startsWith(start)) + 1;
}

function errorsOf(text: string): string[] {
  const result = parseExerciseText(text, FILE);
  if (result.ok) throw new Error("expected the file to be rejected");
  return result.errors.map((e) => e.message);
}

describe("parseExerciseText", () => {
  it("accepts a well-formed exercise and applies the schema defaults", () => {
    const result = parseExerciseText(GOOD, FILE);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.exercise.slug).toBe("y");
    expect(result.exercise.checks[2]).toMatchObject({
      kind: "not_regex",
      value: "\\bplease\\b",
      flags: "i",
      required: true,
    });
    expect(result.exercise.requirements[0].all_of[0]).toEqual(["billing", "/\\brefunds?\\b/"]);
    expect(result.exercise.format_instruction).toBe(true);
  });

  it("reports a YAML syntax error with its line and column, and no schema errors", () => {
    const text = edit("volume:", "volume: { calls: 1000, per: day");
    const result = parseExerciseText(text, FILE);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toBeInstanceOf(ExerciseFileError);
    expect(result.errors[0].field).toBe("(syntax)");
    expect(result.errors[0].line).toBeGreaterThanOrEqual(lineOf(text, "volume:"));
    expect(result.errors[0].message).toMatch(/^exercises\/x\/01-y\.yaml:\d+:\d+ \(syntax\): /);
  });

  it("reports a duplicated key as a syntax error on the second key's line", () => {
    const text = GOOD.replace("pass_mark: 70\n", "pass_mark: 70\npass_mark: 80\n");
    expect(errorsOf(text)).toEqual([`${FILE}:${lineOf(text, "pass_mark: 80")}:1 (syntax): Map keys must be unique`]);
  });

  it("names a wrongly typed nested field with the line and column of its key", () => {
    const text = edit("value: 60", '    value: "sixty"');
    expect(errorsOf(text)).toEqual([
      `${FILE}:${lineOf(text, 'value: "sixty"')}:5 checks[0].value: must be a number, not a string`,
    ]);
  });

  it("names a field inside a flow map", () => {
    const text = edit("volume:", "volume: { calls: 1000, per: week }");
    expect(errorsOf(text)).toEqual([
      `${FILE}:${lineOf(text, "volume:")}:24 volume.per: must be one of day, month (got "week")`,
    ]);
  });

  it("reports a missing required field at its nearest parent as 'is required'", () => {
    const text = GOOD.replace("    label: At most 60 tokens\n", "");
    // The check's item starts on the line of `- id: budget`, at the `id` key (column 5).
    expect(errorsOf(text)).toEqual([`${FILE}:${lineOf(text, "- id: budget")}:5 checks[0].label: is required`]);
  });

  it("reports a missing top-level field at the start of the document", () => {
    const text = GOOD.replace("par_tokens: 30\n", "");
    expect(errorsOf(text)).toEqual([`${FILE}:1:1 par_tokens: is required`]);
  });

  it("rejects an unknown field (the schema is strict) at the line of the unknown key", () => {
    const text = GOOD.replace("pass_mark: 70\n", "pass_mark: 70\npassmark: 80\n");
    expect(errorsOf(text)).toEqual([`${FILE}:${lineOf(text, "passmark:")}:1 passmark: is not a known field`]);
  });

  it("rejects a check regex that does not compile", () => {
    const text = edit('value: "\\\\bplease', '    value: "(unclosed"');
    expect(errorsOf(text)).toEqual([
      `${FILE}:${lineOf(text, 'value: "(unclosed"')}:5 checks[2].value: is not a valid regular expression (missing closing ): \`(unclosed\`)`,
    ]);
  });

  it("refuses a check regex RE2 cannot run (lookaround, backreference) at its line", () => {
    const ahead = edit('value: "\\\\bplease', '    value: "^(?=.*json)"');
    expect(errorsOf(ahead)).toEqual([
      `${FILE}:${lineOf(ahead, 'value: "^(?=')}:5 checks[2].value: uses a lookaround (\`(?=\`), which RE2 cannot run: patterns run on a linear-time engine; write separate checks instead`,
    ]);
    const back = edit('value: "\\\\bplease', '    value: "(a)\\\\1"');
    expect(errorsOf(back)[0]).toMatch(/checks\[2\]\.value: uses a backreference/);
    // Catastrophic for a backtracking engine, linear for RE2: accepted.
    expect(parseExerciseText(edit('value: "\\\\bplease', '    value: "^(a+)+$"'), FILE).ok).toBe(true);
  });

  it("rejects a /regex/ requirement phrase that does not compile, naming its place in all_of", () => {
    const text = edit("- [billing,", '      - [billing, "/refund(/"]');
    expect(errorsOf(text)).toEqual([
      `${FILE}:${lineOf(text, "- [billing,")}:19 requirements[0].all_of[0][1]: is not a valid regular expression (missing closing ): \`refund(\`)`,
    ]);
  });

  it("accepts a /regex/flags phrase and rejects an unknown flag", () => {
    expect(parseExerciseText(edit("- [billing,", '      - [billing, "/^refund/m"]'), FILE).ok).toBe(true);
    const text = edit("- [billing,", '      - [billing, "/refund/x"]');
    expect(errorsOf(text)).toEqual([
      `${FILE}:${lineOf(text, "- [billing,")}:19 requirements[0].all_of[0][1]: uses the unknown regular-expression flag "x"`,
    ]);
  });

  it("rejects an unknown check kind, listing the kinds", () => {
    const text = edit("kind: not_regex", "    kind: not_regexp");
    expect(errorsOf(text)[0]).toBe(
      `${FILE}:${lineOf(text, "kind: not_regexp")}:5 checks[2].kind: must be one of max_tokens, contains, not_contains, regex, not_regex, static_prefix`,
    );
  });

  it("reports every error of a file, in line order", () => {
    const text = edit("difficulty:", "difficulty: 9").replace("par_tokens: 30\n", "par_tokens: -1\n");
    expect(errorsOf(text)).toEqual([
      `${FILE}:${lineOf(text, "difficulty:")}:1 difficulty: must be at most 5`,
      `${FILE}:${lineOf(text, "par_tokens:")}:1 par_tokens: must be greater than 0`,
    ]);
  });

  it("rejects a reference solution without the {{input}} placeholder", () => {
    const text = edit("reference_solution:", 'reference_solution: "Label: billing|other."');
    expect(errorsOf(text)).toEqual([
      `${FILE}:${lineOf(text, "reference_solution:")}:1 reference_solution: must contain the {{input}} placeholder`,
    ]);
  });

  it("reports an empty file as a missing document body", () => {
    expect(errorsOf("")).toEqual([`${FILE}:1:1 (root): must be an object, not null`]);
  });
});

describe("parseCourseText", () => {
  it("accepts a course and rejects an unknown field", () => {
    const ok = parseCourseText(
      "slug: x\ntitle: Course X\ndescription: About x.\norder: 1\n",
      "exercises/x/course.yaml",
    );
    expect(ok).toEqual({ ok: true, course: { slug: "x", title: "Course X", description: "About x.", order: 1 } });
    const bad = parseCourseText("slug: x\ntitle: Course X\ndescription: About x.\norder: 1\nlevel: 2\n", "c.yaml");
    expect(bad.ok ? [] : bad.errors.map((e) => e.message)).toEqual(["c.yaml:5:1 level: is not a known field"]);
  });
});

describe("formatPath", () => {
  it("writes list indexes in brackets and keys with dots", () => {
    expect(formatPath(["requirements", 1, "all_of", 0, 2])).toBe("requirements[1].all_of[0][2]");
    expect(formatPath([])).toBe("(root)");
  });
});

const CATALOGUE = `models:
  - id: tiny-model
    provider: openai
    tier: nano
    encoding: o200k_base
    exact_tokenizer: true
    context_window: 1000
    price: { input: 0.10, cached_input: 0.025, output: 0.40, as_of: "2025-04-14" }
  - id: big-model
    provider: anthropic
    tier: frontier
    encoding: cl100k_base
    exact_tokenizer: false
    context_window: 1000
    price: { input: 15, cached_input: 1.5, output: 75, as_of: "2025-05-22" }
  - id: embed-model
    kind: embedding
    provider: openai
    tier: nano
    encoding: cl100k_base
    exact_tokenizer: true
    context_window: 8191
    price: { input: 0.02, cached_input: 0.02, output: 0, as_of: "2024-01-25" }
`;

describe("loadContent and loadModelCatalogue", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function workspace(files: Record<string, string>): { root: string; models: string } {
    dir = mkdtempSync(join(tmpdir(), "tokenwise-content-"));
    const models = join(dir, "models.yaml");
    writeFileSync(models, CATALOGUE);
    for (const [path, text] of Object.entries(files)) {
      const full = join(dir, "exercises", path);
      mkdirSync(join(full, ".."), { recursive: true });
      writeFileSync(full, text);
    }
    return { root: join(dir, "exercises"), models };
  }

  const course = (slug: string) => `slug: ${slug}\ntitle: Course ${slug}\ndescription: About ${slug}.\norder: 1\n`;

  it("loads courses and exercises with their source text and no errors", () => {
    const ws = workspace({ "x/course.yaml": course("x"), "x/01-y.yaml": GOOD });
    const loaded = loadContent(ws.root, ws.models);
    expect(loaded.errors.map((e) => e.message)).toEqual([]);
    expect(loaded.courses.map((c) => c.slug)).toEqual(["x"]);
    expect(loaded.exercises).toHaveLength(1);
    expect(loaded.exercises[0].sourceText).toBe(GOOD);
    expect(loaded.exercises[0].file.endsWith(join("x", "01-y.yaml"))).toBe(true);
  });

  it("rejects a model whose catalogue tier differs from the exercise tier, at the tier line", () => {
    const text = edit("model:", "model: big-model");
    const ws = workspace({ "x/course.yaml": course("x"), "x/01-y.yaml": text });
    const loaded = loadContent(ws.root, ws.models);
    expect(loaded.exercises).toEqual([]);
    expect(loaded.errors.map((e) => `${e.line}:${e.column} ${e.field}: ${e.detail}`)).toEqual([
      `${lineOf(text, "tier:")}:1 tier: must be "frontier", the tier of big-model in the model catalogue`,
    ]);
  });

  it("refuses an unknown brief placeholder at its own line, on every load", () => {
    const text = GOOD.replace("  Make it short.\n", "  Make it short.\n  It costs [[monthly_cost]] a month.\n");
    const ws = workspace({ "x/course.yaml": course("x"), "x/01-y.yaml": text });
    const [error] = loadContent(ws.root, ws.models).errors;
    expect(error.line).toBe(lineOf(text, "It costs"));
    expect(`${error.field}: ${error.detail}`).toMatch(
      /^brief: "\[\[monthly_cost\]\]" is not a figure a brief can quote/,
    );
  });

  it("checks the brief's literal figures against the exercise's data only when asked, at the figure's line", () => {
    const text = GOOD.replace(
      "  Make it short.\n",
      "  Make it short: [[start_tokens]] tokens now,\n  and at most 40 tokens later. It runs 1,000 calls a day.\n",
    );
    const ws = workspace({ "x/course.yaml": course("x"), "x/01-y.yaml": text });
    expect(loadContent(ws.root, ws.models).errors).toEqual([]);
    const errors = loadContent(ws.root, ws.models, { figures: true }).errors;
    expect(errors.map((e) => `${e.line} ${e.field}: ${e.detail.slice(0, 62)}`)).toEqual([
      `${lineOf(text, "and at most 40")} brief: "at most 40 tokens" is neither par (30) nor the token limit of`,
    ]);
  });

  it("checks prices per 1M next to a model id and the reply sizes a brief quotes, at their lines", () => {
    const text = GOOD.replace(
      "  Make it short.\n",
      "  It runs on `[[model]]` ($0.10 per 1M input tokens, $0.60 per 1M output),\n" +
        "  and used to run on `big-model` at $15.00 per 1M input tokens.\n" +
        "  The reply is about 120 output tokens; asked for one label,\n" +
        "  about 40 output tokens.\n",
    );
    const ws = workspace({ "x/course.yaml": course("x"), "x/01-y.yaml": text });
    const errors = loadContent(ws.root, ws.models, { figures: true }).errors;
    expect(errors.map((e) => `${e.line} ${e.field}: ${e.detail.split(" (")[0]}`)).toEqual([
      `${lineOf(text, "It runs on")} brief: "$0.60 per 1M output" is not tiny-model's output price in the model catalogue`,
      `${lineOf(text, "about 40 output")} brief: "40 output tokens" is neither the starting prompt's reply`,
    ]);
  });

  it("rejects a model that is not in the catalogue", () => {
    const ws = workspace({ "x/course.yaml": course("x"), "x/01-y.yaml": edit("model:", "model: gpt-9") });
    const [error] = loadContent(ws.root, ws.models).errors;
    expect(`${error.field}: ${error.detail}`).toBe(`model: "gpt-9" is not in the model catalogue (${ws.models})`);
  });

  it("rejects an embeddings model as an exercise's model, at the model line", () => {
    const text = edit("model:", "model: embed-model");
    const ws = workspace({ "x/course.yaml": course("x"), "x/01-y.yaml": text });
    const loaded = loadContent(ws.root, ws.models);
    expect(loaded.exercises).toEqual([]);
    expect(loaded.errors.map((e) => `${e.line} ${e.field}: ${e.detail}`)).toEqual([
      `${lineOf(text, "model:")} model: "embed-model" is an embeddings model; an exercise runs on a chat model`,
    ]);
  });

  it("rejects a slug used twice across courses, naming the first file", () => {
    const other = GOOD.replace("course: x", "course: z");
    const ws = workspace({
      "x/course.yaml": course("x"),
      "x/01-y.yaml": GOOD,
      "z/course.yaml": course("z"),
      "z/03-y.yaml": other,
    });
    const loaded = loadContent(ws.root, ws.models);
    expect(loaded.exercises).toHaveLength(1);
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0].file.endsWith(join("z", "03-y.yaml"))).toBe(true);
    expect(loaded.errors[0].field).toBe("slug");
    expect(loaded.errors[0].line).toBe(1);
    expect(loaded.errors[0].detail).toMatch(/^duplicate slug "y", already used by .*x\/01-y\.yaml$/);
  });

  it("rejects an exercise whose course or file name does not match its folder and slug", () => {
    const ws = workspace({ "x/course.yaml": course("x"), "x/01-other.yaml": GOOD.replace("course: x", "course: w") });
    const loaded = loadContent(ws.root, ws.models);
    expect(loaded.errors.map((e) => `${e.field}: ${e.detail}`)).toEqual([
      "slug: must match the file name: expected a file named <NN>-y.yaml",
      'course: must equal its folder name "x"',
    ]);
  });

  it("collects errors from every file instead of stopping at the first", () => {
    const ws = workspace({
      "x/01-y.yaml": edit("difficulty:", "difficulty: zero"),
      "z/course.yaml": course("q"),
      "z/notes.yml": "a: 1\n",
    });
    const loaded = loadContent(ws.root, ws.models);
    expect(loaded.errors.map((e) => `${e.file.split("exercises/")[1]} ${e.field}: ${e.detail}`)).toEqual([
      "x/course.yaml (file): is missing: every course folder needs one",
      "x/01-y.yaml difficulty: must be a number, not a string",
      'z/course.yaml slug: must equal its folder name "z"',
      "z/notes.yml (file): must use the .yaml extension",
    ]);
  });

  it("loads the catalogue into integer micro-dollar prices", () => {
    const ws = workspace({});
    const models = loadModelCatalogue(ws.models);
    expect(models.map((m) => [m.id, m.tier, m.inputMicrosPerM, m.cachedInputMicrosPerM])).toEqual([
      ["tiny-model", "nano", 100_000, 25_000],
      ["big-model", "frontier", 15_000_000, 1_500_000],
      ["embed-model", "nano", 20_000, 20_000],
    ]);
  });

  it("throws every catalogue error with its line when the catalogue is invalid", () => {
    const ws = workspace({});
    writeFileSync(ws.models, CATALOGUE.replace("tier: nano", "tier: tiny").replace("id: big-model", "id: tiny-model"));
    let thrown: unknown;
    try {
      loadModelCatalogue(ws.models);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ModelCatalogueError);
    expect((thrown as ModelCatalogueError).errors.map((e) => `${e.line}:${e.column} ${e.field}: ${e.detail}`)).toEqual([
      '4:5 models[0].tier: must be one of nano, small, medium, frontier (got "tiny")',
    ]);
  });

  it("loads the real catalogue in db/models.yaml", () => {
    const models = loadModelCatalogue();
    expect(models.find((m) => m.id === "gpt-4.1-nano")?.tier).toBe("nano");
  });
});

describe("hostile YAML", () => {
  const BOMB = [
    "a: &a [x, x, x, x, x, x, x, x, x, x]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
    "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
  ].join("\n");

  it("refuses an alias bomb at its first alias, without expanding it", () => {
    expect(errorsOf(BOMB)).toEqual([
      "exercises/x/01-y.yaml:2:8 (syntax): uses aliases (*name) that expand too far or refer to themselves; write the values out instead",
    ]);
    // Three levels expand to 1,000 values, six to 1,000,000: refused before expanding, the CPU time of six over
    // three is about 2 (the file doubles); walking the expansion before refusing made it 10 or more.
    const levels = (n: number) => BOMB.split("\n").slice(0, n).join("\n");
    const refuse = (n: number) => expect(errorsOf(levels(n))[0]).toMatch(/uses aliases \(\*name\) that expand too far/);
    expect(cpuGrowth(refuse, 3, 2)).toBeLessThan(5);
  });

  it("refuses a file over the size limit without parsing it", () => {
    expect(errorsOf(`slug: x\nbrief: "${"a".repeat(300_000)}"`)[0]).toMatch(
      /^exercises\/x\/01-y\.yaml:1:1 \(file\): is 300017 characters; at most 250000$/,
    );
  });
});
