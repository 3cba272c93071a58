import { countTokens } from "~/.server/tokenizer.server";
import { type BriefProblem, briefFigureConflicts, briefFigureValues } from "~/domain/brief-figures";
import { estimateCall } from "~/domain/estimate";
import type { ExerciseFile } from "~/domain/exercise";
import { averageInputTokens } from "~/domain/grade";
import { isChatModel, type ModelInfo } from "~/domain/models";

/**
 * Literal figures in the brief that disagree with the exercise's data. It counts tokens, so the command-line check
 * asks for it, not every start-up sync. Offsets are characters into the brief; the loader turns them into lines.
 */
export function briefFigureProblems(
  exercise: ExerciseFile,
  model: ModelInfo,
  catalogue: Iterable<ModelInfo>,
): BriefProblem[] {
  const counts = (m: ModelInfo) => ({
    startingPrompt: countTokens(exercise.starting_prompt, m.encoding),
    avgInput: averageInputTokens(exercise.test_inputs, (t) => countTokens(t, m.encoding)),
  });
  const values = briefFigureValues(exercise, model, counts(model));
  // What the starting prompt cost on other chat models: a brief may say what the task cost before it moved.
  const others = [...catalogue]
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
  return briefFigureConflicts(exercise.brief, values, others);
}
