/**
 * Says what a grade rests on, wherever grades are shown: the built-in offline judge reads the prompt and runs no
 * model; the LLM judge grades real outputs. A learner or manager must never mistake the one for the other.
 */

export const OFFLINE_GRADE_LABEL = "Prompt reading";

/** "offline-judge@2" → the offline judge; anything else names a model that graded outputs. */
export function isOfflineJudge(judge: string | null | undefined): boolean {
  return judge === null || judge === undefined || judge.startsWith("offline-judge");
}

export function GradedBy({ judge }: { judge: string | null }) {
  return isOfflineJudge(judge) ? (
    <span className="badge" title="The built-in offline judge read the prompt; no model was run.">
      {OFFLINE_GRADE_LABEL}
    </span>
  ) : (
    <span className="badge" title={`The LLM judge (${judge}) graded the model's real outputs.`}>
      Outputs graded
    </span>
  );
}

/** A note under tables of scores: how many of them are readings of prompts rather than graded outputs. */
export function GradingBasisNote({ liveGrading }: { liveGrading: boolean }) {
  return (
    <p className="muted" data-testid="grading-basis">
      {liveGrading
        ? "Scores come from the LLM judge grading real model outputs, or, where a budget ran out or no model was called, from the built-in offline judge, which only reads the prompt."
        : "Scores come from the built-in offline judge: a reading of each prompt against the exercise's requirements. No model was run, so no output was graded."}
    </p>
  );
}
