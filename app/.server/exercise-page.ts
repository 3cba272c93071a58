import { estimateCall, expectedOutputTokens } from "~/domain/estimate";
import { type ExerciseFile, toLearnerExercise } from "~/domain/exercise";
import type { Encoding } from "~/domain/models";
import { getBestAttempt, listOwnAttempts } from "./attempts";
import type { SessionUser } from "./auth";
import { learnerBrief } from "./brief";
import { getDraft, type PublishedExercise } from "./catalog";
import { CpuTimeLimitError, cpuPool } from "./cpu/pool";
import type { Db } from "./db";
import { log } from "./log";
import { allowedModels, getModel } from "./models";

/**
 * Everything the exercise page needs, and nothing a learner must not see: the reference
 * solution, requirements and rubric stay on the server. Token counts come from the version
 * (counted when it was stored), never from counting on the request's thread.
 */
export async function exercisePageData(
  database: Db,
  user: SessionUser,
  exercise: PublishedExercise,
  servedBy: string | null = null,
) {
  const content = exercise.content;
  const model = getModel(content.model);
  const counts = async (encoding: Encoding) => {
    const stored = exercise.tokenCounts?.[encoding];
    if (stored) return stored;
    const [startingPrompt, ...inputs] = await cpuPool().countTokens(
      [content.starting_prompt, ...content.test_inputs.map((t) => t.input)],
      encoding,
    );
    const avgInput = inputs.length ? Math.round(inputs.reduce((a, b) => a + b, 0) / inputs.length) : 0;
    return { startingPrompt, avgInput };
  };
  const own = await counts(model.encoding);
  const models = await Promise.all(
    allowedModels(model, database, servedBy).map(async (m) => ({
      ...m,
      avgInputTokens: (await counts(m.encoding)).avgInput,
    })),
  );
  const baseline = estimateCall({
    promptTokens: own.startingPrompt,
    avgInputTokens: own.avgInput,
    outputTokens: content.output_tokens.baseline,
    model,
    volume: content.volume,
  });
  const best = getBestAttempt(database, user.id, exercise.id);
  const draft = getDraft(database, user.id, exercise.id);
  return {
    exercise: { ...toLearnerExercise(content), brief: learnerBrief(database, content, own) },
    course: { slug: exercise.courseSlug, title: exercise.courseTitle },
    version: exercise.version,
    model: models.find((m) => m.id === model.id)!,
    models,
    avgInputTokens: own.avgInput,
    baseline: { tokens: own.startingPrompt, ...baseline },
    draft,
    /** The reply size the draft (or the starting prompt) is priced at; the phrases that decide it stay here. */
    outputTokens: await replyTokens(draft ?? content.starting_prompt, content.output_tokens, user.id),
    history: listOwnAttempts(database, user.id, exercise.id),
    best: best ? { id: best.id, score: best.score, passed: best.passed, promptTokens: best.promptTokens } : null,
  };
}

/** Up to this length a prompt's reply is priced on the request's thread (about a millisecond); longer ones on the pool. */
export const PRICE_HERE_MAX_CHARS = 4_000;

/**
 * The reply size `prompt` is priced at. Its `target_when` phrases run over the whole prompt (tens of ms for a
 * 20,000-character draft on a busy machine), which must not happen on the event loop once per page view or autosave:
 * a long prompt is priced on the CPU pool, in its owner's turn there. A short one is priced here, where it costs less
 * than the trip to the pool and cannot be kept waiting behind other learners' grading (an autosave that answered late
 * raced the page's own navigation). Past the pool's time limit the page still opens, priced at the baseline reply.
 */
export async function replyTokens(
  prompt: string,
  outputTokens: ExerciseFile["output_tokens"],
  owner: number,
): Promise<number> {
  if (!outputTokens.target_when) return outputTokens.baseline;
  if (prompt.length <= PRICE_HERE_MAX_CHARS) return expectedOutputTokens(prompt, outputTokens);
  try {
    return await cpuPool().outputTokens(prompt, outputTokens, { owner });
  } catch (err) {
    if (!(err instanceof CpuTimeLimitError)) throw err;
    log.error("pricing a draft's reply hit the CPU time limit", err);
    return outputTokens.baseline;
  }
}
