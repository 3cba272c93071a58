import { describe, expect, it } from "vitest";
import { gradePrompt } from "~/domain/grade";
import { loadContent, loadModelCatalogue } from "~/exercises/load.server";
import { DEMO_LEARNER_COUNT, DEMO_TWEAKS, demoAttemptPlan } from "./seed";
import { countTokens } from "./tokenizer.server";

/**
 * The demo organisation's seeded attempts, without seeding a database: the plan is pure, and the grade is the
 * offline judge's. On a fresh database the sync stores exercises in loadContent's order, which is the order here.
 */
describe("the demo organisation's seeded attempts", () => {
  const content = loadContent();
  const models = new Map(loadModelCatalogue().map((m) => [m.id, m]));
  const plan = demoAttemptPlan(DEMO_LEARNER_COUNT, content.exercises.length);

  it("has learners attempt every exercise of every course, some starting from the starting prompt", () => {
    expect(DEMO_LEARNER_COUNT).toBeGreaterThanOrEqual(10);
    content.exercises.forEach((_, i) => {
      expect(plan.filter((p) => p.exercise === i).length, content.exercises[i].exercise.slug).toBeGreaterThanOrEqual(3);
    });
    expect(plan.some((p) => p.startFirst)).toBe(true);
  });

  it("gives every exercise, new courses included, at least one passing attempt for its leaderboard", () => {
    const passing = new Map<string, number>();
    for (const step of plan) {
      const { exercise } = content.exercises[step.exercise];
      const model = models.get(exercise.model)!;
      const result = gradePrompt({
        prompt: DEMO_TWEAKS[step.tweak](exercise.reference_solution),
        exercise,
        model,
        countTokens: (t) => countTokens(t, model.encoding),
      });
      if (result.score.passed) passing.set(exercise.course, (passing.get(exercise.course) ?? 0) + 1);
      if (result.score.passed) passing.set(exercise.slug, (passing.get(exercise.slug) ?? 0) + 1);
    }
    for (const { exercise } of content.exercises)
      expect(passing.get(exercise.slug) ?? 0, exercise.slug).toBeGreaterThan(0);
    for (const course of content.courses) expect(passing.get(course.slug) ?? 0, course.slug).toBeGreaterThan(0);
  });
});
