import { callsPerMonth, costMicros, type Volume } from "./cost";
import type { ExerciseFile } from "./exercise";
import type { ModelInfo } from "./models";
import { findPhrase, indexText, type TextIndex } from "./text-match";

export interface CallEstimate {
  inputTokens: number;
  outputTokens: number;
  perCallMicros: number;
  monthlyMicros: number;
}

/**
 * What one call of a prompt costs and what it costs per month at the exercise's stated volume.
 * Input = the prompt plus the average test input that fills {{input}}; output = the exercise's
 * expected reply size. Shared by the live panel in the browser and the grader on the server so the
 * two always agree.
 */
export function estimateCall(args: {
  promptTokens: number;
  avgInputTokens: number;
  outputTokens: number;
  model: Pick<ModelInfo, "inputMicrosPerM" | "cachedInputMicrosPerM" | "outputMicrosPerM">;
  volume: Volume;
}): CallEstimate {
  const tokens = { input: args.promptTokens + args.avgInputTokens, output: args.outputTokens };
  return {
    inputTokens: tokens.input,
    outputTokens: tokens.output,
    perCallMicros: costMicros(args.model, tokens),
    monthlyMicros: costMicros(args.model, tokens, callsPerMonth(args.volume)),
  };
}

/**
 * A prompt that demands the short output the exercise teaches (every `target_when` group matched)
 * is priced at the target reply size; any other prompt at the baseline reply size.
 */
export function expectedOutputTokens(prompt: string, outputTokens: ExerciseFile["output_tokens"]): number {
  const groups = outputTokens.target_when;
  if (!groups) return outputTokens.baseline;
  // Regex phrases need only the text; the word index (a few ms on a long prompt, per keystroke in
  // the live panel) is built only when a plain phrase needs it.
  const plain = groups.some((group) => group.some((phrase) => !/^\/.+\/[a-z]*$/.test(phrase)));
  const index: TextIndex = plain
    ? indexText(prompt)
    : { text: prompt, words: [], byForm: new Map(), formsByLength: new Map() };
  const demandsShortOutput = groups.every((group) => group.some((phrase) => findPhrase(index, phrase, 1).length > 0));
  return demandsShortOutput ? outputTokens.target : outputTokens.baseline;
}
