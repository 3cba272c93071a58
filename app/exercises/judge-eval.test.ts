import { describe, expect, it } from "vitest";
import { countTokens } from "~/.server/tokenizer.server";
import { gradePrompt } from "~/domain/grade";
import {
  type EvalOutcome,
  formatReport,
  gradeCase,
  loadEvalSet,
  missedTargets,
  summarise,
  total,
} from "./judge-eval.server";
import { loadContent, loadModelCatalogue } from "./load.server";

/**
 * The offline judge on its labelled evaluation set (issue "Grades people can trust"). The targets: good
 * rewrites pass ≥ 90%, flawed ≤ 5%, gaming, reversed rules and grader-addressed prompts never, every starting
 * prompt fails, and a correct bloated prompt outscores any failing gaming one.
 *
 * - tune/ (writers A–G and the earlier fair rewrites, 1,870 prompts): the judge was tuned on these; every target
 *   holds except one reversed rule of 245 that still passes, which is allowed here and no more.
 * - holdout/ (writer H, 280 prompts, written blind and graded once before any work on it): gaming 0%, every
 *   starting prompt failing and bloated above gaming hold. Good 88% and flawed 11.3% miss the 90% and 5%:
 *   the floors below are those first-look figures, so the judge cannot get worse on data it has not seen. Raise
 *   them only with a new blind writer's first look, never by tuning on holdout/.
 */
const HOLDOUT_FLOORS = { goodPassMin: 0.88, flawedPassMax: 0.113 } as const;
const TUNE_REVERSED_PASSES_ALLOWED = 1;

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

function expectEnoughPrompts(set: string, reports: ReturnType<typeof run>) {
  // At least 20 labelled prompts for every exercise, or the figures prove nothing.
  for (const slug of exercises.keys()) {
    const r = reports.find((x) => x.exercise === slug);
    const n = r ? Object.values(r.counts).reduce((sum, c) => sum + c.total, 0) : 0;
    expect(n, `${set} prompts for ${slug}`).toBeGreaterThanOrEqual(20);
  }
}

describe("the offline judge on the evaluation set", () => {
  it("meets every target on the tune set but one reversed rule", { timeout: 120_000 }, () => {
    const reports = run("tune");
    expectEnoughPrompts("tune", reports);
    const reversed = /^[a-z-]+: (\d+) of \d+ flawed:reversed passed$/;
    const misses = missedTargets(reports, true);
    const reversedPasses = misses.reduce((n, m) => n + Number(reversed.exec(m)?.[1] ?? 0), 0);
    expect(reversedPasses, `\n${formatReport(reports)}`).toBeLessThanOrEqual(TUNE_REVERSED_PASSES_ALLOWED);
    expect(
      misses.filter((m) => !reversed.test(m) && !/flawed pass/.test(m)),
      `\n${formatReport(reports)}`,
    ).toEqual([]);
    const flawed = total(reports).flawed;
    expect(flawed.passed / flawed.total).toBeLessThanOrEqual(0.05);
  });

  it("holds gaming at 0%, fails every starting prompt and stays at or above its first look on the holdout set", {
    timeout: 120_000,
  }, () => {
    const reports = run("holdout");
    expectEnoughPrompts("holdout", reports);
    const report = `\n${formatReport(reports)}`;
    const sum = total(reports);
    expect(sum.gaming.passed, report).toBe(0);
    expect(sum.good.passed / sum.good.total, report).toBeGreaterThanOrEqual(HOLDOUT_FLOORS.goodPassMin);
    expect(sum.flawed.passed / sum.flawed.total, report).toBeLessThanOrEqual(HOLDOUT_FLOORS.flawedPassMax);
    for (const r of reports) {
      expect(r.startingPromptPasses, `${r.exercise}: starting prompt`).toBe(false);
      if (r.minBloated !== null && r.maxFailingGaming !== null)
        expect(r.minBloated, `${r.exercise}: bloated vs gaming`).toBeGreaterThan(r.maxFailingGaming);
      for (const [kind, c] of Object.entries(r.byKind))
        if (kind.startsWith("gaming:")) expect(c.passed, `${r.exercise}: ${kind}`).toBe(0);
    }
  });
});
