import { and, desc, eq } from "drizzle-orm";
import { modelCalls } from "#db/schema";
import { costMicros } from "~/domain/cost";
import type { ExerciseFile } from "~/domain/exercise";
import type { ModelInfo } from "~/domain/models";
import type { DbLike } from "../db";

/**
 * What a live attempt is expected to cost, for its budget reservation and each call's pending ledger row.
 * Output sizes come from what this exercise's calls on this model actually produced (the 95th percentile of the
 * last OBSERVED_CALLS paid calls), not the ceiling: reserving for max_tokens made reservations 15–50× the real
 * cost, so budgets read "used up" at a fraction of real spend. Until MIN_OBSERVED calls are known the ceiling
 * stands in.
 */

/** The ceiling of a target reply: generous over the expected reply. */
export function targetMaxTokens(exercise: ExerciseFile): number {
  return Math.min(4096, Math.max(256, exercise.output_tokens.baseline * 2));
}
export const JUDGE_MAX_OUTPUT_TOKENS = 700;
/** The judge's instructions and rubric, on top of the test input and the output. */
const JUDGE_OVERHEAD_TOKENS = 900;
const OBSERVED_CALLS = 200;
export const MIN_OBSERVED = 10;
const MEMO_MS = 60_000;

/** The 95th percentile (nearest rank) of whole numbers; null for none. */
export function p95(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
}

const memo = new Map<string, { at: number; tokens: number | null }>();

/** p95 of the output tokens of this exercise's recent paid calls on `modelId` for `purpose`, or null if too few. */
export function observedOutputTokens(
  database: DbLike,
  exerciseId: number,
  modelId: string,
  purpose: "target" | "judge",
): number | null {
  const key = `${exerciseId}\u0000${modelId}\u0000${purpose}`;
  const known = memo.get(key);
  if (known && Date.now() - known.at < MEMO_MS) return known.tokens;
  const rows = database
    .select({ output: modelCalls.outputTokens })
    .from(modelCalls)
    .where(
      and(
        eq(modelCalls.exerciseId, exerciseId),
        eq(modelCalls.purpose, purpose),
        eq(modelCalls.model, modelId),
        eq(modelCalls.state, "settled"),
        eq(modelCalls.status, "ok"),
        eq(modelCalls.cacheHit, false),
      ),
    )
    .orderBy(desc(modelCalls.id))
    .limit(OBSERVED_CALLS)
    .all();
  const tokens = rows.length >= MIN_OBSERVED ? p95(rows.map((r) => r.output)) : null;
  // Too few yet is not remembered: the read is cheap then, and the next calls may be the ones that count.
  if (tokens !== null) memo.set(key, { at: Date.now(), tokens });
  return tokens;
}

/** Expected output sizes of one attempt's calls, from observations or the ceilings. */
export interface OutputBasis {
  target: number;
  judge: number;
  /** Whether observations stood behind it (else the ceilings: the judge's repair is then reserved too). */
  observed: boolean;
}

export function outputBasis(
  database: DbLike,
  exercise: { id: number; file: ExerciseFile },
  model: ModelInfo,
  judgeModel: ModelInfo,
): OutputBasis {
  const target = observedOutputTokens(database, exercise.id, model.id, "target");
  const judge = observedOutputTokens(database, exercise.id, judgeModel.id, "judge");
  return {
    target: Math.min(target ?? targetMaxTokens(exercise.file), targetMaxTokens(exercise.file)),
    judge: Math.min(judge ?? JUDGE_MAX_OUTPUT_TOKENS, JUDGE_MAX_OUTPUT_TOKENS),
    observed: target !== null && judge !== null,
  };
}

export function targetCallEstimate(model: ModelInfo, inputTokens: number, basis: OutputBasis): number {
  return costMicros(model, { input: inputTokens, output: basis.target });
}

export function judgeCallEstimate(
  judgeModel: ModelInfo,
  t: { inputTokens: number; expectedTokens: number },
  basis: OutputBasis,
): number {
  const input = JUDGE_OVERHEAD_TOKENS + t.inputTokens + basis.target + t.expectedTokens;
  return costMicros(judgeModel, { input, output: basis.judge });
}

/**
 * What grading one prompt live is expected to cost: a target call per test input, a judge call each (two, the
 * repair included, while nothing has been observed), and the prompt's embedding when a semantic cache model is set.
 */
export function estimateGradingCost(args: {
  exercise: ExerciseFile;
  model: ModelInfo;
  judgeModel: ModelInfo;
  promptTokens: number;
  count: (text: string) => number;
  /** Defaults to the ceilings (nothing observed). */
  basis?: OutputBasis;
  /** The semantic cache's embeddings model: a job embeds its prompt once. */
  embeddingModel?: ModelInfo | null;
}): number {
  const { exercise, model, judgeModel, promptTokens, count, embeddingModel } = args;
  const basis = args.basis ?? {
    target: targetMaxTokens(exercise),
    judge: JUDGE_MAX_OUTPUT_TOKENS,
    observed: false,
  };
  let total = embeddingModel ? costMicros(embeddingModel, { input: promptTokens, output: 0 }) : 0;
  for (const t of exercise.test_inputs) {
    const inputTokens = count(t.input);
    total += targetCallEstimate(model, promptTokens + inputTokens, basis);
    const judge = judgeCallEstimate(
      judgeModel,
      { inputTokens, expectedTokens: t.expected ? count(t.expected) : 0 },
      basis,
    );
    total += (basis.observed ? 1 : 2) * judge;
  }
  return total;
}
