import { requirementSchema } from "~/domain/exercise";
import { judgeOffline } from "~/domain/offline-judge";

type Spec = Record<string, unknown>;

/** A small made-up exercise of the given requirements: no exercise author's edit can change a test built on it. */
export const madeUpExercise = (...specs: Spec[]) => ({
  requirements: specs.map((s, i) => requirementSchema.parse({ id: `r${i}`, description: `requirement ${i}`, ...s })),
  format_instruction: false,
  unused_context: [],
});

export type MadeUpExercise = ReturnType<typeof madeUpExercise>;

/** The status of each requirement, in order. */
export const statuses = (prompt: string, ex: MadeUpExercise) =>
  judgeOffline(prompt, ex).requirements.map((r) => r.status);

/** Whether the prompt is read as a list of terms (gaming). */
export const readAsWordList = (prompt: string, ex: MadeUpExercise) => judgeOffline(prompt, ex).gaming.keywordList;
