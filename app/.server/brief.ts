import type { BriefCounts } from "~/domain/brief-figures";
import { briefFigureTexts, renderBrief } from "~/domain/brief-figures";
import type { ExerciseFile, LearnerExercise } from "~/domain/exercise";
import { cpuPool } from "./cpu/pool";
import type { DbLike } from "./db";
import type { ExerciseTokenCounts } from "./exercise-tokens";
import { getModel } from "./models";

/**
 * The brief as a learner reads it: its `[[figure]]` placeholders rendered from the version's stored token counts and
 * the catalogue's current prices, the same inputs the live panel uses, so the two cannot disagree. Counts are stored
 * with every version (and backfilled at start-up); without them the placeholders stay as written rather than count
 * tokens on a request's event loop.
 */
export function learnerBrief(
  database: DbLike,
  content: ExerciseFile,
  counts: ExerciseTokenCounts | BriefCounts | null,
): string {
  if (!content.brief.includes("[[")) return content.brief;
  const model = getModel(content.model, database);
  const own = counts && "startingPrompt" in counts ? counts : counts?.[model.encoding];
  if (!own) return content.brief;
  return renderBrief(content.brief, briefFigureTexts(content, model, own));
}

/** An author's preview with its figures rendered, counting the draft's tokens on the CPU pool (never on the event loop). */
export async function withRenderedBrief<T extends LearnerExercise | null>(database: DbLike, exercise: T): Promise<T> {
  if (!exercise?.brief.includes("[[")) return exercise;
  const model = getModel(exercise.model, database);
  const [startingPrompt, ...inputs] = await cpuPool().countTokens(
    [exercise.starting_prompt, ...exercise.test_inputs.map((t) => t.input)],
    model.encoding,
  );
  const avgInput = inputs.length ? Math.round(inputs.reduce((a, b) => a + b, 0) / inputs.length) : 0;
  return {
    ...exercise,
    brief: renderBrief(exercise.brief, briefFigureTexts(exercise, model, { startingPrompt, avgInput })),
  };
}
