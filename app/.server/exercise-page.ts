import { estimateCall } from "~/domain/estimate";
import { toLearnerExercise } from "~/domain/exercise";
import { averageInputTokens } from "~/domain/grade";
import { getBestAttempt, listOwnAttempts } from "./attempts";
import type { SessionUser } from "./auth";
import { getDraft, type PublishedExercise } from "./catalog";
import type { Db } from "./db";
import { allowedModels, getModel } from "./models";
import { countTokens } from "./tokenizer.server";

/**
 * Everything the exercise page needs, and nothing a learner must not see: the reference
 * solution, requirements and rubric stay on the server.
 */
export function exercisePageData(database: Db, user: SessionUser, exercise: PublishedExercise) {
  const content = exercise.content;
  const model = getModel(content.model);
  const count = (text: string) => countTokens(text, model.encoding);
  const avgInputTokens = averageInputTokens(content.test_inputs, count);
  const models = allowedModels(model).map((m) => ({
    ...m,
    avgInputTokens: averageInputTokens(content.test_inputs, (text) => countTokens(text, m.encoding)),
  }));
  const baselineTokens = count(content.starting_prompt);
  const baseline = estimateCall({
    promptTokens: baselineTokens,
    avgInputTokens,
    outputTokens: content.output_tokens.baseline,
    model,
    volume: content.volume,
  });
  const best = getBestAttempt(database, user.id, exercise.id);
  return {
    exercise: toLearnerExercise(content),
    course: { slug: exercise.courseSlug, title: exercise.courseTitle },
    version: exercise.version,
    model: models.find((m) => m.id === model.id)!,
    models,
    avgInputTokens,
    baseline: { tokens: baselineTokens, ...baseline },
    draft: getDraft(database, user.id, exercise.id),
    history: listOwnAttempts(database, user.id, exercise.id),
    best: best ? { id: best.id, score: best.score, passed: best.passed, promptTokens: best.promptTokens } : null,
  };
}
