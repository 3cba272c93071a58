import { eq, isNull } from "drizzle-orm";
import { exerciseVersions } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import { averageInputTokens } from "~/domain/grade";
import { ENCODINGS, type Encoding } from "~/domain/models";
import { cpuPool } from "./cpu/pool";
import type { DbLike } from "./db";
import { countTokens } from "./tokenizer.server";

/**
 * An exercise version's token counts (starting prompt, average test input) per encoding, computed once when the
 * version is stored: the exercise page reads them instead of counting test inputs on every view, so a long unspaced
 * JSON or base64 input pasted by an instructor costs one count at publish, not one per learner page view.
 */
export type ExerciseTokenCounts = Record<Encoding, { startingPrompt: number; avgInput: number }>;

export function exerciseTokenCounts(exercise: ExerciseFile): ExerciseTokenCounts {
  const out = {} as ExerciseTokenCounts;
  for (const encoding of ENCODINGS) {
    const count = (text: string) => countTokens(text, encoding);
    out[encoding] = {
      startingPrompt: count(exercise.starting_prompt),
      avgInput: averageInputTokens(exercise.test_inputs, count),
    };
  }
  return out;
}

/** The same counts on the CPU pool, for a request that publishes a version: no encoder loads on the event loop. */
export async function exerciseTokenCountsInPool(exercise: ExerciseFile): Promise<ExerciseTokenCounts> {
  const out = {} as ExerciseTokenCounts;
  for (const encoding of ENCODINGS) {
    const [startingPrompt, ...inputs] = await cpuPool().countTokens(
      [exercise.starting_prompt, ...exercise.test_inputs.map((t) => t.input)],
      encoding,
    );
    const avgInput = inputs.length ? Math.round(inputs.reduce((a, b) => a + b, 0) / inputs.length) : 0;
    out[encoding] = { startingPrompt, avgInput };
  }
  return out;
}

/** Counts for versions stored before counts were kept (run by the content sync at start-up). */
export function backfillTokenCounts(database: DbLike): number {
  const missing = database
    .select({ id: exerciseVersions.id, content: exerciseVersions.content })
    .from(exerciseVersions)
    .where(isNull(exerciseVersions.tokenCounts))
    .all();
  for (const v of missing)
    database
      .update(exerciseVersions)
      .set({ tokenCounts: exerciseTokenCounts(v.content as ExerciseFile) })
      .where(eq(exerciseVersions.id, v.id))
      .run();
  return missing.length;
}
