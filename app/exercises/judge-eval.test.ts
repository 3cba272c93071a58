import { describe, expect, it } from "vitest";
import { countTokens } from "~/.server/tokenizer.server";
import { gradePrompt } from "~/domain/grade";
import { type EvalOutcome, formatReport, gradeCase, loadEvalSet, missedTargets, summarise } from "./judge-eval.server";
import { loadContent, loadModelCatalogue } from "./load.server";

/**
 * The offline judge's targets on its labelled evaluation set (issue "Grades people can trust"): good
 * rewrites pass ≥ 90%, flawed ≤ 5%, gaming, reversed rules and grader-addressed prompts never, every
 * starting prompt fails, and a correct bloated prompt outscores any failing gaming one. The holdout half
 * was written blind and never read while tuning; the tune half must not regress either.
 */

const exercises = new Map(loadContent().exercises.map((e) => [e.exercise.slug, e.exercise]));
const models = new Map(loadModelCatalogue().map((m) => [m.id, m]));

function run(set: string) {
  const outcomes: EvalOutcome[] = [];
  const startingPasses = new Map<string, boolean>();
  for (const c of loadEvalSet(`test/judge-eval/${set}`)) {
    const exercise = exercises.get(c.exercise);
    if (!exercise) throw new Error(`${c.file}: no exercise "${c.exercise}"`);
    const model = models.get(exercise.model);
    if (!model) throw new Error(`no model ${exercise.model}`);
    outcomes.push(gradeCase(c, exercise, model));
    if (!startingPasses.has(c.exercise)) {
      const start = gradePrompt({
        prompt: exercise.starting_prompt,
        exercise,
        model,
        countTokens: (t) => countTokens(t, model.encoding),
      });
      startingPasses.set(c.exercise, start.score.passed);
    }
  }
  return summarise(outcomes, startingPasses);
}

describe.each(["holdout", "tune"])("the offline judge on the %s set", (set) => {
  it("meets every target", { timeout: 120_000 }, () => {
    const reports = run(set);
    // At least 20 labelled prompts for every exercise, or the targets prove nothing.
    for (const slug of exercises.keys()) {
      const r = reports.find((x) => x.exercise === slug);
      const n = r ? Object.values(r.counts).reduce((sum, c) => sum + c.total, 0) : 0;
      expect(n, `${set} prompts for ${slug}`).toBeGreaterThanOrEqual(20);
    }
    const misses = missedTargets(reports, false);
    expect(misses, `\n${formatReport(reports)}`).toEqual([]);
  });
});
