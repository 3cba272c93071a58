import { describe, expect, it } from "vitest";
import { countTokens } from "~/.server/tokenizer.server";
import type { ExerciseFile } from "~/domain/exercise";
import { gradePrompt } from "~/domain/grade";
import type { ModelInfo } from "~/domain/models";
import { loadEvalSet } from "./judge-eval.server";
import { loadContent, loadModelCatalogue } from "./load.server";

/**
 * Calibrates every exercise in exercises/ against the offline judge (DESIGN.md, "Exercises as
 * content"): the starting prompt must fail, the reference solution must pass clearly, and listing
 * the judge's vocabulary must not. Good rewrites in other words live in the labelled evaluation set
 * (test/judge-eval/), measured by judge-eval.test.ts.
 */

const models = new Map(loadModelCatalogue().map((m) => [m.id, m]));
const content = loadContent();

function grade(prompt: string, exercise: ExerciseFile) {
  const model = models.get(exercise.model) as ModelInfo;
  return gradePrompt({ prompt, exercise, model, countTokens: (text) => countTokens(text, model.encoding) });
}

function maxTokens(exercise: ExerciseFile): number {
  const check = exercise.checks.find((c) => c.kind === "max_tokens");
  return check?.kind === "max_tokens" ? check.value : Number.POSITIVE_INFINITY;
}

const isRegexPhrase = (phrase: string) => /^\/.+\/[a-z]*$/s.test(phrase.trim());

/** Ways a learner might paste the judge's vocabulary instead of writing instructions. */
function keywordLists(exercise: ExerciseFile): Record<string, string> {
  const all = exercise.requirements.flatMap((r) => r.all_of.flat()).filter((p) => !isRegexPhrase(p));
  const first = exercise.requirements.flatMap((r) => r.all_of.map((g) => g.find((p) => !isRegexPhrase(p)) ?? ""));
  const firsts = first.filter(Boolean);
  const raw = exercise.requirements.flatMap((r) => r.all_of.flat());
  return {
    "every phrase as written, regular expressions included": `${raw.join(" ")}\n{{input}}`,
    "every phrase, space-separated": `${all.join(" ")}\n{{input}}`,
    "every phrase, comma-separated": `${all.join(", ")}\n{{input}}`,
    "one phrase per group, space-separated": `${firsts.join(" ")}\n{{input}}`,
    "one phrase per group, one per line": `${firsts.join("\n")}\n\n{{input}}`,
    "one phrase per group, input first": `{{input}}\n${firsts.join(", ")}`,
  };
}

describe("exercise content", () => {
  it("loads every course and exercise without a single error", () => {
    expect(content.errors.map((e) => e.message)).toEqual([]);
  });

  it("has at least five courses and thirty exercises, every course with exercises", () => {
    expect(content.courses.length).toBeGreaterThanOrEqual(5);
    expect(content.exercises.length).toBeGreaterThanOrEqual(30);
    for (const course of content.courses) {
      expect(content.exercises.filter((e) => e.exercise.course === course.slug).length, course.slug).toBeGreaterThan(0);
    }
  });

  it("has labelled prompts in the evaluation set for every exercise (write them blind when you add one)", () => {
    const labelled = new Set(loadEvalSet("test/judge-eval/tune").map((c) => c.exercise));
    for (const e of content.exercises) expect(labelled.has(e.exercise.slug), e.exercise.slug).toBe(true);
  });
});

describe.each(content.exercises.map((e) => [e.exercise.slug, e.exercise] as const))(
  "calibration of %s",
  (_, exercise) => {
    const start = grade(exercise.starting_prompt, exercise);
    const reference = grade(exercise.reference_solution, exercise);

    it("has a required token budget well below the starting prompt, and a required {{input}} check", () => {
      const budget = exercise.checks.find((c) => c.kind === "max_tokens");
      expect(budget?.required).toBe(true);
      expect(maxTokens(exercise)).toBeLessThanOrEqual(start.tokens.prompt / 2);
      const input = exercise.checks.find((c) => c.kind === "contains" && c.value === "{{input}}");
      expect(input?.required).toBe(true);
    });

    it("starts from a realistically wasteful prompt (300 to 1,000 tokens)", () => {
      expect(start.tokens.prompt).toBeGreaterThanOrEqual(300);
      expect(start.tokens.prompt).toBeLessThanOrEqual(1000);
    });

    it("does not pass the starting prompt: quality clearly below the pass mark, or a gate (essential requirement, required check) failed", () => {
      expect(start.score.passed).toBe(false);
      const clearlyBelow = start.judge.quality <= exercise.pass_mark - 10;
      const gate = start.judge.mustFailures.length > 0 || start.checks.some((c) => c.required && !c.passed);
      expect(clearlyBelow || gate, `quality ${start.judge.quality}`).toBe(true);
    });

    it("passes the reference solution with every check, quality clearly above the pass mark", () => {
      expect(reference.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
      expect(reference.judge.requirements.filter((r) => !r.covered).map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
      expect(reference.judge.gaming).toMatchObject({ keywordList: false, injection: null });
      expect(reference.score.passed).toBe(true);
      expect(reference.judge.quality).toBeGreaterThanOrEqual(Math.min(100, exercise.pass_mark + 10));
    });

    it("scores the reference solution far above the starting prompt", () => {
      expect(reference.score.score).toBeGreaterThanOrEqual(start.score.score + 400);
      expect(reference.cost.monthlyMicros).toBeLessThan(start.cost.monthlyMicros);
    });

    it("prices the starting prompt's reply at the baseline size and the reference's at the target size", () => {
      expect(start.tokens.outputPerCall).toBe(exercise.output_tokens.baseline);
      expect(reference.tokens.outputPerCall).toBe(exercise.output_tokens.target);
    });

    it("keeps the reference solution within the token budget and near par", () => {
      expect(reference.tokens.prompt).toBeLessThanOrEqual(maxTokens(exercise));
      expect(reference.tokens.prompt).toBeLessThanOrEqual(Math.ceil(exercise.par_tokens * 1.25));
      expect(reference.tokens.prompt).toBeGreaterThanOrEqual(Math.floor(exercise.par_tokens * 0.6));
    });

    it.each(Object.entries(keywordLists(exercise)))("does not pass a keyword list (%s)", (_, prompt) => {
      const result = grade(prompt, exercise);
      expect(result.score.passed).toBe(false);
      // Either read as a list of terms (gaming, 0) or short of an essential requirement (the score halved):
      // a list of the judge's own phrases never instructs the model.
      expect(result.judge.gaming.keywordList || result.judge.mustFailures.length >= 1).toBe(true);
      expect(result.score.score).toBeLessThan(reference.score.score / 2);
    });
  },
);

describe("the safety exercise", () => {
  const found = content.exercises.find((e) => e.exercise.slug === "keep-the-safety-rules");

  it("fails a reference solution that drops any one of its five safety rules", () => {
    expect(found).toBeDefined();
    const exercise = found!.exercise;
    const lines = exercise.reference_solution.split("\n");
    const rules = lines.filter((l) => /^[1-5]\. /.test(l));
    expect(rules).toHaveLength(5);
    for (const rule of rules) {
      const result = grade(lines.filter((l) => l !== rule).join("\n"), exercise);
      expect(result.score.passed, `passed without: ${rule}`).toBe(false);
    }
  });
});
