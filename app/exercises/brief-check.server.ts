import { countTokens } from "~/.server/tokenizer.server";
import { type BriefProblem, briefFigureConflicts, briefFigureValues } from "~/domain/brief-figures";
import { replySizeConflicts } from "~/domain/brief-reply-sizes";
import { estimateCall } from "~/domain/estimate";
import type { ExerciseFile } from "~/domain/exercise";
import { averageInputTokens } from "~/domain/grade";
import { isChatModel, type ModelInfo } from "~/domain/models";
import { priceRatioConflicts } from "~/domain/price-ratios";
import { quotedPriceConflicts } from "~/domain/quoted-prices";

/**
 * Literal figures in the brief that disagree with the exercise's data: token counts, monthly costs and volumes
 * (brief-figures), prices per 1M tokens next to a model id (quoted-prices), "four times the input price"
 * (price-ratios), reply sizes (brief-reply-sizes). It counts tokens, so the command-line check asks for it, not
 * every start-up sync. Offsets are characters into the brief; the loader turns them into lines.
 */
export function briefFigureProblems(
  exercise: ExerciseFile,
  model: ModelInfo,
  catalogue: Iterable<ModelInfo>,
): BriefProblem[] {
  const models = [...catalogue];
  const counts = (m: ModelInfo) => ({
    startingPrompt: countTokens(exercise.starting_prompt, m.encoding),
    avgInput: averageInputTokens(exercise.test_inputs, (t) => countTokens(t, m.encoding)),
  });
  const values = briefFigureValues(exercise, model, counts(model));
  // What the starting prompt cost on other chat models: a brief may say what the task cost before it moved.
  const others = models
    .filter((m) => m.id !== model.id && isChatModel(m))
    .map((m) => {
      const c = counts(m);
      return estimateCall({
        promptTokens: c.startingPrompt,
        avgInputTokens: c.avgInput,
        outputTokens: exercise.output_tokens.baseline,
        model: m,
        volume: exercise.volume,
      }).monthlyMicros;
    });
  return [
    ...briefFigureConflicts(exercise.brief, values, others),
    ...quotedPriceConflicts(exercise.brief, models, model),
    ...priceRatioConflicts(exercise.brief, models, model),
    ...replySizeConflicts(exercise.brief, exercise.output_tokens),
  ].sort((a, b) => a.offset - b.offset);
}
