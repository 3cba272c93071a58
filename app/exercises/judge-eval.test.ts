import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countTokens } from "~/.server/tokenizer.server";
import { gradePrompt } from "~/domain/grade";
import {
  type EvalOutcome,
  type ExerciseReport,
  formatReport,
  gradeCase,
  loadEvalSet,
  summarise,
} from "./judge-eval.server";
import { loadContent, loadModelCatalogue } from "./load.server";

/**
 * The offline judge on its labelled evaluation set (issue "Grades people can trust"). The targets: good
 * rewrites pass ≥ 90%, flawed ≤ 5%, gaming, reversed rules and grader-addressed prompts never, every starting
 * prompt fails, and a correct bloated prompt outscores any failing gaming one; issue 14: for every exercise.
 *
 * - tune/ (writers A–I and the earlier fair rewrites; N1–N6 for the twenty exercises of the new courses): every set
 *   in it has been looked at, so it is where the judge and the requirements are tuned. Every exercise meets every
 *   target but the misses listed in TUNE_KNOWN_MISSES, which may only go down (a ratchet: lower a count when a fix
 *   removes a miss; never raise one).
 * - holdout/ (written blind from the learner's view and never tuned on; see test/judge-eval/README.md for each
 *   writer's figures): HOLDOUT_FLOORS hold the figures it was first graded at, per exercise.
 */

/**
 * Per exercise, every wrong verdict on tune/: good prompts failing, flawed and gaming prompts passing, and
 * `bloated: true` where a bloated prompt does not outscore a failing gaming one. Measured when writers I and N3–N6
 * moved to tune/ (2026-12-06 05:25: good 1,015/1,048, flawed 18/922, gaming 1/920). An exercise not listed has none.
 */
type Misses = { good?: number; flawed?: number; gaming?: number; bloated?: true };
const TUNE_KNOWN_MISSES: Record<string, Misses> = {
  "cache-friendly-prefix": { bloated: true },
  "compact-spec": { bloated: true },
  "json-not-prose": { good: 1 },
  "subject-lines-no-preamble": { gaming: 1 },
};

/** The holdout's floors per exercise (good passed at least, flawed and gaming passed at most). */
const HOLDOUT_FLOORS: Record<string, { good: number; flawed: number; gaming: number; bloatedAboveGaming: boolean }> =
  {};

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

/** What an exercise's report misses of the targets, as counts: the shape of TUNE_KNOWN_MISSES. */
function missCounts(r: ExerciseReport): Required<Omit<Misses, "bloated">> & { bloated: boolean } {
  const { good, flawed, gaming } = r.counts;
  return {
    good: good.total - good.passed,
    flawed: flawed.passed,
    gaming: gaming.passed,
    bloated: r.minBloated !== null && r.maxFailingGaming !== null && r.minBloated <= r.maxFailingGaming,
  };
}

describe("the offline judge on the evaluation set", () => {
  it("meets every target on every tune exercise but its known misses, which only go down", { timeout: 180_000 }, () => {
    const reports = run("tune");
    expectEnoughPrompts("tune", reports);
    const report = `\n${formatReport(reports)}`;
    for (const r of reports) {
      const known = TUNE_KNOWN_MISSES[r.exercise] ?? {};
      const got = missCounts(r);
      expect(r.startingPromptPasses, `${r.exercise}: starting prompt`).toBe(false);
      expect(got.good, `${r.exercise}: good tune prompts failing beyond the 90% target${report}`).toBeLessThanOrEqual(
        known.good ?? 0,
      );
      expect(got.flawed, `${r.exercise}: flawed tune prompts passing beyond 5%${report}`).toBeLessThanOrEqual(
        known.flawed ?? 0,
      );
      expect(got.gaming, `${r.exercise}: gaming tune prompts passing${report}`).toBeLessThanOrEqual(known.gaming ?? 0);
      if (!known.bloated) expect(got.bloated, `${r.exercise}: bloated vs gaming${report}`).toBe(false);
    }
  });

  const holdoutCases = existsSync("test/judge-eval/holdout") ? loadEvalSet("test/judge-eval/holdout") : [];
  it.skipIf(holdoutCases.length === 0)(
    "holds every holdout exercise at or above the figures it was first graded at",
    {
      timeout: 180_000,
    },
    () => {
      const reports = run("holdout");
      const report = `\n${formatReport(reports)}`;
      expect(reports.map((r) => r.exercise).sort(), report).toEqual(Object.keys(HOLDOUT_FLOORS).sort());
      for (const r of reports) {
        const floor = HOLDOUT_FLOORS[r.exercise];
        const { good, flawed, gaming } = r.counts;
        expect(good.passed, `${r.exercise}: good${report}`).toBeGreaterThanOrEqual(floor.good);
        expect(flawed.passed, `${r.exercise}: flawed${report}`).toBeLessThanOrEqual(floor.flawed);
        expect(gaming.passed, `${r.exercise}: gaming${report}`).toBeLessThanOrEqual(floor.gaming);
        expect(r.startingPromptPasses, `${r.exercise}: starting prompt`).toBe(false);
        if (floor.bloatedAboveGaming && r.minBloated !== null && r.maxFailingGaming !== null)
          expect(r.minBloated, `${r.exercise}: bloated vs gaming`).toBeGreaterThan(r.maxFailingGaming);
      }
    },
  );
});
