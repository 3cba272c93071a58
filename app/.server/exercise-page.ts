import { estimateCall } from "~/domain/estimate";
import { toLearnerExercise } from "~/domain/exercise";
import { averageInputTokens } from "~/domain/grade";
import { getBestAttempt, listOwnAttempts } from "./attempts";
import type { SessionUser } from "./auth";
import { getDraft, type PublishedExercise } from "./catalog";
import type { Db } from "./db";
import { getModel } from "./models";
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
    model: {
      id: model.id,
      tier: model.tier,
      encoding: model.encoding,
      exactTokenizer: model.exactTokenizer,
      inputMicrosPerM: model.inputMicrosPerM,
      cachedInputMicrosPerM: model.cachedInputMicrosPerM,
      outputMicrosPerM: model.outputMicrosPerM,
      priceAsOf: model.priceAsOf,
    },
    avgInputTokens,
    baseline: { tokens: baselineTokens, ...baseline },
    draft: getDraft(database, user.id, exercise.id),
    history: listOwnAttempts(database, user.id, exercise.id),
    best: best ? { id: best.id, score: best.score, passed: best.passed, promptTokens: best.promptTokens } : null,
  };
}
