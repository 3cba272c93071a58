import { useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";

import type { AttemptProgress } from "~/.server/grading/progress";

/** What the progress endpoint sends (a type only: nothing of the server module reaches the browser). */
export type Progress = AttemptProgress;

const STEPS = [
  { stage: "queued", label: "Queued" },
  { stage: "target", label: "Running your prompt" },
  { stage: "judging", label: "Judging the outputs" },
  { stage: "scored", label: "Scored" },
] as const;

const WAITING: Record<NonNullable<Progress["waiting"]>, string> = {
  provider:
    "Waiting for the model provider: it is not answering right now. Your attempt resumes on its own when it does.",
  rate_limit: "Waiting for the model provider: it asked us to slow down. Your attempt resumes on its own in a moment.",
  budget:
    "Waiting for your team's budget: other attempts being graded right now have reserved it. This resumes on its own.",
};

/** Follows an attempt's grading over server-sent events and reloads the page data when it ends. */
export function GradingProgress({ attemptId, initial }: { attemptId: number; initial: Progress }) {
  const [progress, setProgress] = useState(initial);
  const { revalidate } = useRevalidator();
  useEffect(() => {
    const source = new EventSource(`/attempts/${attemptId}/events`);
    source.addEventListener("progress", (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as Progress | null;
      if (!next) return;
      setProgress(next);
      if (next.stage === "scored" || next.stage === "failed") {
        source.close();
        revalidate();
      }
    });
    return () => source.close();
  }, [attemptId, revalidate]);

  const current = STEPS.findIndex((s) => s.stage === progress.stage);
  return (
    <div className="progress-steps" data-testid="grading-progress" data-stage={progress.stage} aria-live="polite">
      <ol>
        {STEPS.map((step, i) => (
          <li key={step.stage} className={i < current ? "done" : i === current ? "current" : ""}>
            {step.label}
            {step.stage === "target" && i <= current ? ` (${progress.outputs}/${progress.total})` : ""}
            {step.stage === "judging" && i <= current ? ` (${progress.judged}/${progress.total})` : ""}
          </li>
        ))}
      </ol>
      {progress.waiting && progress.stage !== "scored" && progress.stage !== "failed" ? (
        <p className="muted" data-testid="grading-waiting" data-waiting={progress.waiting}>
          {WAITING[progress.waiting]}
        </p>
      ) : null}
    </div>
  );
}
